import test from 'ava';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk } from '../../helpers/cluster.ts';
import { WatchqProcess } from './watchq-process.ts';

const synced = (w: WatchqProcess, key: string) => w.events().some((e) => e.event === 'sync' && e.key === key);
const handledAnything = (w: WatchqProcess) => w.events().some((e) => e.event === 'sync' || e.event === 'delete');

test('three --leader-elect replicas: one handles events; killing it hands over within the lease and loses nothing', async (t) => {
  const { kubeconfig } = await ensureCluster();
  const ns = await createNamespace('watchq-leader');
  t.teardown(() => deleteNamespace(ns));
  await kubectlOk(['create', 'configmap', 'before', '-n', ns]);
  const replicas = [0, 1, 2].map(() => new WatchqProcess(['--kubeconfig', kubeconfig, 'configmaps', '-n', ns, '-o', 'json', '--leader-elect']));
  t.teardown(() => replicas.forEach((r) => r.child.kill('SIGKILL')));

  const leader = await replicas[0]!.waitFor('a leader to sync', () => replicas.find((r) => synced(r, `${ns}/before`)), 60_000);
  await new Promise((r) => setTimeout(r, 3000));
  t.is(replicas.filter(handledAnything).length, 1, 'only the leader runs handlers');
  t.regex(leader.stderr, /Leading: lease .*\/watchq-configmaps held by /);

  // The worst case: the leader dies without releasing the lease.
  leader.child.kill('SIGKILL');
  const killed = Date.now();
  await kubectlOk(['create', 'configmap', 'during-handover', '-n', ns]);
  const others = replicas.filter((r) => r !== leader);
  const next = await others[0]!.waitFor('the next leader to handle the change', () => others.find((r) => synced(r, `${ns}/during-handover`)), 60_000);
  const handoverMs = Date.now() - killed;
  t.true(handoverMs <= 15_000 + 2 * 2_000 * 2.2 + 2_000, `handover took ${handoverMs} ms (lease 15 s)`);
  t.true(synced(next, `${ns}/before`), 'the new leader syncs every object from its own list');
  t.is(others.filter(handledAnything).length, 1, 'still one leader');
  t.log(`handover after a SIGKILL: ${handoverMs} ms`);

  // A leader stopped with SIGTERM releases the lease: the last one takes over at once.
  const last = others.find((r) => r !== next)!;
  const stopped = await next.stop('SIGTERM');
  t.is(stopped.code, 0, stopped.stderr);
  const released = Date.now();
  await kubectlOk(['create', 'configmap', 'after-release', '-n', ns]);
  await last.waitFor('the last replica to lead', () => synced(last, `${ns}/after-release`), 30_000);
  t.true(Date.now() - released < 10_000, `took over ${Date.now() - released} ms after the release`);
  t.is((await last.stop('SIGTERM')).code, 0);
});
