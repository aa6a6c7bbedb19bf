/**
 * The cluster's certificates and keys, made fresh for every cluster:
 * - a CA (also the client CA and the controller-manager's cluster signer);
 * - the API server's serving certificate for 127.0.0.1, localhost and the in-cluster names;
 * - an admin client certificate, CN=kubernetes-admin O=system:masters;
 * - the ServiceAccount token signing key pair (so the TokenRequest API works);
 * - a front-proxy CA and client certificate (the aggregation layer's request-header auth, which
 *   the controller-manager and scheduler also read for their own delegated authentication).
 * Keys are ECDSA P-256 made with node:crypto (fast); certificates are signed with the `openssl`
 * CLI because node:crypto cannot issue X.509 certificates. Nothing here is ever printed.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ClusterError, tail } from './errors.ts';

const execFileAsync = promisify(execFile);

export interface Pki {
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  frontProxyCaCert: string;
  frontProxyCaKey: string;
  frontProxyClientCert: string;
  frontProxyClientKey: string;
}

/** The CN the API server accepts request headers from (--requestheader-allowed-names). */
export const frontProxyClientName = 'front-proxy-client';

export function pkiFiles(dir: string): Pki {
  const f = (name: string): string => path.join(dir, name);
  return {
    caCert: f('ca.crt'),
    caKey: f('ca.key'),
    apiserverCert: f('apiserver.crt'),
    apiserverKey: f('apiserver.key'),
    adminCert: f('admin.crt'),
    adminKey: f('admin.key'),
    serviceAccountKey: f('sa.key'),
    serviceAccountPub: f('sa.pub'),
    frontProxyCaCert: f('front-proxy-ca.crt'),
    frontProxyCaKey: f('front-proxy-ca.key'),
    frontProxyClientCert: f('front-proxy-client.crt'),
    frontProxyClientKey: f('front-proxy-client.key'),
  };
}

export const apiserverSans = [
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
  'IP:127.0.0.1',
  // The first address of --service-cluster-ip-range: the `kubernetes` Service.
  'IP:10.96.0.1',
];

/** Creates every file of `pkiFiles(dir)`; existing files are overwritten. */
export async function createPki(dir: string): Promise<Pki> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pki = pkiFiles(dir);
  for (const key of [pki.caKey, pki.apiserverKey, pki.adminKey, pki.serviceAccountKey, pki.frontProxyCaKey, pki.frontProxyClientKey]) {
    writePrivateKey(key);
  }
  const saPrivate = crypto.createPrivateKey(fs.readFileSync(pki.serviceAccountKey));
  fs.writeFileSync(pki.serviceAccountPub, crypto.createPublicKey(saPrivate).export({ type: 'spki', format: 'pem' }));

  const reqConfig = path.join(dir, 'openssl-req.cnf');
  fs.writeFileSync(
    reqConfig,
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      'CN = unused',
      '[v3_ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, digitalSignature, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  const clientUsage = ['keyUsage = critical, digitalSignature, keyEncipherment', 'extendedKeyUsage = clientAuth'];
  const ca: Ca = { cert: pki.caCert, key: pki.caKey };
  const frontProxyCa: Ca = { cert: pki.frontProxyCaCert, key: pki.frontProxyCaKey };
  try {
    await Promise.all([
      makeCa(reqConfig, '/CN=kubectl-plugins-local-ca', ca),
      makeCa(reqConfig, '/CN=kubectl-plugins-front-proxy-ca', frontProxyCa),
    ]);
    await Promise.all([
      issue(dir, reqConfig, ca, 'apiserver', '/CN=kube-apiserver', pki.apiserverKey, pki.apiserverCert, [
        'keyUsage = critical, digitalSignature, keyEncipherment',
        'extendedKeyUsage = serverAuth',
        `subjectAltName = ${apiserverSans.join(', ')}`,
      ]),
      issue(dir, reqConfig, ca, 'admin', '/O=system:masters/CN=kubernetes-admin', pki.adminKey, pki.adminCert, clientUsage),
      issue(dir, reqConfig, frontProxyCa, 'front-proxy-client', `/CN=${frontProxyClientName}`, pki.frontProxyClientKey, pki.frontProxyClientCert, clientUsage),
    ]);
  } finally {
    fs.rmSync(reqConfig, { force: true });
  }
  return pki;
}

interface Ca {
  cert: string;
  key: string;
}

function makeCa(reqConfig: string, subject: string, ca: Ca): Promise<void> {
  return openssl(['req', '-x509', '-new', '-sha256', '-days', '3650', '-config', reqConfig, '-extensions', 'v3_ca', '-subj', subject, '-key', ca.key, '-out', ca.cert]);
}

function writePrivateKey(file: string): void {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
}

async function issue(
  dir: string,
  reqConfig: string,
  ca: Ca,
  name: string,
  subject: string,
  keyFile: string,
  certFile: string,
  extensions: string[],
): Promise<void> {
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, ['[ext]', 'basicConstraints = critical, CA:FALSE', 'authorityKeyIdentifier = keyid', ...extensions, ''].join('\n'));
  try {
    await openssl(['req', '-new', '-sha256', '-config', reqConfig, '-subj', subject, '-key', keyFile, '-out', csr]);
    const serial = `0x${crypto.randomBytes(16).toString('hex')}`;
    await openssl([
      'x509', '-req', '-sha256', '-days', '365', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key,
      '-set_serial', serial, '-extfile', ext, '-extensions', 'ext', '-out', certFile,
    ]);
  } finally {
    fs.rmSync(csr, { force: true });
    fs.rmSync(ext, { force: true });
  }
}

async function openssl(args: string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new ClusterError('openssl not found on PATH; install OpenSSL (it signs the cluster certificates)', { cause: error });
    }
    throw new ClusterError(`openssl ${args[0]} failed while making the cluster certificates`, { cause: error, detail: tail(e.stderr ?? '', 10) });
  }
}
