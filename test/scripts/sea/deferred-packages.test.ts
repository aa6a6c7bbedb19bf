/**
 * yargs, the proxy agents and cli-table3 live in assets of their own (scripts/sea/deferred-packages.ts):
 * the plugins' main bundles hold none of their code, and an executable copied where no
 * node_modules exists (as krew installs it) still prints its help and options pages, reaches a
 * proxy of each kind and prints `--access`: each of those requires one of the packages.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deferredAsset, deferredPackages, requireWithDeferred } from '../../../scripts/sea/deferred-packages.ts';
import { ensureCluster } from '../../helpers/cluster.ts';
import { pluginPath, repoRoot } from '../../helpers/plugin.ts';

const run = async (file: string, args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir() } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

let dir = '';
test.before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'deferred-'));
});
test.after.always(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const plugin of ['lsres', 'dynget', 'mkdeploy', 'watchq']) {
  test(`kubectl-${plugin}'s main bundle requires the deferred packages and holds none of their code`, (t) => {
    const bundle = readFileSync(path.join(repoRoot, 'dist', 'bundle', `kubectl-${plugin}.cjs`), 'utf8');
    t.true(bundle.includes('require("yargs")'));
    for (const name of deferredPackages) t.false(bundle.includes(`import("${name}")`), `import("${name}") would go to Node's loader`);
    // Strings of yargs' and cli-table3's own code.
    t.false(bundle.includes('Not enough non-option arguments'));
    t.false(bundle.includes('colWidths'));
    for (const name of deferredPackages) t.true(existsSync(path.join(repoRoot, 'dist', 'bundle', deferredAsset(name))), deferredAsset(name));
  });
}

test('an executable with no node_modules around it: help and options (yargs), --access (cli-table3), proxies (both agents)', async (t) => {
  for (let up = dir; up !== path.dirname(up); up = path.dirname(up)) t.false(existsSync(path.join(up, 'node_modules')), `${up}/node_modules must not exist for this test`);
  const exe = path.join(dir, 'kubectl-lsres');
  copyFileSync(pluginPath('lsres'), exe);
  const help = await run(exe, ['--help']);
  t.is(help.code, 0, help.stderr);
  t.regex(help.stdout, /^Usage:$/m);
  t.is(help.stderr, '');
  const options = await run(exe, ['options']);
  t.is(options.code, 0, options.stderr);
  t.regex(options.stdout, /--kubeconfig=''/);
  const access = await run(exe, ['--kubeconfig', (await ensureCluster()).kubeconfig, '--access', '-n', 'default']);
  t.is(access.code, 0, access.stderr);
  t.regex(access.stdout, /^NAME +GET +LIST/);
  for (const proxy of ['http://127.0.0.1:1', 'socks5://127.0.0.1:1']) {
    const kubeconfig = path.join(dir, 'proxied.yaml');
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n    proxy-url: ${proxy}\nusers:\n- name: u\n  user:\n    token: abc\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`);
    const proxied = await run(exe, ['--kubeconfig', kubeconfig]);
    t.is(proxied.code, 5, proxied.stderr);
    t.true(proxied.stderr.includes(`(through proxy ${proxy}`), proxied.stderr);
  }
});

test('requireWithDeferred compiles each deferred package once, from its asset, and hands other names on', (t) => {
  const read: string[] = [];
  const passed: string[] = [];
  const next = ((id: string) => {
    passed.push(id);
    return { builtin: id };
  }) as unknown as NodeJS.Require;
  const load = requireWithDeferred(next, (asset) => {
    read.push(asset);
    return `module.exports = { asset: ${JSON.stringify(asset)}, path: require('node:path') };`;
  }, '/x/kubectl-test', '/x');
  const first = load('yargs') as { asset: string; path: unknown };
  t.is(first.asset, 'dep-yargs.cjs');
  t.deepEqual(first.path, { builtin: 'node:path' });
  t.is(load('yargs'), first);
  t.deepEqual(load('node:fs'), { builtin: 'node:fs' });
  t.deepEqual(read, ['dep-yargs.cjs']);
  t.deepEqual(passed, ['node:path', 'node:fs']);
});
