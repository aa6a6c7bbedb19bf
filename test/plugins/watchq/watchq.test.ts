/**
 * `kubectl watchq` against the real local cluster, run as the built binary. One namespace for
 * the file; each test works on its own deployments, picked out with a `scenario` label (-l).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { createFactory } from '../../../shared/cli/factory.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk, serviceAccountKubeconfig } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';
import { TcpProxy } from './tcp-proxy.ts';
import { WatchqProcess, type WatchqEvent } from './watchq-process.ts';

let ns = '';
let kubeconfig = '';
let tmp = '';
let server = '';
/** Deleted after the tests. */
const namespaces: string[] = [];

test.before(async () => {
  const cluster = await ensureCluster();
  kubeconfig = cluster.kubeconfig;
  server = cluster.server;
  ns = await createNamespace('watchq');
  namespaces.push(ns);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-it-'));
});

test.after.always(async () => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  await Promise.all(namespaces.map((name) => deleteNamespace(name)));
});

function deploymentYaml(name: string, scenario: string, replicas = 1): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { scenario: ${scenario} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}, scenario: ${scenario} } }
    spec: { containers: [{ name: nginx, image: nginx:1.27 }] }
---
`;
}

/**
 * Creates the deployments and waits until the controllers are done with them (rolled out, and
 * no resourceVersion changing for a while), so watchq sees each exactly once.
 */
async function createSettled(scenario: string, names: string[], replicas = 1, namespace = ns): Promise<void> {
  await kubectlOk(['apply', '-n', namespace, '-f', '-'], { input: names.map((n) => deploymentYaml(n, scenario, replicas)).join('') });
  let last = '';
  let stableSince = Date.now();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = JSON.parse(await kubectlOk(['get', 'deploy', '-n', namespace, '-l', `scenario=${scenario}`, '-o', 'json'])) as {
      items: Array<{ metadata: { resourceVersion: string; generation: number }; spec: { replicas: number }; status: { observedGeneration?: number; availableReplicas?: number; updatedReplicas?: number } }>;
    };
    const done = list.items.length === names.length && list.items.every((d) => d.status.observedGeneration === d.metadata.generation && (d.status.availableReplicas ?? 0) === d.spec.replicas && (d.status.updatedReplicas ?? 0) === d.spec.replicas);
    const rvs = list.items.map((d) => d.metadata.resourceVersion).join(',');
    if (rvs !== last) {
      last = rvs;
      stableSince = Date.now();
    }
    if (done && Date.now() - stableSince >= 1500) return;
    if (Date.now() > deadline) throw new Error(`deployments ${names.join(', ')} did not settle`);
    await sleep(250);
  }
}

const watchq = (args: string[], namespace = ns) => new WatchqProcess(['--kubeconfig', kubeconfig, '-n', namespace, ...args]);
const forKey = (events: WatchqEvent[], name: string, namespace = ns) => events.filter((e) => e.key === `${namespace}/${name}`);

test("the seed's scenario in text: each deployment synced once; test-deployment retried 5 times, then dropped", async (t) => {
  await createSettled('seed-text', ['demo-1', 'demo-2', 'test-deployment']);
  const p = watchq(['-l', 'scenario=seed-text', '--fail-on', 'test-deployment']);
  await p.waitFor('the drop', () => p.stderr.includes('Dropping'));
  await sleep(500);
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  t.deepEqual(result.stdout.trim().split('\n').sort(), ['Sync/Add/Update for Deployment demo-1, Replicas: 1', 'Sync/Add/Update for Deployment demo-2, Replicas: 1']);
  const log = result.stderr.split('\n').map((l) => l.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, ''));
  t.deepEqual(
    log.filter((l) => l.includes('test-deployment')),
    [
      ...[0, 1, 2, 3, 4].map((n) => `Retry ${n} for key ${ns}/test-deployment: simulated error for deployment test-deployment`),
      `Dropping deployment "${ns}/test-deployment" out of the queue: simulated error for deployment test-deployment`,
    ],
  );
  t.true(log.includes('Synced 3 objects'));
  t.true(log.includes('Summary: 2 synced, 0 deleted, 5 retried, 1 dropped'));
  t.regex(result.stderr, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Retry 0 for key /m, 'Go log timestamps');
});

test("the seed's scenario in json: 6 tries with growing delays, others carry on", async (t) => {
  // Same names as the text test: a namespace of its own.
  const own = await createNamespace('watchq-seed');
  namespaces.push(own);
  await createSettled('seed-json', ['demo-1', 'demo-2', 'test-deployment'], 1, own);
  // A slow handler for everyone (50 ms), so the others are still being handled while test-deployment retries.
  const p = watchq(['--fail-on', 'test-deployment', '-o', 'json', '--workers', '2', '--exec', 'sleep 0.05'], own);
  await p.waitFor('the drop', () => p.events().some((e) => e.event === 'drop'));
  await sleep(300);
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  const events = p.events();
  t.like(events[0], { event: 'synced', kind: 'Deployment', count: 3 });
  const tries = forKey(events, 'test-deployment', own);
  t.deepEqual(tries.map((e) => [e.event, e.attempt]), [['retry', 1], ['retry', 2], ['retry', 3], ['retry', 4], ['retry', 5], ['drop', 6]]);
  t.true(tries.every((e) => e.error === 'simulated error for deployment test-deployment'));
  // The default controller limiter: 5, 10, 20, 40, 80 ms between tries (ms timestamps: allow 2 ms).
  const at = tries.map((e) => Date.parse(e.time));
  const gaps = at.slice(1).map((a, i) => a - at[i]!);
  gaps.forEach((gap, i) => t.true(gap >= 5 * 2 ** i - 2, `gap ${i} is ${gap} ms, want ≥ ${5 * 2 ** i} ms (gaps ${gaps.join(', ')})`));
  t.true(gaps[4]! > gaps[0]!, `delays grow: ${gaps.join(', ')}`);
  for (const name of ['demo-1', 'demo-2']) {
    t.deepEqual(forKey(events, name, own).map((e) => [e.event, e.attempt]), [['sync', 1]], `${name} synced once`);
  }
});

test('20 quick updates while the handler sleeps give at most 2 runs', async (t) => {
  await createSettled('busy', ['busy'], 0);
  const transport = createFactory({ kubeconfig }).transport();
  const busyPath = `/apis/apps/v1/namespaces/${ns}/deployments/busy`;
  // The handler sleeps until the test opens the gate (after the 20 updates), so the updates land
  // during the first run however slow the machine is; later runs pass the open gate at once.
  const gate = path.join(fs.mkdtempSync(path.join(tmp, 'busy-')), 'gate');
  const p = watchq(['-l', 'scenario=busy', '-o', 'json', '--exec', `until [ -e ${gate} ]; do sleep 0.1; done; sleep 1`]);
  await p.waitForSync();
  // Labels, not annotations: a Deployment's annotations bump its generation, and the
  // controller-manager's status update for each would be another change.
  for (let i = 0; i < 20; i++) {
    const res = await transport.request({
      method: 'PATCH',
      path: busyPath,
      headers: { 'Content-Type': 'application/merge-patch+json', Accept: 'application/json' },
      body: JSON.stringify({ metadata: { labels: { 'watchq-update': String(i) } } }),
    });
    t.is(res.status, 200, res.body.toString());
  }
  await sleep(300); // the last events reach watchq
  t.is(forKey(p.events(), 'busy').length, 0, 'the first run is still going');
  fs.writeFileSync(gate, '');
  await p.waitFor('a second run', () => forKey(p.events(), 'busy').length >= 2);
  // A wrong third run would have been queued when the second finished: a change to another
  // object, queued after it, is handled once that run has at least started, and SIGTERM waits for
  // running handlers. So once the sentinel is handled, every run of busy is in the events.
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: deploymentYaml('busy-sentinel', 'busy', 0) });
  await p.waitFor('the sentinel handled', () => forKey(p.events(), 'busy-sentinel').length >= 1);
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  const runs = forKey(p.events(), 'busy');
  t.is(runs.length, 2, `runs ended ${runs.map((e) => `${e.time} (${e.durationMs} ms)`).join(', ')}`);
  t.true(runs.every((e) => e.event === 'sync' && e.durationMs! >= 1000));
});

test('--exec: the object on stdin, WATCHQ_* in the environment, deletes too', async (t) => {
  await createSettled('exec-ok', ['exec-a', 'exec-b'], 0);
  const dir = fs.mkdtempSync(path.join(tmp, 'exec-ok-'));
  const script = path.join(dir, 'handler.sh');
  fs.writeFileSync(script, `#!/bin/sh\necho "$WATCHQ_EVENT $WATCHQ_KEY $WATCHQ_ATTEMPT" >> ${dir}/calls\ncat > ${dir}/$WATCHQ_NAME.json\necho "handled $WATCHQ_NAME"\n`, { mode: 0o755 });
  const p = watchq(['-l', 'scenario=exec-ok', '--exec', script]);
  await p.waitFor('two syncs', () => p.stdout.split('\n').filter((l) => l.startsWith('Sync/Add/Update')).length === 2);
  await kubectlOk(['delete', 'deploy', 'exec-b', '-n', ns, '--wait=false']);
  await p.waitFor('the delete', () => p.stdout.includes(`Deleted Deployment ${ns}/exec-b`));
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^Sync\/Add\/Update for Deployment exec-a, Replicas: 0$/m);
  t.regex(result.stderr, new RegExp(`^\\[${ns}/exec-a\\] handled exec-a$`, 'm'), "the command's output goes to stderr, each line prefixed with its key");
  const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
  t.deepEqual(calls.sort(), [`delete ${ns}/exec-b 1`, `sync ${ns}/exec-a 1`, `sync ${ns}/exec-b 1`]);
  const object = JSON.parse(fs.readFileSync(path.join(dir, 'exec-a.json'), 'utf8')) as { kind: string; metadata: { name: string; namespace: string } };
  t.like(object, { kind: 'Deployment', metadata: { name: 'exec-a', namespace: ns } });
  t.regex(result.stderr, /Summary: 2 synced, 1 deleted, 0 retried, 0 dropped/);
});

