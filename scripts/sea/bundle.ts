/**
 * esbuild: each plugins/<name>/main.ts to one CommonJS file, everything inlined, which Bun's
 * compiler turns into a single executable with JavaScriptCore bytecode (executable.ts).
 *
 * - CommonJS, not an ES module: a built-in module (`node:http`, `node:tls`, …) is then loaded
 *   where the code first requires it. An ES module bundle hoists every import of every inlined
 *   module to its top, so each start loaded them all (and `node:http` printed its NODE_DEBUG
 *   warning before our check could refuse the variable).
 * - What a plugin loads with `await import()` (client-node for the legacy oidc auth-provider,
 *   yargs for the help pages, the proxy agents, cli-table3) is inlined but stays lazy: esbuild
 *   wraps it in an init function, so start-up does not run it.
 * - ESM-only packages (yargs, @kubernetes/client-node) read `import.meta.url`: the banner
 *   defines it from __filename.
 * - One esbuild run builds every plugin, so shared code and node_modules are parsed once.
 * - Incremental: the content hash of every input of the last build is kept; unchanged inputs
 *   skip esbuild.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { binaryName, paths, repoRoot } from './targets.ts';
import { writeFileAtomic } from './tasks.ts';

export interface BundleResult {
  plugin: string;
  outfile: string;
  bytes: number;
  /** Bytes of modules evaluated at start-up (reached by static imports from main.ts). */
  eagerBytes: number;
  /** sha256 of the bundle, for the executable step's incremental check. */
  sha256: string;
}

export interface BundleOutcome {
  results: BundleResult[];
  skipped: boolean;
  millis: number;
}

/**
 * Native or optional modules that some dependencies try in a try/catch; never bundled, and left
 * to fail at run time as they do without the package (Bun's compiler must be told so too).
 */
export const OPTIONAL_EXTERNALS = ['bufferutil', 'utf-8-validate', 'cpu-features', 'ssh2', 'kerberos', 'supports-color'];

const BANNER = ['"use strict";', 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;'].join('\n');

export interface BundleOptions {
  force?: boolean;
  /** Where the bundles go (default dist/bundle). */
  outdir?: string;
  /** Where the incremental state goes (default dist/.state). */
  stateDir?: string;
  /** Embed this version instead of package.json's (a release of another version). */
  version?: string;
}

/** The plugins' build. */
export function esbuildOptions(plugins: readonly string[], outdir = paths.bundle, version?: string): esbuild.BuildOptions {
  return {
    absWorkingDir: repoRoot,
    entryPoints: Object.fromEntries(plugins.map((p) => [binaryName(p), join('plugins', p, 'main.ts')])),
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'esnext',
    // import() of an inlined module becomes a lazy require(), as CommonJS has no import().
    supported: { 'dynamic-import': false },
    minify: true,
    // Error classes are named by `new.target.name`: keep names through minification.
    keepNames: true,
    charset: 'ascii',
    legalComments: 'none',
    external: OPTIONAL_EXTERNALS,
    define: {
      'import.meta.url': '__import_meta_url',
      ...(version === undefined ? {} : { KUBECTL_PLUGINS_VERSION: JSON.stringify(version) }),
    },
    banner: { js: BANNER },
    // import.meta.resolve (yargs' `extends` of a package config, unused here) is empty in CJS.
    logOverride: { 'empty-import-meta': 'silent' },
    metafile: true,
    logLevel: 'silent',
  };
}

interface BundleState {
  key: string;
  inputs: Record<string, string>;
  results: BundleResult[];
}

const stateFile = (stateDir: string) => join(stateDir, 'bundle.json');
const hashFile = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

async function unchanged(key: string, stateDir: string): Promise<BundleState | undefined> {
  if (!existsSync(stateFile(stateDir))) return undefined;
  const state = JSON.parse(await readFile(stateFile(stateDir), 'utf8')) as BundleState;
  if (state.key !== key) return undefined;
  for (const r of state.results) {
    if (!existsSync(r.outfile) || (await stat(r.outfile)).size !== r.bytes) return undefined;
  }
  for (const [input, hash] of Object.entries(state.inputs)) {
    const abs = join(repoRoot, input);
    if (!existsSync(abs) || (await hashFile(abs)) !== hash) return undefined;
  }
  return state;
}

/** Bundles `plugins` into dist/bundle/kubectl-<name>.cjs (or `outdir`), or reuses the last bundles. */
export async function bundlePlugins(plugins: readonly string[], options: BundleOptions = {}): Promise<BundleOutcome> {
  const started = Date.now();
  const outdir = options.outdir ?? paths.bundle;
  const stateDir = options.stateDir ?? paths.state;
  const buildOptions = esbuildOptions(plugins, outdir, options.version);
  // The plugins' code changes the output too: their source is part of the key.
  const key = createHash('sha256').update(JSON.stringify({ buildOptions, esbuild: esbuild.version })).digest('hex');
  if (options.force !== true) {
    const state = await unchanged(key, stateDir);
    if (state !== undefined) return { results: state.results, skipped: true, millis: Date.now() - started };
  }

  let result: esbuild.BuildResult<{ metafile: true; write: false }>;
  try {
    result = (await esbuild.build({ ...buildOptions, write: false })) as esbuild.BuildResult<{ metafile: true; write: false }>;
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const messages = (failure.errors ?? []).map((m) => `  ${m.location === null ? '' : `${m.location.file}:${m.location.line}:${m.location.column}: `}${m.text}`);
    throw new Error(`esbuild failed:\n${messages.join('\n') || String(error)}`, { cause: error });
  }
  const meta = result.metafile;
  await mkdir(outdir, { recursive: true });
  for (const file of result.outputFiles) await writeFileAtomic(file.path, file.contents);

  const inputs: Record<string, string> = {};
  for (const input of Object.keys(meta.inputs)) {
    // Skip esbuild's virtual modules (e.g. "<define:...>").
    if (existsSync(join(repoRoot, input))) inputs[input] = await hashFile(join(repoRoot, input));
  }

  const results: BundleResult[] = [];
  for (const plugin of plugins) {
    const outfile = join(outdir, `${binaryName(plugin)}.cjs`);
    const output = meta.outputs[relative(repoRoot, outfile)];
    if (output === undefined) throw new Error(`esbuild wrote no ${outfile}`);
    const eager = eagerInputs(meta, join('plugins', plugin, 'main.ts'));
    const eagerBytes = Object.entries(output.inputs)
      .filter(([path]) => eager.has(path))
      .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
    results.push({ plugin, outfile, bytes: output.bytes, eagerBytes, sha256: await hashFile(outfile) });
  }
  await mkdir(stateDir, { recursive: true });
  await writeFileAtomic(stateFile(stateDir), JSON.stringify({ key, inputs, results } satisfies BundleState, null, 1));
  return { results, skipped: false, millis: Date.now() - started };
}

/**
 * Modules reached from `entry` through static imports and require() calls: those run at start-up
 * (a require() inside a function is counted too: an upper bound). Dynamic import() is lazy.
 */
export function eagerInputs(meta: esbuild.Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of meta.inputs[file]?.imports ?? []) {
      if ((imp.kind === 'import-statement' || imp.kind === 'require-call') && imp.external !== true) stack.push(imp.path);
    }
  }
  return seen;
}
