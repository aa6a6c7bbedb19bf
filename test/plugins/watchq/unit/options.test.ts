import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { UsageError } from '../../../../shared/errors.ts';
import { commandWord, resolveExecCommand } from '../../../../plugins/watchq/exec-handler.ts';
import { parseListenAddress, parseWatchqOptions, type WatchqArgs } from '../../../../plugins/watchq/options.ts';

const defaults: WatchqArgs = { workers: 1, 'max-retries': 5, resync: '0', 'exec-timeout': '30s', output: 'text' };

test('defaults: deployments, 1 worker, 5 retries, no resync, 30 s exec timeout, text', (t) => {
  const o = parseWatchqOptions(defaults, []);
  t.like(o, { type: 'deployments', workers: 1, maxRetries: 5, resyncMs: 0, execTimeoutMs: 30_000, output: 'text', allNamespaces: false });
  t.is(o.failOn, undefined);
  t.is(o.metricsAddr, undefined);
});

test('flags are parsed', (t) => {
  const o = parseWatchqOptions({ ...defaults, workers: 4, 'max-retries': 0, resync: '1m30s', 'fail-on': '^default/test-', exec: 'true', 'exec-timeout': '500ms', output: 'json', 'metrics-addr': ':9090', 'all-namespaces': true, selector: 'app=x' }, ['pods']);
  t.like(o, { type: 'pods', workers: 4, maxRetries: 0, resyncMs: 90_000, exec: 'true', execTimeoutMs: 500, output: 'json', allNamespaces: true, labelSelector: 'app=x' });
  t.true(o.failOn!.test('default/test-deployment'));
  t.deepEqual(o.metricsAddr, { host: '', port: 9090 });
});

const bad: Array<[string, Partial<WatchqArgs>, string[], RegExp]> = [
  ['--workers 0', { workers: 0 }, [], /--workers: must be a whole number ≥ 1/],
  ['--workers 1.5', { workers: 1.5 }, [], /--workers/],
  ['--workers abc', { workers: NaN }, [], /--workers/],
  ['--max-retries -2', { 'max-retries': -2 }, [], /--max-retries: must be a whole number ≥ -1/],
  ['--backoff 1s', { backoff: '1s' }, [], /^invalid --backoff "1s": expected BASE,MAX$/],
  ['--backoff 5,10s', { backoff: '5,10s' }, [], /^invalid argument "5" for "--backoff" flag: time: missing unit in duration "5"$/],
  ['--backoff 0s,1s', { backoff: '0s,1s' }, [], /BASE must be above 0 and MAX at least BASE/],
  ['--backoff 1m,1s', { backoff: '1m,1s' }, [], /BASE must be above 0 and MAX at least BASE/],
  ['--fail-on (', { 'fail-on': '(' }, [], /invalid --fail-on regular expression "\("/],
  ['--exec not found', { exec: 'no-such-command-xyz --flag' }, [], /--exec: no-such-command-xyz: command not found/],
  ['--exec empty', { exec: '  ' }, [], /--exec needs a command/],
  ['--exec-timeout bad', { 'exec-timeout': 'soon' }, [], /^invalid argument "soon" for "--exec-timeout" flag: time: invalid duration "soon"$/],
  ['--resync bad', { resync: '5 minutes' }, [], /--resync/],
  ['-o yaml', { output: 'yaml' }, [], /invalid output format "yaml"/],
  ['--metrics-addr without port', { 'metrics-addr': 'localhost' }, [], /expected HOST:PORT/],
  ['--metrics-addr port too big', { 'metrics-addr': ':70000' }, [], /expected HOST:PORT/],
  ['two types', {}, ['pods', 'deployments'], /one resource type/],
  ['a comma list', {}, ['pods,deployments'], /one resource type/],
];
for (const [title, args, positional, message] of bad) {
  test(`usage error (exit 2): ${title}`, (t) => {
    const error = t.throws(() => parseWatchqOptions({ ...defaults, ...args }, positional), { instanceOf: UsageError });
    t.regex(error!.message, message);
    t.is(error!.exitCode, 2);
  });
}