test('--exec: a failure is retried, then succeeds (WATCHQ_ATTEMPT counts up)', async (t) => {
  await createSettled('exec-retry', ['flaky'], 0);
  const dir = fs.mkdtempSync(path.join(tmp, 'exec-retry-'));
  const script = path.join(dir, 'flaky.sh');
  // Fails twice (a counter file), then succeeds.
  fs.writeFileSync(script, `#!/bin/sh\nn=$(cat ${dir}/count 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > ${dir}/count\necho "attempt $WATCHQ_ATTEMPT" >> ${dir}/attempts\n[ $n -ge 3 ]\n`, { mode: 0o755 });
  const p = watchq(['-l', 'scenario=exec-retry', '-o', 'json', '--exec', script]);
  await p.waitFor('the success', () => p.events().some((e) => e.event === 'sync'));
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  t.deepEqual(forKey(p.events(), 'flaky').map((e) => [e.event, e.attempt]), [['retry', 1], ['retry', 2], ['sync', 3]]);
  t.regex(forKey(p.events(), 'flaky')[0]!.error!, /exited with status 1/);
  t.is(fs.readFileSync(path.join(dir, 'attempts'), 'utf8'), 'attempt 1\nattempt 2\nattempt 3\n');
  t.regex(result.stderr, /Summary: 1 synced, 0 deleted, 2 retried, 0 dropped/);
});

