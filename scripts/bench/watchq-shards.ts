/**
 * watchq scaled out (issue 28): 10,000 ConfigMaps of 2 KiB in one namespace, handled by
 * `kubectl watchq configmaps -o json --exec 'cat >/dev/null'`:
 *
 * - one replica, unsharded (the baseline);
 * - 3 replicas × `--shards 12`, the API server filtering (ShardedListAndWatch on);
 * - the same with the gate off (kube-apiserver restarted without it): each replica filters;
 * - one replica with `--metadata-only` against the baseline;
 * - a takeover: one of the 3 server-side replicas killed (SIGKILL), timed until the other two
 *   own all 12 shards (goal: the 15 s lease + 2 s).
 *
 * For each replica: peak RSS (VmHWM), bytes received from the API server (each replica reaches it
 * through a TCP proxy of its own that counts them: TLS passes through unopened), and the time from the start until every
 * ConfigMap had been handled once by some replica (each replica's last first run). Replicas are
 * started together; each run uses Leases of its own (`--lease-name`), so a killed run's Leases
 * never delay the next.
 *
 *   node scripts/bench/watchq-shards.ts [--kubeconfig FILE] [--count 10000] [--runs 2]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { readSettings, writeSettings } from '../cluster/components.ts';
import { restartComponent } from '../cluster/control-plane.ts';
import { clusterPaths } from '../cluster/paths.ts';
import { readVmHwm } from './measure.ts';
import { markdownTable, row, type Row } from './report.ts';
import { benchTransport } from './seed.ts';
import { summarize, type Summary } from './stats.ts';

export const shardsNamespace = 'bench-shards';

export interface ShardsBenchOptions {
  kubeconfig: string;
  /** The API server's URL (the replicas reach it through proxies that count bytes). */
  server: string;
  watchq: string;
  count?: number;
  runs?: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

interface ReplicaSample {
  rssKb: number;
  bytes: number;
  syncMs: number;
}

export interface ShardsBenchResult {
  configMaps: number;
  single: ReplicaSample[];
  serverSide: ReplicaSample[];
  clientSide: ReplicaSample[];
  metadataOnly: ReplicaSample[];
  takeoverMs: number[];
  loadavg: { start: number[]; end: number[] };
}

/** A TCP proxy to the API server counting the bytes it sends back (one per replica). */
async function countingProxy(server: URL): Promise<{ port: number; received: () => number; close: () => void }> {
  let received = 0;
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(server.port), server.hostname);
    sockets.add(client).add(upstream);
    upstream.on('data', (chunk: Buffer) => (received += chunk.length));
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    received: () => received,
    close: () => {
      for (const s of sockets) s.destroy();
      proxy.close();
    },
  };
}

/** Creates the namespace and the ConfigMaps that are missing (32 requests at once). */
async function seedShards(kubeconfig: string, count: number, log: (line: string) => void): Promise<void> {
  const transport = benchTransport(kubeconfig);
  const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
  await transport.request({ method: 'POST', path: '/api/v1/namespaces', headers: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: shardsNamespace } }) });
  const listed = await transport.request({ path: `/api/v1/namespaces/${shardsNamespace}/configmaps`, headers: { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' } });
  const have = new Set(((JSON.parse(listed.body.toString()) as { items?: Array<{ metadata: { name: string } }> }).items ?? []).map((i) => i.metadata.name));
  const missing = Array.from({ length: count }, (_, i) => `cm-${String(i).padStart(5, '0')}`).filter((n) => !have.has(n));
  if (missing.length === 0) return;
  log(`shards: creating ${missing.length} ConfigMaps of 2 KiB in ${shardsNamespace}…`);
  const payload = 'x'.repeat(2048);
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < missing.length) {
        const name = missing[next++]!;
        const res = await transport.request({ method: 'POST', path: `/api/v1/namespaces/${shardsNamespace}/configmaps`, headers: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload } }) });
        if (res.status >= 300 && res.status !== 409) throw new Error(`creating ${name}: ${res.status} ${res.body.toString().slice(0, 200)}`);
      }
    }),
  );
}

interface Replica {
  child: ChildProcess;
  proxy: Awaited<ReturnType<typeof countingProxy>>;
  started: number;
  /** When each key's first run was printed. */
  handled: Map<string, number>;
  stderr: string;
}

