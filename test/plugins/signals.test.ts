/**
 * Real signals to the built executables: an interrupted command exits 130 (SIGINT) or 143
 * (SIGTERM) with nothing or one line on stderr, never a "bug" report; an interrupted
 * `mkdeploy -f` takes back what it created; `--wait` stops at once on a failed rollout.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { pluginPath } from '../helpers/plugin.ts';
import { waitFor } from '../helpers/wait.ts';
import { TcpProxy } from './watchq/tcp-proxy.ts';

let ns = '';
let kubeconfig = '';
let server = '';

test.before(async () => {
  const c = await ensureCluster();
  kubeconfig = c.kubeconfig;
  server = c.server;
  ns = await createNamespace('signals');
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
});

interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts a plugin, sends `signal` once `ready(stdout, stderr)` holds (or after `afterMs`), and waits for it to exit. */
function interrupt(name: string, args: string[], signal: NodeJS.Signals, ready: (out: string, err: string) => boolean, input = ''): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(pluginPath(name), ['--kubeconfig', kubeconfig, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const poke = () => {
      if (!sent && ready(stdout, stderr)) {
        sent = true;
        child.kill(signal);
      }
    };
    child.stdout.on('data', (d) => ((stdout += d), poke()));
    child.stderr.on('data', (d) => ((stderr += d), poke()));
    const timer = setInterval(poke, 50);
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Nothing but the request log (-v=7) and at most one line of our own. */
const quiet = (t: import('ava').ExecutionContext, r: Interrupted) => {
  const own = r.stderr.split('\n').filter((l) => l !== '' && !/round_trippers\]/.test(l));
  t.notRegex(r.stderr, /unexpected failure|this is a bug|unable to connect/, r.stderr);
  t.true(own.length <= 1, `at most one line: ${r.stderr}`);
};
/** The request is on its way (-v=7 logs it before sending): the plugin is waiting on the server. */
const requesting = (_out: string, err: string) => /round_trippers\] GET /.test(err);

for (const [name, args] of [['lsres', []], ['dynget', ['pods']]] as const) {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    test(`${name}: ${signal} while a request hangs exits ${code}`, async (t) => {
      const target = new URL(server);
      const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
      await proxy.up();
      proxy.freeze();
      t.teardown(() => proxy.down());
      const r = await interrupt(name, [...args, '-n', ns, '--server', `https://127.0.0.1:${proxy.port}`, '-v=7'], signal, requesting);
      t.is(r.code, code, r.stderr);
      quiet(t, r);
    });
  }
}

test('dynget --raw of a watch: Ctrl-C exits 130, not "unreachable"', async (t) => {
  // The body of a watch never ends: half a second after the request went out, it is streaming.
  let sentAt = 0;
  const streaming = (out: string, err: string) => {
    if (sentAt === 0 && requesting(out, err)) sentAt = Date.now();
    return sentAt > 0 && Date.now() - sentAt > 500;
  };
  const r = await interrupt('dynget', ['--raw', `/api/v1/namespaces/${ns}/configmaps?watch=1`, '-v=7'], 'SIGINT', streaming);
  t.is(r.code, 130, r.stderr);
  quiet(t, r);
});

test('mkdeploy -f interrupted between creates deletes what it created, and says so', async (t) => {
  const items = Array.from({ length: 150 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `sig-${i}`, labels: { run: 'signals' } } }));
  const r = await interrupt('mkdeploy', ['-f', '-', '-n', ns], 'SIGINT', (out) => out.split('\n').filter(Boolean).length >= 3, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  t.is(r.code, 130, r.stderr);
  t.regex(r.stderr, /^error: interrupted: the \d+ object\(s\) created before it were deleted again\n$/);
  const left = await kubectlOk(['get', 'configmaps', '-n', ns, '-l', 'run=signals', '-o', 'name']);
  t.is(left.trim(), '', 'nothing left behind');
});

test('mkdeploy --wait: Ctrl-C while waiting exits 130, leaves the deployment and says so in one line; a deployment past its progress deadline fails at once', async (t) => {
  const stuck = await createNamespace('signals-stuck');
  t.teardown(() => deleteNamespace(stuck));
  // No pod may be created here: a rollout cannot finish.
  await kubectlOk(['create', 'quota', 'none', '--hard=pods=0', '-n', stuck]);
  const r = await interrupt('mkdeploy', ['waiting', '--image', 'nginx', '-n', stuck, '--wait'], 'SIGINT', (_out, err) => /Waiting for deployment/.test(err));
  t.is(r.code, 130, r.stderr);
  t.notRegex(r.stderr, /unexpected failure|this is a bug/);
  // As kubectl leaves what it created when its wait stops (#26): the create succeeded, only the wait stopped.
  t.regex(r.stderr, new RegExp(`^error: interrupted: deployment\\.apps/waiting was created and is not rolled out yet \\(kubectl rollout status deployment/waiting -n ${stuck} follows it\\)$`, 'm'));
  t.is(r.stderr.split('\n').filter((l) => l.startsWith('error: ')).length, 1, r.stderr);
  t.is((await kubectlOk(['get', 'deploy', 'waiting', '-n', stuck, '-o', 'name'])).trim(), 'deployment.apps/waiting');

  // A Deployment whose progress deadline (1 s) passes: kubectl rollout status fails at once, so do we.
  await kubectlOk(['apply', '-n', stuck, '-f', '-'], { input: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: doomed}\nspec:\n  progressDeadlineSeconds: 1\n  selector: {matchLabels: {app: doomed}}\n  template:\n    metadata: {labels: {app: doomed}}\n    spec: {containers: [{name: c, image: nginx}]}\n' });
  await waitFor('the progress deadline to pass', async () => {
    const reason = await kubectlOk(['get', 'deploy', 'doomed', '-n', stuck, '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']);
    return reason === 'ProgressDeadlineExceeded' ? true : undefined;
  }, 60_000, 500);
  const theirs = await kubectl(['rollout', 'status', 'deploy/doomed', '-n', stuck, '--timeout=30s']);
  t.not(theirs.code, 0);
  const started = Date.now();
  const ours = await interrupt('mkdeploy', ['doomed', '--image', 'nginx', '-n', stuck, '--server-side', '--wait', '--timeout', '30s'], 'SIGKILL', () => false);
  t.is(ours.code, 1, ours.stderr);
  t.regex(ours.stderr, /error: deployment "doomed" exceeded its progress deadline/);
  t.regex(theirs.stderr, /deployment "doomed" exceeded its progress deadline/);
  t.true(Date.now() - started < 20_000, 'not waiting for --timeout');
});
