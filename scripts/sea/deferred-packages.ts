/**
 * Packages that only rare paths use, kept out of the plugins' main script: yargs (the help and
 * options pages: every other call reads its flags without it, shared/cli/option-table.ts), the
 * proxy agents (a kubeconfig or environment with a proxy) and cli-table3 (`lsres --access`).
 * Each is a bundle of its own, embedded in every executable as the SEA asset `dep-<name>.cjs`
 * and compiled when the plugin first requires it; the main script is about 0.27 MiB instead of
 * 0.53, which an everyday call no longer holds in memory (1.7 MiB less peak RSS for `lsres`).
 *
 * esbuild leaves `require("yargs")` in the main script for these (bundle.ts marks them
 * external); `requireWithDeferred` answers it from the asset, and any other name (a built-in)
 * with the require it is given. sea-main.ts reads the assets from the executable, the code-cache
 * training (train-main.ts) from dist/bundle.
 */
import { compilePackage, runBundle } from './commonjs-wrapper.ts';

export const deferredPackages = ['yargs', 'https-proxy-agent', 'socks-proxy-agent', 'cli-table3'] as const;

/**
 * What a package's bundle exports. The plugins' bundle is ESM turned into CommonJS in Node's mode,
 * in which the default import of a required module is its whole `module.exports`: an ES module's
 * default export (yargs) must then be the bundle's exports itself; a CommonJS package's exports
 * (the others) are as they are.
 */
export const deferredExports: Record<(typeof deferredPackages)[number], 'default' | 'exports'> = {
  yargs: 'default',
  'https-proxy-agent': 'exports',
  'socks-proxy-agent': 'exports',
  'cli-table3': 'exports',
};

export const deferredAsset = (name: string): string => `dep-${name}.cjs`;

const isDeferred = (id: string): boolean => (deferredPackages as readonly string[]).includes(id);

export function requireWithDeferred(next: NodeJS.Require, readAsset: (asset: string) => string, filename: string, dirname: string): NodeJS.Require {
  const loaded = new Map<string, unknown>();
  const load = (id: string): unknown => {
    if (!isDeferred(id)) return next(id);
    if (!loaded.has(id)) loaded.set(id, runBundle(compilePackage(readAsset(deferredAsset(id)), filename), combined, filename, dirname));
    return loaded.get(id);
  };
  const combined = Object.assign(load, next) as NodeJS.Require;
  return combined;
}