async function startReplica(o: ShardsBenchOptions, args: string[]): Promise<Replica> {
  const proxy = await countingProxy(new URL(o.server));
  const child = spawn(o.watchq, ['--kubeconfig', o.kubeconfig, '--server', `https://127.0.0.1:${proxy.port}`, '-n', shardsNamespace, 'configmaps', '-o', 'json', '--exec', 'cat >/dev/null', ...args], { env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Replica = { child, proxy, started: performance.now(), handled: new Map(), stderr: '' };
  let rest = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    const now = performance.now();
    for (const line of lines) {
      const key = /"event":"sync","key":"([^"]+)"/.exec(line)?.[1];
      if (key !== undefined && !r.handled.has(key)) r.handled.set(key, now);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (r.stderr += chunk));
  return r;
}

async function until(what: string, check: () => boolean, timeoutMs: number, replicas: Replica[]): Promise<void> {
  for (const deadline = performance.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 50))) {
    if (performance.now() > deadline) throw new Error(`${what}: timed out\n${replicas.map((r) => r.stderr.slice(-800)).join('\n---\n')}`);
  }
}

/** Starts the replicas together, waits until every ConfigMap was handled once, samples each, kills them. */
async function scenario(o: ShardsBenchOptions, count: number, replicas: number, args: string[]): Promise<ReplicaSample[]> {
  const started = await Promise.all(Array.from({ length: replicas }, () => startReplica(o, args)));
  const all = () => new Set(started.flatMap((r) => [...r.handled.keys()])).size;
  try {
    await until(`${replicas} replica(s) ${args.join(' ')}`, () => all() >= count, 180_000, started);
    // Each replica's own last first run: when its shards were all in.
    return started.map((r) => ({ rssKb: readVmHwm(r.child.pid) ?? 0, bytes: r.proxy.received(), syncMs: Math.max(0, ...r.handled.values()) - r.started }));
  } finally {
    for (const r of started) r.child.kill('SIGKILL'), r.proxy.close();
  }
}

/** 3 replicas × 12 shards; one killed once all own their shards; ms until the two others own all 12. */
async function takeover(o: ShardsBenchOptions, count: number, lease: string): Promise<number> {
  const reps = await Promise.all(Array.from({ length: 3 }, () => startReplica(o, ['--shards', '12', '--lease-name', lease])));
  const owned = (r: Replica) => {
    const last = [...r.stderr.matchAll(/Shards owned: (.*) of 12$/gm)].at(-1)?.[1];
    return last === undefined || last === 'none' ? 0 : last.split(', ').length;
  };
  try {
    await until('the shards shared out', () => reps.every((r) => owned(r) === 4) && new Set(reps.flatMap((r) => [...r.handled.keys()])).size >= count, 180_000, reps);
    reps[2]!.child.kill('SIGKILL');
    const killed = performance.now();
    await until('the takeover', () => owned(reps[0]!) + owned(reps[1]!) === 12, 60_000, reps);
    return performance.now() - killed;
  } finally {
    for (const r of reps) r.child.kill('SIGKILL'), r.proxy.close();
  }
}

/** kube-apiserver with the ShardedListAndWatch gate on or off (restarted when it changes). */
async function setGate(enabled: boolean, log: (line: string) => void): Promise<void> {
  const paths = clusterPaths();
  const settings = readSettings(paths)!;
  if ((settings.shardedListAndWatch !== false) === enabled) return;
  writeSettings(paths, { ...settings, shardedListAndWatch: enabled });
  await restartComponent(paths, 'kube-apiserver', { log, tty: false });
}

