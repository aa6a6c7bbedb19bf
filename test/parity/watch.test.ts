/**
 * `-w`, `--watch-only`, `--output-watch-events` against `kubectl get -w`, run side by side on the
 * same namespace while objects are added, changed and deleted: the same lines (ages masked),
 * widths that never shrink, the header once, deletes as kubectl shows them. Ctrl-C: we exit 0
 * (kubectl exits 1, see README). Also the watches kubectl refuses.
 */
import test from 'ava';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { maskAges } from '../helpers/oracle.ts';
import { pluginPath, runPlugin } from '../helpers/plugin.ts';
import { TcpProxy } from '../plugins/watchq/tcp-proxy.ts';
import { startWatching, until, type Watching } from '../helpers/watching.ts';

let kubeconfig = '';
let kubectlBinary = '';
const namespaces: string[] = [];
const children: ChildProcess[] = [];

test.before(async () => {
  const cluster = await ensureCluster();
  kubeconfig = cluster.kubeconfig;
  kubectlBinary = cluster.kubectl;
});

test.after.always(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const ns of namespaces) await deleteNamespace(ns);
});

function start(binary: string, args: string[]): Watching {
  const running = startWatching(binary, kubeconfig, args);
  children.push(running.child);
  return running;
}

const lines = (text: string) => text.split('\n').filter(Boolean).length;

const occurrences = (text: string, word: string) => text.split(word).length - 1;

for (const extra of [[], ['--output-watch-events'], ['--watch-only'], ['--no-headers', '-L', 'x'], ['-A', '-l', 'watched=yes'], ['-o', 'name'], ['-o', 'yaml'], ['-o', 'json', '--watch-only'], ['-o', 'jsonpath={.metadata.name}{" "}{.metadata.labels}{"\\n"}'], ['-o', 'json', '--output-watch-events'], ['-o', 'yaml', '--output-watch-events', '--watch-only'], ['-o', 'name', '--output-watch-events'], ['-o', 'jsonpath={.type} {.object.metadata.name}{"\\n"}', '--output-watch-events'], ['-o', 'custom-columns=NAME:.metadata.name,LABELS:.metadata.labels'], ['-o', 'custom-columns=EVENT:.type,NAME:.object.metadata.name', '--output-watch-events', '--watch-only'], ['-o', 'wide', '--output-watch-events'], ['-o', 'kyaml'], ['-o', 'kyaml', '--output-watch-events']]) {
  test.serial(`lsres -w ${extra.join(' ')} prints what kubectl get -w prints`, async (t) => {
    const ns = await createNamespace('parity-watch');
    namespaces.push(ns);
    await kubectlOk(['create', 'configmap', 'first', '-n', ns]);
    await kubectlOk(['label', 'configmap', 'first', 'watched=yes', '-n', ns]);
    const args = ['cm', '-n', ns, extra.includes('--watch-only') ? '--watch-only' : '-w', ...extra.filter((e) => e !== '--watch-only')];
    const ours = start(pluginPath('lsres'), args);
    const theirs = start(kubectlBinary, ['get', ...args]);
    await until('both to print the current list and watch', () => ours.watching() && theirs.watching());
    await kubectlOk(['create', 'configmap', 'a-much-longer-name-than-the-others', '-n', ns]);
    await kubectlOk(['label', 'configmap', 'a-much-longer-name-than-the-others', 'watched=yes', 'x=1', '-n', ns]);
    await kubectlOk(['label', 'configmap', 'first', 'x=2', '-n', ns, '--overwrite']);
    await kubectlOk(['delete', 'configmap', 'a-much-longer-name-than-the-others', '-n', ns]);
    // Both have seen the delete (the last change) when the name showed three times: added,
    // labelled, deleted (twice with -l watched=yes: it enters the selection when labelled).
    const name = 'a-much-longer-name-than-the-others';
    const times = extra.includes('-l') ? 2 : 3;
    await until('both to print the changes', () => occurrences(theirs.out(), name) >= times && occurrences(ours.out(), name) >= times);
    await sleep(1000);
    ours.child.kill('SIGINT');
    theirs.child.kill('SIGINT');
    const [ourCode, theirCode] = await Promise.all([ours.done, theirs.done]);
    t.is(ourCode, 0);
    t.is(theirCode, 1);
    t.is(maskAges(ours.out()), maskAges(theirs.out()));
    t.regex(ours.out(), /a-much-longer-name-than-the-others/);
  });
}

