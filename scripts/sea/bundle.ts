/**
 * esbuild: each plugins/<name>/main.ts to one CommonJS file, everything inlined, as a Single
 * Executable Application needs (its main script is CommonJS and its require() loads built-ins only).
 *
 * - One esbuild run builds every plugin, so shared code and node_modules are parsed once.
 * - ESM-only packages (yargs, @kubernetes/client-node 2.x) use `import.meta.url`: the banner
 *   defines it from __filename, which in a SEA is the executable's path.
 * - What a plugin loads with `await import()` stays lazy: esbuild wraps it in an init function,
 *   so start-up neither runs nor needs its code.
 * - client-node (only the legacy oidc auth-provider needs it) is a bundle of its own
 *   (`assetEntries`), embedded in each executable as a SEA asset and compiled only when used
 *   (shared/kube/auth-provider-loader.ts): the main script is then ~0.45 MiB instead of 4.4.
 * - yargs, the proxy agents and cli-table3 are bundles of their own too, required from assets
 *   (deferred-packages.ts): the main script is then ~0.27 MiB. The assets are a second esbuild
 *   run, in which nothing is deferred.
 * - Work dependencies do at load time for things rarely needed is moved or dropped (start-up-patches.ts).
 * - Incremental: the content hash of every input of the last build is kept; unchanged inputs
 *   skip esbuild.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { deferredAsset, deferredExports, deferredPackages } from './deferred-packages.ts';
import { startUpPatches } from './start-up-patches.ts';
import { binaryName, paths, repoRoot } from './targets.ts';
import { writeFileAtomic } from './tasks.ts';

export interface BundleResult {
  plugin: string;
  outfile: string;
  /** SEA assets the executable embeds beside the main script: asset name → file. */
  assets: Record<string, string>;
  /** The executables' main script (sea-main.ts), which runs `outfile` from an asset. */
  seaMain: string;
  /** sha256 over the assets and the main script, for the SEA step's incremental check. */
  assetsSha256: string;
  bytes: number;
  /** Bytes of modules evaluated at start-up (reached by static imports from main.ts). */
  eagerBytes: number;
  /** sha256 of the bundle, for the SEA step's incremental check. */
  sha256: string;
}

export interface BundleOutcome {
  results: BundleResult[];
  skipped: boolean;
  millis: number;
}

/** Native or optional modules that some dependencies try in a try/catch; never bundled. */
const OPTIONAL_EXTERNALS = ['bufferutil', 'utf-8-validate', 'cpu-features', 'ssh2'];

/** Bundles embedded as SEA assets (`<name>.cjs`), loaded on demand by the plugins. */
export const assetEntries: Record<string, string> = { 'oidc-auth-provider': join('shared', 'kube', 'oidc-auth-provider.ts') };

/** `deferred:<package>` entry points: a module that is the package, for its own bundle. */
const deferredEntries: esbuild.Plugin = {
  name: 'deferred-entries',
  setup(build) {
    build.onResolve({ filter: /^deferred:/ }, (args) => ({ path: args.path.slice('deferred:'.length), namespace: 'deferred' }));
    build.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => {
      const required = `require(${JSON.stringify(args.path)})`;
      const exported = deferredExports[args.path as (typeof deferredPackages)[number]] === 'default' ? `${required}.default` : required;
      return { contents: `module.exports = ${exported};`, resolveDir: repoRoot, loader: 'js' };
    });
  },
};

/** The main script of every executable, bundled beside the plugins. */
const seaMainEntry: Record<string, string> = { 'sea-main': join('scripts', 'sea', 'sea-main.ts') };

const BANNER = [
  '"use strict";',
  // ESM dependencies read import.meta.url (yargs builds a require from it).
  'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;',
].join('\n');

export interface BundleOptions {
  force?: boolean;
  /** Where the bundles go (default dist/bundle). */
  outdir?: string;
  /** Where the incremental state goes (default dist/.state). */
  stateDir?: string;
  /** Embed this version instead of package.json's (a release of another version). */
  version?: string;
}

