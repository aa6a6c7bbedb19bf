/**
 * The runtime's floor for one small call: a single executable of the pinned runtime (Bun) that does only
 * the request of `dynget aiops` (TLS with the kubeconfig's CA and client certificate, one GET of
 * the Table), no flags, no kubeconfig parsing, no output. Built and run by runtime-floor.ts.
 *
 *   kubectl-floor URL CA_FILE CERT_FILE KEY_FILE
 */
import { readFileSync } from 'node:fs';

const [url, caFile, certFile, keyFile] = process.argv.slice(2) as [string, string, string, string];
const https = process.getBuiltinModule('node:https');
https
  .get(url, { ca: readFileSync(caFile), cert: readFileSync(certFile), key: readFileSync(keyFile), headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      process.exitCode = res.statusCode === 200 ? 0 : 1;
    });
  })
  .on('error', (error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  });