test('one object by name: its line, then its changes only', async (t) => {
  const ns = await createNamespace('parity-watch-one');
  namespaces.push(ns);
  await kubectlOk(['create', 'configmap', 'one', '-n', ns]);
  await kubectlOk(['create', 'configmap', 'other', '-n', ns]);
  const args = ['cm', 'one', '-n', ns, '-w'];
  const ours = start(pluginPath('lsres'), args);
  const theirs = start(kubectlBinary, ['get', ...args]);
  await until('the object and the watch', () => lines(ours.out()) >= 2 && lines(theirs.out()) >= 2 && ours.watching() && theirs.watching());
  await kubectlOk(['label', 'configmap', 'other', 'x=1', '-n', ns]);
  await kubectlOk(['label', 'configmap', 'one', 'x=1', '-n', ns]);
  await until('the change', () => lines(ours.out()) >= 3 && lines(theirs.out()) >= 3);
  await sleep(1000);
  ours.child.kill('SIGINT');
  theirs.child.kill('SIGINT');
  await Promise.all([ours.done, theirs.done]);
  t.is(maskAges(ours.out()), maskAges(theirs.out()));
  t.is(lines(ours.out()), 3);
});

test('watches both refuse: several types, several names (kubectl prints them first); --output-watch-events without -w', async (t) => {
  for (const [args, message] of [
    [['cm,svc', '-w'], 'error: you may only specify a single resource type\n'],
    [['cm', 'kube-root-ca.crt', 'kube-root-ca.crt', '-w'], 'error: you may only watch a single resource or type of resource at a time\n'],
    [['cm', '--output-watch-events'], 'error: --output-watch-events option can only be used with --watch or --watch-only\n'],
  ] as Array<[string[], string]>) {
    const theirs = await kubectl(['get', ...args, '-n', 'default']);
    const ours = await runPlugin('lsres', ['--kubeconfig', kubeconfig, ...args, '-n', 'default']);
    t.is(theirs.code, 1);
    t.is(ours.code, 2);
    t.is(theirs.stderr, message, args.join(' '));
    t.is(ours.stderr, message, args.join(' '));
  }
});

test('a cut connection and a server gone for a while: the watch is opened again, no change missed', async (t) => {
  const ns = await createNamespace('watch-cut');
  namespaces.push(ns);
  await kubectlOk(['create', 'configmap', 'first', '-n', ns]);
  const target = new URL((await ensureCluster()).server);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  await proxy.up();
  try {
    const ours = start(pluginPath('lsres'), ['cm', '-n', ns, '-w', '--server', `https://127.0.0.1:${proxy.port}`]);
    await until('the watch', () => ours.watching());
    proxy.cut();
    await kubectlOk(['create', 'configmap', 'after-the-cut', '-n', ns]);
    await until('the change after the cut', () => ours.out().includes('after-the-cut'));
    await proxy.down();
    await kubectlOk(['create', 'configmap', 'while-down', '-n', ns]);
    await sleep(2500);
    await proxy.up();
    await until('the change made while the server could not be reached', () => ours.out().includes('while-down'));
    ours.child.kill('SIGINT');
    t.is(await ours.done, 0);
    t.deepEqual(ours.out().split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]), ['NAME', 'first', 'kube-root-ca.crt', 'after-the-cut', 'while-down']);
  } finally {
    await proxy.down();
  }
});
