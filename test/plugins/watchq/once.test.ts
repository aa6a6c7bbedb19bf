/** watchq --once (issue 27, point 10) against the real local cluster: handle the current state, then exit with what happened. */
import test from 'ava';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk } from '../../helpers/cluster.ts';
import { runPlugin } from '../../helpers/plugin.ts';

let ns = '';
let kubeconfig = '';

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('watchq-once');
  for (const name of ['a', 'b', 'broken']) await kubectlOk(['create', 'cm', name, '-n', ns]);
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
});

const once = (args: string[]) => runPlugin('watchq', ['--kubeconfig', kubeconfig, '-n', ns, 'configmaps', '--once', '--field-selector', 'metadata.name!=kube-root-ca.crt', ...args], { timeoutMs: 60_000 });

test('every key succeeded: exit 0 after one run each, with the summary', async (t) => {
  const r = await once(['--exec', 'echo "$WATCHQ_EVENT"']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr.match(/\] sync$/gm)?.length, 3);
  t.regex(r.stderr, /Summary: 3 synced, 0 deleted, 0 retried, 0 dropped$/m);
});

test('a key that keeps failing: retried, then exit 1 naming it and why; bad combinations are exit 2', async (t) => {
  const r = await once(['--exec', '[ "$WATCHQ_NAME" != broken ] || { echo "no such thing" >&2; exit 3; }', '--max-retries', '2']);
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /Summary: 2 synced, 0 deleted, 2 retried, 1 dropped$/m);
  t.regex(r.stderr, new RegExp(`^error: 1 key\\(s\\) failed: ${ns}/broken \\(exec ".*" exited with status 3: no such thing\\)$`, 'm'));
  const bad = await once(['--leader-elect']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^error: --once cannot be used with --leader-elect$/m);
});

test('--events: a retry and a drop are Warning Events on the object (retries counted in one Event), shown by kubectl describe', async (t) => {
  const r = await once(['--events', '--field-selector', 'metadata.name=broken', '--exec', 'echo "quota exceeded" >&2; exit 1', '--max-retries', '2', '--backoff', '5ms,5ms']);
  t.is(r.code, 1, r.stderr);
  const events = JSON.parse(await kubectlOk(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=broken', '-o', 'json'])) as {
    items: Array<{ reason: string; type: string; count: number; message: string; involvedObject: { kind: string; uid: string }; source: { component: string } }>;
  };
  const byReason = Object.fromEntries(events.items.map((e) => [e.reason, e]));
  t.deepEqual(Object.keys(byReason).sort(), ['HookDropped', 'HookFailed']);
  t.is(byReason.HookFailed!.count, 2);
  t.is(byReason.HookFailed!.type, 'Warning');
  t.is(byReason.HookDropped!.message, 'exec "echo "quota exceeded" >&2; exit 1" exited with status 1: quota exceeded');
  t.is(byReason.HookDropped!.involvedObject.kind, 'ConfigMap');
  t.is(byReason.HookDropped!.source.component, 'kubectl-watchq');
  t.regex(await kubectlOk(['describe', 'cm', 'broken', '-n', ns]), /Warning\s+HookDropped\s+.*kubectl-watchq\s+exec ".*" exited with status 1: quota exceeded/);
});

test('--owns: a type that cannot be watched is exit 2, an unknown one exit 4, an empty item exit 2', async (t) => {
  const unwatchable = await once(['--owns', 'tokenreviews']);
  t.is(unwatchable.code, 2, unwatchable.stderr);
  t.regex(unwatchable.stderr, /^error: --owns tokenreviews: tokenreviews.authentication.k8s.io cannot be watched \(the server allows only: create\)$/m);
  const unknown = await once(['--owns', 'secretz']);
  t.is(unknown.code, 4, unknown.stderr);
  t.regex(unknown.stderr, /^error: the server doesn't have a resource type "secretz"$/m);
  const empty = await once(['--owns', 'secrets,']);
  t.is(empty.code, 2);
  t.regex(empty.stderr, /^error: invalid --owns "secrets,": expected TYPE\[,TYPE\]$/m);
});
