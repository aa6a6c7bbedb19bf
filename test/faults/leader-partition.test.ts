/**
 * Leader election under a network partition, on the real control plane: two --leader-elect
 * replicas, each reaching the API server through its own TCP proxy. The leader's proxy stops
 * forwarding (connections stay open, requests hang); the other replica must take over, and the
 * handler runs both record (identity, start, end, via --exec) must never overlap in time. Then
 * the whole API server is frozen and thawed: again no overlap, and every key is handled after.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteNamespace, ensureCluster, kubectlOk, signalApiserver } from '../helpers/cluster.ts';
import { waitFor } from '../helpers/wait.ts';
import { TcpProxy } from '../plugins/watchq/tcp-proxy.ts';
import { WatchqProcess } from '../plugins/watchq/watchq-process.ts';

interface Run {
  who: string;
  key: string;
  start: number;
  end: number;
}

function runs(log: string): Run[] {
  if (!fs.existsSync(log)) return [];
  const starts = new Map<string, number>();
  const out: Run[] = [];
  for (const line of fs.readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const [what, who, key, at] = line.split(' ') as [string, string, string, string];
    const id = `${who} ${key}`;
    if (what === 'start') starts.set(id, Number(at));
    else if (starts.has(id)) out.push({ who, key, start: starts.get(id)!, end: Number(at) }), starts.delete(id);
  }
  // A run cut short by its replica losing the lease has a start and no end: it ended by then at the latest.
  for (const [id, start] of starts) out.push({ who: id.split(' ')[0]!, key: id.split(' ')[1]!, start, end: Number.POSITIVE_INFINITY });
  return out;
}

function overlaps(all: Run[]): string[] {
  const problems: string[] = [];
  for (const a of all) for (const b of all) if (a.who < b.who && a.start < b.end && b.start < a.end) problems.push(`${a.who} ${a.key} [${a.start}, ${a.end}] overlaps ${b.who} ${b.key} [${b.start}, ${b.end}]`);
  return problems;
}

test.serial('a leader cut off from the API server stops before the other replica leads: handler runs never overlap', async (t) => {
  const cluster = await ensureCluster();
  // A namespace of its own, without waiting for its default ServiceAccount: after the other fault
  // tests froze the API server, the controller-manager may be gone (it exits when it loses its
  // own lease), and this test needs no pods.
  const ns = `watchq-partition-${Date.now().toString(36)}`;
  await kubectlOk(['create', 'namespace', ns]);
  t.teardown(() => deleteNamespace(ns));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'partition-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'runs.log');
  // Each handler run takes 300 ms and records when it started and ended, by the clock of this machine.
  const script = path.join(dir, 'record.sh');
  fs.writeFileSync(script, `#!/bin/sh\necho "start $WHO $WATCHQ_KEY $(date +%s%3N)" >> ${log}\nsleep 0.3\necho "end $WHO $WATCHQ_KEY $(date +%s%3N)" >> ${log}\n`, { mode: 0o755 });
  const target = new URL(cluster.server);
  const proxies = [0, 1].map(() => new TcpProxy({ host: target.hostname, port: Number(target.port) }));
  for (const p of proxies) await p.up();
  t.teardown(async () => {
    for (const p of proxies) await p.down();
  });
  const replicas = proxies.map((p, i) => new WatchqProcess(['--kubeconfig', cluster.kubeconfig, '--server', `https://127.0.0.1:${p.port}`, 'configmaps', '-n', ns, '-o', 'json', '--leader-elect', '--exec', script], { ...process.env, WHO: `r${i}`, NO_COLOR: '1' }));
  t.teardown(() => replicas.forEach((r) => r.child.kill('SIGKILL')));
  let n = 0;
  /** Every create started, and the names that were made. */
  const pending: Array<Promise<unknown>> = [];
  const created: string[] = [];
  const touch = (): Promise<unknown> => {
    const name = `c${n++}`;
    const done = kubectlOk(['create', 'configmap', name, '-n', ns]).then(() => created.push(`${ns}/${name}`));
    pending.push(done.catch(() => undefined));
    return done;
  };

  await touch();
  const leaderIndex = await waitFor('a leader', async () => {
    const i = replicas.findIndex((r) => /Leading: lease/.test(r.stderr));
    return i >= 0 ? i : undefined;
  }, 60_000);
  const other = 1 - leaderIndex;
  await waitFor('the first change handled', async () => (runs(log).some((r) => r.key === `${ns}/c0` && Number.isFinite(r.end)) ? true : undefined), 60_000);

  // The partition: the leader's requests hang from now on.
  proxies[leaderIndex]!.freeze();
  const frozenAt = Date.now();
  const writer = setInterval(() => void touch().catch(() => undefined), 700);
  t.teardown(() => clearInterval(writer));
  await waitFor('the other replica to lead', async () => (/Leading: lease/.test(replicas[other]!.stderr) ? true : undefined), 60_000, 200);
  const tookOverMs = Date.now() - frozenAt;
  await waitFor('the cut-off leader to say it no longer leads', async () => (/No longer leading/.test(replicas[leaderIndex]!.stderr) ? true : undefined), 30_000, 200);
  await new Promise((r) => setTimeout(r, 3000));
  clearInterval(writer);
  await Promise.all(pending);
  t.deepEqual(overlaps(runs(log)), [], 'never two replicas handling at once');
  t.true(runs(log).some((r) => r.who === `r${other}`), 'the new leader handles changes');
  t.log(`takeover ${tookOverMs} ms after the partition`);

  // The whole API server frozen and thawed: no overlap either, and every key is handled after.
  proxies[leaderIndex]!.thaw();
  await signalApiserver('STOP');
  try {
    await new Promise((r) => setTimeout(r, 12_000));
  } finally {
    await signalApiserver('CONT');
  }
  await touch();
  const finished = () => new Set(runs(log).filter((r) => Number.isFinite(r.end)).map((r) => r.key));
  await waitFor('every change made handled', async () => (created.every((key) => finished().has(key)) ? true : undefined), 90_000);
  t.deepEqual(overlaps(runs(log)), [], 'no overlap after the freeze of the whole API server');
  t.true(created.length >= 5, `${created.length} changes made`);
});
