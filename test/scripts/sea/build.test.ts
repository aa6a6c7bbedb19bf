/**
 * What `npm run build` leaves in dist/: bundles that run on plain Node, host single executables
 * that run without it, and completion shims that hand their words to `__complete`.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { esbuildOptions, eagerInputs } from '../../../scripts/sea/bundle.ts';
import { shimScript } from '../../../scripts/sea/completion-shim.ts';
import { describeExecutable } from '../../../scripts/sea/runtime-binaries.ts';
import { binaryName, discoverPlugins, hostTarget, paths, releaseVersion, repoRoot, shimName } from '../../../scripts/sea/targets.ts';

const run = promisify(execFile);
const plugins = discoverPlugins();
const host = hostTarget()!;

for (const plugin of plugins) {
  const bin = join(paths.bin, binaryName(plugin, host));
  // npm test builds first; run alone without a build, the test is skipped and says why.
  const ready = existsSync(bin);
  (ready ? test : test.skip)(`dist/bin/${binaryName(plugin)} is a host executable that runs without node on PATH${ready ? '' : ` (skipped: ${bin} missing, run npm run build)`}`, async (t) => {
    t.is((await stat(bin)).mode & 0o777, 0o755);
    const head = Buffer.alloc(4096);
    const fh = await open(bin, 'r');
    await fh.read(head, 0, head.length, 0);
    await fh.close();
    t.is(describeExecutable(head), `${host.os}/${host.arch}`);
    const { stdout } = await run(bin, ['--version'], { env: { PATH: '/nonexistent', HOME: tmpdir() } });
    t.is(stdout.trim(), `${binaryName(plugin)} v${releaseVersion()}`);

    const shim = join(paths.bin, shimName(plugin, host));
    t.is(await readFile(shim, 'utf8'), shimScript(plugin, host));
    t.is((await stat(shim)).mode & 0o777, 0o755);
  });
}

test('the completion shim runs kubectl-<name> __complete from PATH with every word', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'shim-test-'));
  try {
    await writeFile(join(dir, 'kubectl_complete-demo'), shimScript('demo', { os: 'linux', exeSuffix: '' }), { mode: 0o755 });
    await writeFile(join(dir, 'kubectl-demo'), '#!/bin/sh\nprintf "%s|" "$@"\n');
    await chmod(join(dir, 'kubectl-demo'), 0o755);
    const { stdout } = await run(join(dir, 'kubectl_complete-demo'), ['-n', '', 'a b'], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    t.is(stdout, '__complete|-n||a b|');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  t.regex(shimScript('demo', { os: 'windows', exeSuffix: '.exe' }), /^@echo off\r\n.*\r\nkubectl-demo\.exe __complete %\*\r\n$/s);
});

test('the esbuild options bundle an ESM dependency tree to CommonJS that runs, keeping import() lazy', async (t) => {
  const dir = await mkdtemp(join(repoRoot, 'dist', '.bundle-test-'));
  try {
    // yargs reads import.meta.url; the YAML module is only imported on demand.
    await writeFile(
      join(dir, 'entry.ts'),
      [
        "import yargs from 'yargs';",
        'class ProbeError extends Error { constructor() { super("x"); this.name = new.target.name; } }',
        'async function main(): Promise<void> {',
        '  const argv = yargs(process.argv.slice(2)).option("lazy", { type: "boolean" }).parseSync();',
        '  const loaded = argv.lazy ? typeof (await import("yaml")).stringify : "not loaded";',
        '  console.log(JSON.stringify({ url: import.meta.url.startsWith("file://"), loaded, name: new ProbeError().name }));',
        '}',
        'void main();',
      ].join('\n'),
    );
    const options = esbuildOptions([], dir);
    const result = await esbuild.build({ ...options, entryPoints: { probe: join(dir, 'entry.ts') } });
    const out = join(dir, 'probe.cjs');
    const eager = eagerInputs(result.metafile!, join(dir, 'entry.ts').slice(repoRoot.length + 1));
    t.false([...eager].some((p) => p.includes('node_modules/yaml/')), 'yaml is not evaluated at start-up');
    t.true([...eager].some((p) => p.includes('node_modules/yargs/')));
    const plain = JSON.parse((await run(process.execPath, [out])).stdout) as Record<string, unknown>;
    t.deepEqual(plain, { url: true, loaded: 'not loaded', name: 'ProbeError' }, 'keepNames keeps class names');
    const lazy = JSON.parse((await run(process.execPath, [out, '--lazy'])).stdout) as Record<string, unknown>;
    t.is(lazy['loaded'], 'function');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