test('--field-selector narrows what is watched, as kubectl get\'s; one the server does not support is its error at once, exit 1', async (t) => {
  await createSettled('field-sel', ['picked', 'other'], 0);
  const p = watchq(['-l', 'scenario=field-sel', '--field-selector', 'metadata.name=picked', '-o', 'json']);
  await p.waitForSync();
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  const keys = p.events().filter((e) => e.event === 'sync').map((e) => e.key);
  t.deepEqual(keys, [`${ns}/picked`]);
  t.is((await kubectlOk(['get', 'deploy', '-n', ns, '-l', 'scenario=field-sel', '--field-selector', 'metadata.name=picked', '-o', 'name'])).trim(), 'deployment.apps/picked');
  const bad = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, '--field-selector', 'bogus=1'], { timeoutMs: 30_000 });
  t.is(bad.code, 1, bad.stderr);
  t.regex(bad.stderr, /^error: "bogus" is not a known field selector/);
  t.is(bad.stderr.split('\n').filter(Boolean).length, 1, bad.stderr);
});

test('WATCHQ_EVENT says what happened (sync, add, update with WATCHQ_OLD, delete), on the real cluster', async (t) => {
  await createSettled('exec-events', ['early'], 0);
  const dir = fs.mkdtempSync(path.join(tmp, 'exec-events-'));
  const script = path.join(dir, 'events.sh');
  // One line per run: the event, the name, the replicas now and (for an update) before.
  fs.writeFileSync(script, `#!/bin/sh\nnow=$(sed -n 's/.*"replicas":\\([0-9]*\\).*/\\1/p' | head -1)\nold=""\n[ -n "$WATCHQ_OLD" ] && old=$(sed -n 's/.*"replicas":\\([0-9]*\\).*/\\1/p' "$WATCHQ_OLD" | head -1)\necho "$WATCHQ_EVENT $WATCHQ_NAME $now $old" >> ${dir}/runs\n`, { mode: 0o755 });
  const p = watchq(['-l', 'scenario=exec-events', '-o', 'json', '--exec', script]);
  await p.waitForSync();
  await p.waitFor('the first run', () => fs.existsSync(path.join(dir, 'runs')));
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: deploymentYaml('late', 'exec-events', 0) });
  await p.waitFor('the add', () => fs.readFileSync(path.join(dir, 'runs'), 'utf8').includes('add late'));
  await kubectlOk(['scale', 'deploy/early', '--replicas=2', '-n', ns]);
  await p.waitFor('the update', () => fs.readFileSync(path.join(dir, 'runs'), 'utf8').includes('update early 2'));
  await kubectlOk(['delete', 'deploy', 'late', '-n', ns, '--wait=false']);
  await p.waitFor('the delete', () => fs.readFileSync(path.join(dir, 'runs'), 'utf8').includes('delete late'));
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  const runs = fs.readFileSync(path.join(dir, 'runs'), 'utf8').trim().split('\n').map((l) => l.trim());
  t.is(runs[0], 'sync early 0');
  t.true(runs.includes('add late 0'), runs.join('\n'));
  t.true(runs.includes('update early 2 0'), 'the update carries the object as the last successful run saw it');
  t.true(runs.some((l) => l.startsWith('delete late')), runs.join('\n'));
});

