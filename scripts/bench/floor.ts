/**
 * The floor: the least work that can produce what `lsres` prints. One `curl` process fetches the
 * three lists (pods, deployments, services) at once (`--parallel`) as server-side Tables (rows
 * without their objects, `includeObject=None`, as lsres asks), with the admin client
 * certificate, key and CA taken from the kubeconfig; then the three bodies are
 * `JSON.parse`d in this (already running) Node process. A floor sample is curl's wall time plus
 * the parse time (CPU time: curl's user + system, plus the parse). Nothing is rendered and no runtime starts up, so no real client can reach it;
 * the ratio says how much a plugin adds on top of the network and the parse.
 *
 * Each list is fetched in one request (no `limit`), so the floor also skips the second round
 * trip that `--chunk-size 500` (kubectl's default, and ours) costs for 1,000 pods.
 *
 * Without curl (`apt-get install -y curl`), the same requests go through Node's https module in
 * this process: the floor then has no process start-up at all (`method: 'node-https'`).
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import { loadRestConfig } from '../../shared/kube/rest-config.ts';
import { tableAccept } from '../../shared/output/server-table.ts';
import { measure, type MeasureOptions, type Sample } from './measure.ts';

export type FloorMethod = 'curl' | 'node-https';

export interface Floor {
  method: FloorMethod;
  /** One sample: curl's wall time + the in-process parse time (peakRssKb is curl's). */
  run(): Promise<FloorSample>;
}

export interface FloorSample extends Sample {
  fetchMs: number;
  parseMs: number;
  bytes: number;
}

export function curlAvailable(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function createFloor(kubeconfig: string, namespace: string, options: MeasureOptions & { method?: FloorMethod }): Promise<Floor> {
  const config = loadRestConfig({ kubeconfig });
  if (!config.ca || !config.cert || !config.key) throw new Error(`the floor needs a client certificate, key and CA in ${kubeconfig}`);
  // The rows without their objects, as lsres asks for them in one namespace.
  const paths = ['/api/v1/namespaces/NS/pods', '/apis/apps/v1/namespaces/NS/deployments', '/api/v1/namespaces/NS/services'].map(
    (p) => `${p.replace('NS', encodeURIComponent(namespace))}?includeObject=None`,
  );
  const method = options.method ?? (curlAvailable() ? 'curl' : 'node-https');

  if (method === 'node-https') {
    const agent = new https.Agent({ keepAlive: false, ca: config.ca, cert: config.cert, key: config.key });
    return {
      method,
      async run() {
        const started = performance.now();
        const cpu = process.cpuUsage();
        const bodies = await Promise.all(paths.map((p) => get(agent, config.server + p)));
        const fetchMs = performance.now() - started;
        const { parseMs, bytes } = parseAll(bodies);
        const used = process.cpuUsage(cpu);
        return { wallMs: fetchMs + parseMs, fetchMs, parseMs, bytes, peakRssKb: null, cpuMs: (used.user + used.system) / 1000, exitCode: 0 };
      },
    };
  }

  const files = { ca: join(options.scratchDir, 'floor-ca.crt'), cert: join(options.scratchDir, 'floor-client.crt'), key: join(options.scratchDir, 'floor-client.key') };
  await writeFile(files.ca, config.ca);
  await writeFile(files.cert, config.cert);
  await writeFile(files.key, config.key, { mode: 0o600 });
  const outputs = paths.map((_, i) => join(options.scratchDir, `floor-${i}.json`));
  const args = ['--silent', '--show-error', '--fail', '--parallel', '--cacert', files.ca, '--cert', files.cert, '--key', files.key, '-H', `Accept: ${tableAccept}`];
  paths.forEach((p, i) => args.push(config.server + p, '-o', outputs[i]!));
  return {
    method,
    async run() {
      const sample = await measure({ file: 'curl', args, env: process.env }, options);
      const { parseMs, bytes } = parseAll(await Promise.all(outputs.map((f) => readFile(f))));
      const cpuMs = sample.cpuMs === null ? null : sample.cpuMs + parseMs;
      return { ...sample, wallMs: sample.wallMs + parseMs, cpuMs, fetchMs: sample.wallMs, parseMs, bytes };
    },
  };
}

function parseAll(bodies: Buffer[]): { parseMs: number; bytes: number } {
  const started = performance.now();
  let rows = 0;
  for (const body of bodies) {
    const table = JSON.parse(body.toString('utf8')) as { kind?: string; rows?: unknown[] };
    if (table.kind !== 'Table') throw new Error(`the floor expected a Table, got ${table.kind}`);
    rows += table.rows?.length ?? 0;
  }
  const parseMs = performance.now() - started;
  if (rows === 0) throw new Error('the floor fetched no rows');
  return { parseMs, bytes: bodies.reduce((n, b) => n + b.length, 0) };
}

function get(agent: https.Agent, url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { agent, headers: { Accept: tableAccept } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`))));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
