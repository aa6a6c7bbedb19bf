/**
 * `npm run build`: host single executables for every plugins/<name>/main.ts.
 *
 *   dist/bundle/kubectl-<name>.cjs     esbuild bundle (CommonJS, everything inlined)
 *   dist/bin/kubectl-<name>            the pinned Bun runtime + the bundle as JavaScriptCore bytecode
 *   dist/bin/kubectl_complete-<name>   completion shim for kubectl's plugin completion
 *
 * Incremental: unchanged inputs skip esbuild, an unchanged bundle skips its compile.
 * Each executable is run once with --version before the build reports success.
 *
 * Usage: node scripts/build.ts [NAME ...] [--force]
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { bundlePlugins, type BundleResult } from './sea/bundle.ts';
import { shimScript } from './sea/completion-shim.ts';
import { makeExecutable, type ExecutableResult } from './sea/executable.ts';
import { hardenedRuntime } from './sea/harden-runtime.ts';
import { fetchRuntimeBinary } from './sea/runtime-binaries.ts';
import { bunRuntime } from './sea/runtime-integrity.ts';
import { formatBytes, log, mapLimit, compileConcurrency, seconds, timed, withLock, writeFileAtomic } from './sea/tasks.ts';
import { binaryName, discoverPlugins, hostTarget, paths, pinnedBunVersion, shimName, type Target } from './sea/targets.ts';

const run = promisify(execFile);

export interface HostBuild {
  target: Target;
  bundles: BundleResult[];
  executables: ExecutableResult[];
}

/** Selects plugins by name (all when `names` is empty); unknown names are an error. */
export function selectPlugins(names: readonly string[]): string[] {
  const all = discoverPlugins();
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length > 0) {
    throw new Error(`no plugins/${unknown[0]}/main.ts (plugins: ${all.join(', ') || 'none yet'})`);
  }
  return names.length > 0 ? [...names] : all;
}

/** Bundles and builds the host executables and shims into dist/bin; used by release too. */
export async function buildHost(plugins: readonly string[], options: { force?: boolean } = {}): Promise<HostBuild> {
  const target = hostTarget();
  if (target === undefined) throw new Error(`no release target for this host (${process.platform}/${process.arch})`);
  const builder = await fetchRuntimeBinary(bunRuntime, target, pinnedBunVersion(), log);
  const runtime = await hardenedRuntime(builder, target);

  // Every plugin is bundled, whichever are asked for: one esbuild run costs about the same, and
  // the next build of another selection finds its bundles up to date.
  const all = discoverPlugins();
  const bundled = await bundlePlugins(all, options);
  const bundles = bundled.results.filter((b) => plugins.includes(b.plugin));
  for (const b of bundles) {
    log(
      `bundle ${binaryName(b.plugin)}.cjs: ${formatBytes(b.bytes)}, ${formatBytes(b.eagerBytes)} evaluated at start-up` +
        (bundled.skipped ? ' (up to date)' : ''),
    );
  }
  if (!bundled.skipped) log(`esbuild: ${all.length} plugins in ${seconds(bundled.millis)}`);

  await mkdir(paths.bin, { recursive: true });
  const executables = await mapLimit(bundles, compileConcurrency(), async (bundle) => {
    const r = await makeExecutable({
      plugin: bundle.plugin,
      target,
      bundle,
      builder,
      runtime,
      output: join(paths.bin, binaryName(bundle.plugin, target)),
      force: options.force ?? false,
    });
    log(`exe    ${r.output}: ${formatBytes(r.bytes)}, ${r.skipped ? 'up to date' : `${r.how} in ${seconds(r.millis)}`}`);
    return r;
  });

  for (const plugin of plugins) {
    await writeFileAtomic(join(paths.bin, shimName(plugin, target)), shimScript(plugin, target), 0o755);
  }
  log(`shim   ${plugins.map((p) => shimName(p, target)).join(', ')}`);

  // A broken bundle shows here rather than in the first test that runs it.
  await mapLimit(executables, 4, async (e) => {
    try {
      const { stdout } = await run(e.output, ['--version'], { timeout: 30_000 });
      if (stdout.trim() === '') throw new Error('printed nothing');
    } catch (error) {
      throw new Error(`${e.output} --version failed: ${(error as Error).message}`, { cause: error });
    }
  });
  log(`check  ${executables.length} executables run --version`);
  return { target, bundles, executables };
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { force: { type: 'boolean' } } });
  const plugins = selectPlugins(positionals);
  if (plugins.length === 0) {
    log('build: no plugins/<name>/main.ts yet, nothing to build');
    return;
  }
  await withLock(paths.lock, () =>
    timed(`build: ${plugins.length} host executables in dist/bin`, () => buildHost(plugins, { force: values.force ?? false })),
  );
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