test('--changes: a hook annotating its own object (through the hooks\' kubeconfig) does not wake itself; a spec change does; a template that does not parse is exit 2', async (t) => {
  await createSettled('exec-changes', ['self-writer'], 0);
  const dir = fs.mkdtempSync(path.join(tmp, 'exec-changes-'));
  const script = path.join(dir, 'annotate.sh');
  const kubectlBin = (await ensureCluster()).kubectl;
  fs.writeFileSync(script, `#!/bin/sh\necho "$WATCHQ_EVENT" >> ${dir}/runs\n${kubectlBin} annotate deploy "$WATCHQ_NAME" --overwrite "handled-at=$(date +%s%N)" >/dev/null\n`, { mode: 0o755 });
  const p = watchq(['-l', 'scenario=exec-changes', '-o', 'json', '--exec', script, '--changes', '{.spec}{.metadata.labels}']);
  await p.waitFor('the first run', () => fs.existsSync(path.join(dir, 'runs')));
  await sleep(2000);
  t.deepEqual(fs.readFileSync(path.join(dir, 'runs'), 'utf8').trim().split('\n'), ['sync'], 'its own annotation did not run it again');
  await kubectlOk(['scale', 'deploy/self-writer', '--replicas=1', '-n', ns]);
  await p.waitFor('the update', () => fs.readFileSync(path.join(dir, 'runs'), 'utf8').includes('update'));
  await sleep(1500);
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  t.deepEqual(fs.readFileSync(path.join(dir, 'runs'), 'utf8').trim().split('\n'), ['sync', 'update']);
  const bad = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, '--changes', '{.spec'], { timeoutMs: 30_000 });
  t.is(bad.code, 2, bad.stderr);
  t.regex(bad.stderr, /^error: error parsing --changes \{\.spec: /);
});