/** The plugins' build (and the executables' main script); `deferred` packages stay out of it. */
export function esbuildOptions(plugins: readonly string[], outdir = paths.bundle, version?: string, deferred: readonly string[] = deferredPackages): esbuild.BuildOptions {
  return {
    absWorkingDir: repoRoot,
    entryPoints: { ...Object.fromEntries(plugins.map((p) => [binaryName(p), join('plugins', p, 'main.ts')])), ...seaMainEntry },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node26',
    // Node 26 has the `v` flag: without this esbuild writes `new RegExp(…, "v")`, which V8 compiles
    // when the module loads (string-width's \p{RGI_Emoji}: 35 ms of every start-up); a literal
    // is compiled on first use.
    // And import() becomes require() (lazy still): the packages kept out of the bundle must come
    // from the executable's assets through the require it is given, never from Node's loader,
    // which would look for them in node_modules beside the executable.
    supported: { 'regexp-set-notation': true, 'dynamic-import': false },
    minify: true,
    // Error classes are named by `new.target.name`: keep names through minification.
    keepNames: true,
    charset: 'ascii',
    legalComments: 'none',
    external: [...OPTIONAL_EXTERNALS, ...deferred],
    define: {
      'import.meta.url': '__import_meta_url',
      ...(version === undefined ? {} : { KUBECTL_PLUGINS_VERSION: JSON.stringify(version) }),
    },
    banner: { js: BANNER },
    // import.meta.resolve (yargs' `extends` of a package config, unused here) is empty in CJS.
    logOverride: { 'empty-import-meta': 'silent' },
    metafile: true,
    logLevel: 'silent',
    plugins: [startUpPatches],
  };
}

/** The assets' build: the oidc auth-provider and one bundle per deferred package. */
export function assetBuildOptions(outdir = paths.bundle, version?: string): esbuild.BuildOptions {
  const base = esbuildOptions([], outdir, version, []);
  const deferred = Object.fromEntries(deferredPackages.map((name) => [deferredAsset(name).replace(/\.cjs$/, ''), `deferred:${name}`]));
  return { ...base, entryPoints: { ...assetEntries, ...deferred }, plugins: [...(base.plugins ?? []), deferredEntries] };
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
    if (r.assets === undefined || !Object.values(r.assets).every((file) => existsSync(file))) return undefined;
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
  const assetOptions = assetBuildOptions(outdir, options.version);
  // The plugins' code changes the output too: their source is part of the key.
  const key = createHash('sha256')
    .update(JSON.stringify({ buildOptions, assetOptions, esbuild: esbuild.version, patches: await readFile(join(repoRoot, 'scripts', 'sea', 'start-up-patches.ts'), 'utf8') }))
    .digest('hex');
  if (options.force !== true) {
    const state = await unchanged(key, stateDir);
    if (state !== undefined) return { results: state.results, skipped: true, millis: Date.now() - started };
  }

  type Built = esbuild.BuildResult<{ metafile: true; write: false }>;
  let result: Built;
  let assetResult: Built;
  try {
    [result, assetResult] = (await Promise.all([esbuild.build({ ...buildOptions, write: false }), esbuild.build({ ...assetOptions, write: false })])) as [Built, Built];
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const messages = (failure.errors ?? []).map((m) => {
      const where = m.location === null ? '' : `${m.location.file}:${m.location.line}:${m.location.column}: `;
      const hint = /top-level await/i.test(m.text)
        ? ' (a SEA main script is CommonJS: move the await into an async function)'
        : '';
      return `  ${where}${m.text}${hint}`;
    });
    throw new Error(`esbuild failed:\n${messages.join('\n') || String(error)}`, { cause: error });
  }
  const meta = result.metafile;
  await mkdir(outdir, { recursive: true });
  for (const file of [...result.outputFiles, ...assetResult.outputFiles]) await writeFileAtomic(file.path, file.contents);

  const inputs: Record<string, string> = {};
  for (const input of new Set([...Object.keys(meta.inputs), ...Object.keys(assetResult.metafile.inputs)])) {
    // Skip esbuild's virtual modules (e.g. "<define:...>").
    if (existsSync(join(repoRoot, input))) inputs[input] = await hashFile(join(repoRoot, input));
  }

  const assetNames = [...Object.keys(assetEntries).map((name) => `${name}.cjs`), ...deferredPackages.map(deferredAsset)];
  const assets = Object.fromEntries(assetNames.map((name) => [name, join(outdir, name)]));
  const seaMain = join(outdir, 'sea-main.cjs');
  const assetsHash = createHash('sha256');
  for (const [name, file] of Object.entries({ ...assets, 'sea-main.cjs': seaMain })) assetsHash.update(`${name}\0${await hashFile(file)}\0`);
  const assetsSha256 = assetsHash.digest('hex');
  const results: BundleResult[] = [];
  for (const plugin of plugins) {
    const outfile = join(outdir, `${binaryName(plugin)}.cjs`);
    const output = meta.outputs[relative(repoRoot, outfile)];
    if (output === undefined) throw new Error(`esbuild wrote no ${outfile}`);
    const eager = eagerInputs(meta, join('plugins', plugin, 'main.ts'));
    const eagerBytes = Object.entries(output.inputs)
      .filter(([path]) => eager.has(path))
      .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
    results.push({ plugin, outfile, assets, seaMain, assetsSha256, bytes: output.bytes, eagerBytes, sha256: await hashFile(outfile) });
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