export async function runWatchqShardsBench(o: ShardsBenchOptions): Promise<ShardsBenchResult> {
  const count = o.count ?? 10_000;
  const runs = o.runs ?? 2;
  const start = (await import('node:os')).loadavg();
  await seedShards(o.kubeconfig, count, o.log);
  const result: ShardsBenchResult = { configMaps: count, single: [], serverSide: [], clientSide: [], metadataOnly: [], takeoverMs: [], loadavg: { start, end: [] } };
  const stamp = Date.now().toString(36);
  await setGate(true, o.log);
  for (let run = 0; run < runs; run++) {
    o.log(`shards: round ${run + 1} of ${runs}: one replica, 3 × 12 shards (server-side), --metadata-only, a takeover`);
    result.single.push(...(await scenario(o, count, 1, [])));
    result.serverSide.push(...(await scenario(o, count, 3, ['--shards', '12', '--lease-name', `bench-${stamp}-s${run}`])));
    result.metadataOnly.push(...(await scenario(o, count, 1, ['--metadata-only'])));
    result.takeoverMs.push(await takeover(o, count, `bench-${stamp}-t${run}`));
  }
  try {
    await setGate(false, o.log);
    for (let run = 0; run < runs; run++) {
      o.log(`shards: round ${run + 1} of ${runs}: 3 × 12 shards, the gate off (client-side)`);
      result.clientSide.push(...(await scenario(o, count, 3, ['--shards', '12', '--lease-name', `bench-${stamp}-c${run}`])));
    }
  } finally {
    await setGate(true, o.log);
  }
  result.loadavg.end = (await import('node:os')).loadavg();
  return result;
}

const sum = (samples: ReplicaSample[], pick: (s: ReplicaSample) => number): Summary => summarize(samples.map(pick));

export function shardsRows(r: ShardsBenchResult): Row[] {
  const n = r.configMaps.toLocaleString('en');
  const rssGoal = { maxRatio: 0.4, text: '≤ 0.4× RSS' };
  const bytesGoal = { maxRatio: 0.4, text: '≤ 0.4× bytes' };
  const label = { theirsLabel: 'one replica' };
  return [
    row(`\`watchq --shards 12\`, 3 replicas, server-side: each replica's peak RSS, ${n} ConfigMaps of 2 KiB`, 'kB', sum(r.serverSide, (s) => s.rssKb), sum(r.single, (s) => s.rssKb), rssGoal, label),
    row('  ↳ bytes received from the API server per replica', 'kB', sum(r.serverSide, (s) => s.bytes / 1024), sum(r.single, (s) => s.bytes / 1024), bytesGoal, label),
    row('  ↳ time until every ConfigMap was handled (each replica its shards)', 'ms', sum(r.serverSide, (s) => s.syncMs), sum(r.single, (s) => s.syncMs), null, label),
    row('  client-side (gate off): each replica\'s peak RSS', 'kB', sum(r.clientSide, (s) => s.rssKb), sum(r.single, (s) => s.rssKb), null, label),
    row('  ↳ bytes received from the API server per replica', 'kB', sum(r.clientSide, (s) => s.bytes / 1024), sum(r.single, (s) => s.bytes / 1024), null, label),
    row('  ↳ time until every ConfigMap was handled', 'ms', sum(r.clientSide, (s) => s.syncMs), sum(r.single, (s) => s.syncMs), null, label),
    row('`--metadata-only`: peak RSS against full objects (one replica)', 'kB', sum(r.metadataOnly, (s) => s.rssKb), sum(r.single, (s) => s.rssKb), { maxRatio: 0.5, text: '≤ 0.5× RSS' }, { theirsLabel: 'full objects' }),
    row('takeover of a killed replica\'s shards (SIGKILL → the others own all 12)', 'ms', summarize(r.takeoverMs), null, { maxOurs: 17_000, text: '≤ lease 15 s + 2 s' }),
  ];
}

export function shardsNote(r: ShardsBenchResult): string {
  const f = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
  return `watchq shards: load average ${f(r.loadavg.start)} at the start, ${f(r.loadavg.end)} at the end.`;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, count: { type: 'string' }, runs: { type: 'string' } } });
  const paths = clusterPaths();
  const result = await runWatchqShardsBench({
    kubeconfig: values.kubeconfig ?? paths.kubeconfig,
    server: (await import('yaml')).parse((await import('node:fs')).readFileSync(values.kubeconfig ?? paths.kubeconfig, 'utf8')).clusters[0].cluster.server,
    watchq: new URL('../../dist/bin/kubectl-watchq', import.meta.url).pathname,
    count: values.count === undefined ? undefined : Number(values.count),
    runs: values.runs === undefined ? undefined : Number(values.runs),
    env: { ...process.env, NO_COLOR: '1' },
    log: (line) => process.stderr.write(`[bench] ${line}\n`),
  });
  process.stdout.write(`${markdownTable(shardsRows(result))}\n\n${shardsNote(result)}\n`);
}