test('WATCHQ_RESULT: requeue-after runs the key again; permanent drops it at once; a line watchq does not know stops it with exit 2', async (t) => {
  await createSettled('exec-result', ['poller', 'doomed', 'confused'], 0);
  const dir = fs.mkdtempSync(path.join(tmp, 'exec-result-'));
  const script = path.join(dir, 'result.sh');
  fs.writeFileSync(
    script,
    [
      '#!/bin/sh',
      `echo run >> ${dir}/$WATCHQ_NAME`,
      'case "$WATCHQ_NAME" in',
      `  poller) [ "$(wc -l < ${dir}/poller)" -lt 3 ] && echo "requeue-after 300ms" > "$WATCHQ_RESULT"; exit 0 ;;`,
      '  doomed) echo "permanent the name is taken" > "$WATCHQ_RESULT"; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const p = watchq(['-l', 'scenario=exec-result', '--field-selector', 'metadata.name!=confused', '-o', 'json', '--exec', script]);
  await p.waitFor('three runs of poller and the drop', () => forKey(p.events(), 'poller').length >= 3 && p.events().some((e) => e.event === 'drop'));
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  t.deepEqual(forKey(p.events(), 'poller').map((e) => [e.event, e.attempt]), [['sync', 1], ['sync', 1], ['sync', 1]]);
  t.deepEqual(forKey(p.events(), 'doomed').map((e) => [e.event, e.attempt, e.error]), [['drop', 1, `exec "${script}" exited with status 1: permanent: the name is taken`]]);
  // A result line watchq does not know: the hook broke the contract, watchq stops at once.
  fs.writeFileSync(script, '#!/bin/sh\necho "call me maybe" > "$WATCHQ_RESULT"\n', { mode: 0o755 });
  const bad = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, '-l', 'scenario=exec-result', '--field-selector', 'metadata.name=confused', '--exec', script], { timeoutMs: 30_000 });
  t.is(bad.code, 2, bad.stderr);
  t.regex(bad.stderr, /^error: --exec ".*result\.sh" wrote "call me maybe" to WATCHQ_RESULT: not a result watchq knows$/m);
});

test('--max-retries -1 never drops: a key failing 8 times is still handled on the 9th try; --backoff sets the delays', async (t) => {
  await createSettled('exec-forever', ['stubborn'], 0);
  const dir = fs.mkdtempSync(path.join(tmp, 'exec-forever-'));
  const script = path.join(dir, 'stubborn.sh');
  fs.writeFileSync(script, `#!/bin/sh\n[ "$WATCHQ_ATTEMPT" -ge 9 ]\n`, { mode: 0o755 });
  const p = watchq(['-l', 'scenario=exec-forever', '-o', 'json', '--exec', script, '--max-retries', '-1', '--backoff', '1ms,4ms']);
  await p.waitFor('the success', () => p.events().some((e) => e.event === 'sync'));
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  const tries = forKey(p.events(), 'stubborn');
  t.deepEqual(tries.map((e) => [e.event, e.attempt]), [...Array.from({ length: 8 }, (_, i) => ['retry', i + 1]), ['sync', 9]]);
  // The default --max-retries 5 would have dropped it after the 6th try.
  t.false(tries.some((e) => e.event === 'drop'));
});