test('retries: --max-retries -1 never drops; --backoff BASE,MAX, client-go\'s 5 ms to 1000 s by default', (t) => {
  t.is(parseWatchqOptions({ ...defaults, 'max-retries': -1 }, []).maxRetries, Infinity);
  t.deepEqual(parseWatchqOptions(defaults, []).backoff, { baseMs: 5, maxMs: 1_000_000 });
  t.deepEqual(parseWatchqOptions({ ...defaults, backoff: '1s, 5m' }, []).backoff, { baseMs: 1000, maxMs: 300_000 });
});

test('listen addresses', (t) => {
  t.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  t.deepEqual(parseListenAddress('[::1]:9090'), { host: '::1', port: 9090 });
  t.deepEqual(parseListenAddress('localhost:8080'), { host: 'localhost', port: 8080 });
});

test('the command word skips assignments and quotes', (t) => {
  t.is(commandWord('sleep 1'), 'sleep');
  t.is(commandWord('  FOO=bar BAZ="a b" ./x.sh arg'), './x.sh');
  t.is(commandWord("'/opt/my tools/run' --x"), '/opt/my tools/run');
  t.is(commandWord('"./a b.sh"'), './a b.sh');
});

test('--exec looks the program up on PATH, by path, or accepts a shell builtin', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-exec-'));
  const script = path.join(dir, 'ok.sh');
  fs.writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const plain = path.join(dir, 'plain.txt');
  fs.writeFileSync(plain, 'x', { mode: 0o644 });
  t.is(resolveExecCommand('ok.sh --flag', { PATH: `/nonexistent:${dir}` }), script);
  t.is(resolveExecCommand(`${script} a b`, {}), script);
  t.is(resolveExecCommand('exit 3', { PATH: '' }), 'exit');
  t.throws(() => resolveExecCommand(plain, {}), { message: /permission denied/ });
  t.throws(() => resolveExecCommand(path.join(dir, 'missing.sh'), {}), { message: /no such file/ });
  t.throws(() => resolveExecCommand('ok.sh', { PATH: '/nonexistent' }), { message: /command not found/ });
  t.throws(() => resolveExecCommand(dir, {}), { message: /permission denied/ }, 'a directory is not a program');
  fs.rmSync(dir, { recursive: true });
});

test('--exec lines with shell syntax in the first word go to /bin/sh as they are', (t) => {
  for (const line of ['$HOME/bin/reconcile', '~/x.sh', '"$DIR/x.sh" --flag', '(cd dir && ./x)', '{ ./a; ./b; }', './run-*.sh']) {
    t.notThrows(() => resolveExecCommand(line, { PATH: '' }), line);
  }
  // A plain missing path is still a clear error before anything starts.
  t.throws(() => resolveExecCommand('./no-such-script.sh', {}), { message: /no such file/ });
  t.throws(() => resolveExecCommand("'$literal'/x", {}), { message: /no such file/ }, 'single quotes expand nothing');
});

test('--shards and --metadata-only: a whole number ≥ 1, its own Leases; --changes reading beyond metadata refused with --metadata-only', (t) => {
  t.like(parseWatchqOptions({ ...defaults, shards: 12, 'lease-name': 'ctl' }, []), { shards: 12, leaseName: 'ctl' });
  t.throws(() => parseWatchqOptions({ ...defaults, shards: 1.5 }, []), { message: 'invalid value 1.5 for --shards: must be a whole number ≥ 1' });
  t.throws(() => parseWatchqOptions({ ...defaults, 'lease-name': 'ctl' }, []), { message: '--lease-name needs --leader-elect or --shards' });
  t.true(parseWatchqOptions({ ...defaults, 'metadata-only': true, changes: '{.metadata.labels}{.kind}' }, []).metadataOnly);
  const error = t.throws(() => parseWatchqOptions({ ...defaults, 'metadata-only': true, changes: '{.metadata.labels}{.spec.replicas}' }, []), { instanceOf: UsageError });
  t.is(error!.message, '--changes reads .spec, which --metadata-only objects do not have');
});
