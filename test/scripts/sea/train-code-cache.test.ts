/**
 * The trained code cache (scripts/sea/train-code-cache.ts): every plugin's training call succeeds
 * against the stand-in server, V8 accepts the cache for the bundle under the executables' flags
 * (so the executables really start from it), and an executable built with one behaves as the
 * run it is in, not as the training run: its kubeconfig, namespace, environment, argv and cwd.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builderNode, v8Flags } from '../../../scripts/sea/sea.ts';
import { callsOf, trainCodeCache, trainingDiscovery } from '../../../scripts/sea/train-code-cache.ts';
import { createDiskCache, discoveryCacheDir } from '../../../shared/discovery/disk-cache.ts';
import { binaryName, discoverPlugins, hostTarget, paths, repoRoot } from '../../../scripts/sea/targets.ts';

const run = promisify(execFile);
const host = hostTarget()!;

/** Whether V8, under the executables' flags, takes `cache` for `bundle` (the check sea-main.ts relies on). */
async function accepted(bundle: string, cache: string): Promise<boolean> {
  const check = [
    "import { readFileSync } from 'node:fs';",
    `import { compileBundle } from ${JSON.stringify(join(repoRoot, 'scripts', 'sea', 'commonjs-wrapper.ts'))};`,
    `const script = compileBundle(readFileSync(${JSON.stringify(bundle)}, 'utf8'), process.execPath, readFileSync(${JSON.stringify(cache)}));`,
    'process.stdout.write(String(!script.cachedDataRejected));',
  ].join('\n');
  const { stdout } = await run(builderNode(), [...v8Flags, '--input-type=module', '-e', check]);
  return stdout === 'true';
}

for (const plugin of discoverPlugins()) {
  const bundle = join(paths.bundle, `${binaryName(plugin)}.cjs`);
  const ready = existsSync(bundle);
  (ready ? test : test.skip)(`${plugin}: the training calls (${callsOf(plugin).map((c) => c.join(' ')).join('; ')}) run, and V8 takes their cache for the bundle${ready ? '' : ' (skipped: run npm run build)'}`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'train-test-'));
    try {
      const cache = join(dir, 'plugin.cache');
      await trainCodeCache({ plugin, bundle, output: cache, node: builderNode() });
      t.true(await accepted(bundle, cache));
      // A cache is tied to its source: another bundle's is refused (and sea-main.ts compiles as usual).
      const other = discoverPlugins().find((p) => p !== plugin)!;
      t.false(await accepted(join(paths.bundle, `${binaryName(other)}.cjs`), cache));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

const dynget = join(paths.bin, binaryName('dynget', host));
(existsSync(dynget) ? test : test.skip)('an executable with a trained cache reads the kubeconfig, namespace, environment, argv and cwd of its own run', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'train-run-'));
  try {
    // A relative --kubeconfig is the run's cwd's; nothing listens on port 1.
    await writeFile(
      join(dir, 'config'),
      ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: here', '  cluster:', '    server: http://127.0.0.1:1', 'users:', '- name: me', '  user: {}', 'contexts:', '- name: here', '  context: {cluster: here, user: me, namespace: of-this-run}', 'current-context: here', ''].join('\n'),
    );
    // Discovery from the run's own cache dir, so the list request goes out (and fails).
    const cache = createDiskCache(discoveryCacheDir(join(dir, 'cache'), '127.0.0.1:1'));
    await cache.write('api', { document: trainingDiscovery(true) });
    await cache.write('apis', { document: trainingDiscovery(false) });
    const result = await run(dynget, ['aiops', '--kubeconfig', 'config', '-v=6'], { cwd: dir, env: { PATH: '/nonexistent', HOME: dir, KUBECACHEDIR: join(dir, 'cache') } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    t.is(result.code, 5);
    t.regex(result.stderr, /GET http:\/\/127\.0\.0\.1:1\/apis\/aiops\.org\/v1alpha1\/namespaces\/of-this-run\/myresources/);
    t.notRegex(result.stderr, /namespaces\/training/);
    const { stdout } = await run(dynget, ['--version'], { cwd: dir, env: { PATH: '/nonexistent', HOME: dir } });
    t.regex(stdout, /^kubectl-dynget v/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