test('--exec-timeout kills a hung handler: a failure, retried, then dropped', async (t) => {
  await createSettled('exec-timeout', ['hung'], 0);
  const p = watchq(['-l', 'scenario=exec-timeout', '-o', 'json', '--exec', 'sleep 30', '--exec-timeout', '300ms', '--max-retries', '1']);
  await p.waitFor('the drop', () => p.events().some((e) => e.event === 'drop'));
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  const tries = forKey(p.events(), 'hung');
  t.deepEqual(tries.map((e) => [e.event, e.attempt]), [['retry', 1], ['drop', 2]]);
  for (const e of tries) {
    t.is(e.error, 'exec "sleep 30" timed out after 300ms (killed)');
    t.true(e.durationMs! >= 300 && e.durationMs! < 5000, `${e.durationMs} ms`);
  }
});

test('SIGTERM: no new work, the running handler finishes, a summary, exit 0', async (t) => {
  await createSettled('drain', ['drain-a', 'drain-b', 'drain-c'], 0);
  const p = watchq(['-l', 'scenario=drain', '-o', 'json', '--exec', 'echo "started $WATCHQ_NAME" >&2; sleep 2; echo "finished $WATCHQ_NAME" >&2']);
  await p.waitForSync();
  await p.waitFor('one handler running (two keys wait)', () => /started drain-/.test(p.stderr));
  const started = Date.now();
  const result = await p.stop('SIGTERM');
  const took = Date.now() - started;
  t.is(result.code, 0, result.stderr);
  t.true(took >= 1000 && took < 20_000, `exited after ${took} ms: waited for the running handler`);
  const syncs = p.events().filter((e) => e.event === 'sync');
  t.is(syncs.length, 1, 'only the handler already running finished');
  t.regex(result.stderr, /finished drain-/);
  t.regex(result.stderr, /Summary: 1 synced, 0 deleted, 0 retried, 0 dropped\n$/);
});

test('usage errors exit 2 before anything starts', async (t) => {
  for (const [args, message] of [
    [['--workers', '0'], /--workers: must be a whole number ≥ 1/],
    [['--fail-on', '(['], /invalid --fail-on regular expression/],
    [['--exec', 'no-such-command-xyz'], /--exec: no-such-command-xyz: command not found/],
    [['-o', 'yaml'], /invalid output format "yaml"/],
    [['--metrics-addr', 'nonsense'], /expected HOST:PORT/],
  ] as Array<[string[], RegExp]>) {
    const r = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, ...args], { timeoutMs: 60_000 });
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, message);
    t.is(r.stdout, '');
  }
});

test('--metrics-addr serves the workqueue, informer and controller-runtime reconcile metrics; a port in use exits 2', async (t) => {
  await createSettled('metrics', ['metrics-a'], 0);
  const p = watchq(['-l', 'scenario=metrics', '--metrics-addr', '127.0.0.1:0']);
  const url = await p.waitFor('the metrics address', () => p.stderr.match(/Serving metrics at (http:\S+)/)?.[1]);
  await p.waitForSync();
  await p.waitFor('the sync line', () => p.stdout.includes('metrics-a'));
  const text = await (await fetch(url)).text();
  t.regex(text, /^workqueue_adds_total\{name="deployments.apps"\} 1$/m);
  t.regex(text, /^workqueue_depth\{name="deployments.apps"\} 0$/m);
  t.regex(text, /^informer_relists_total\{resource="deployments.apps"\} 0$/m);
  t.regex(text, /^informer_reconnects_total\{resource="deployments.apps"\} 0$/m);
  t.regex(text, /^informer_synced\{resource="deployments.apps"\} 1$/m);
  t.regex(text, /^watchq_handler_results_total\{result="synced"\} 1$/m);
  t.regex(text, /^controller_runtime_reconcile_total\{controller="deployment",result="success"\} 1$/m);
  t.regex(text, /^controller_runtime_reconcile_total\{controller="deployment",result="requeue"\} 0$/m);
  t.regex(text, /^controller_runtime_reconcile_errors_total\{controller="deployment"\} 0$/m);
  t.regex(text, /^controller_runtime_reconcile_time_seconds_count\{controller="deployment"\} 1$/m);
  t.regex(text, /^controller_runtime_reconcile_time_seconds_bucket\{le="60",controller="deployment"\} 1$/m);
  t.regex(text, /^controller_runtime_max_concurrent_reconciles\{controller="deployment"\} 1$/m);
  t.regex(text, /^controller_runtime_active_workers\{controller="deployment"\} 0$/m);

  const port = new URL(url).port;
  const busy = await runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, '--metrics-addr', `127.0.0.1:${port}`], { timeoutMs: 60_000 });
  t.is(busy.code, 2);
  t.regex(busy.stderr, new RegExp(`--metrics-addr 127.0.0.1:${port}: cannot listen: address already in use`));
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
});

test('no right to list: exit 3 at once with the server message', async (t) => {
  const denied = await serviceAccountKubeconfig(ns, 'watchq-nobody');
  const r = await runPlugin('watchq', ['--kubeconfig', denied, '-n', ns], { timeoutMs: 60_000 });
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /deployments\.apps is forbidden/);
});

test('connections reset and refused: reconnects with growing delays and misses no change', async (t) => {
  await createSettled('reconnect', ['steady'], 0);
  const target = new URL(server);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  await proxy.up();
  const p = watchq(['-l', 'scenario=reconnect', '-o', 'json', '--server', `https://127.0.0.1:${proxy.port}`]);
  try {
    await p.waitFor('the first sync', () => forKey(p.events(), 'steady').length === 1);
    await proxy.down();
    // While watchq cannot connect: a new deployment and a change to the old one.
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: deploymentYaml('arrived-offline', 'reconnect', 0) });
    await kubectlOk(['label', 'deploy', 'steady', '-n', ns, 'changed=offline']);
    await p.waitFor('three failed reconnects', () => p.events().filter((e) => e.event === 'error').length >= 3);
    await proxy.up();
    // (The new deployment may sync more than once: the controllers update its status.)
    await p.waitFor('the changes made offline', () => forKey(p.events(), 'arrived-offline').length >= 1 && forKey(p.events(), 'steady').length === 2);
  } finally {
    await proxy.down();
  }
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  const errors = p.events().filter((e) => e.event === 'error') as Array<WatchqEvent & { action: string; retryInMs: number }>;
  t.true(errors.every((e) => e.action === 'reconnect'), JSON.stringify(errors));
  const delays = errors.map((e) => e.retryInMs);
  // 800 ms doubling, each with up to 20% jitter.
  delays.slice(0, 3).forEach((d, i) => t.true(d >= 800 * 2 ** i && d <= 960 * 2 ** i, `delays ${delays.join(', ')}`));
  // The cut finds the watch streaming (lost) or being opened (unable to connect); then refusals.
  t.regex(errors[0]!.error!, /^watch of deployments.apps in namespace "[^"]+" ended: (connection to 127.0.0.1:\d+ lost|unable to connect to the server https:\/\/127.0.0.1:\d+): connection reset by peer; retrying in /);
  t.true(errors.slice(1).some((e) => /ended: unable to connect to the server https:\/\/127.0.0.1:\d+: connection refused; retrying in /.test(e.error!)), JSON.stringify(errors));
});

test('--resync hands every cached object to the handler again; -A watches all namespaces', async (t) => {
  await createSettled('resync', ['resync-a'], 0);
  const p = new WatchqProcess(['--kubeconfig', kubeconfig, '-A', '-l', 'scenario=resync', '-o', 'json', '--resync', '1s']);
  await p.waitFor('three runs', () => forKey(p.events(), 'resync-a').length >= 3);
  const result = await p.stop('SIGTERM');
  t.is(result.code, 0, result.stderr);
  const runs = forKey(p.events(), 'resync-a');
  t.true(runs.every((e) => e.event === 'sync' && e.attempt === 1));
  const at = runs.map((e) => Date.parse(e.time));
  t.true(at[2]! - at[0]! >= 1500, `resyncs about a second apart: ${runs.map((e) => e.time).join(', ')}`);
});
