/**
 * The main script of every executable. The plugin's bundle is the asset `plugin.cjs`; on the
 * host build it comes with `plugin.cache`, a V8 code cache made after a training run of the
 * plugin (train-code-cache.ts), so the functions an everyday call runs are not compiled on
 * every start (Node's own `useCodeCache` holds only the top level). V8 checks the cache against
 * the source and its own version and flags, and compiles as usual when it does not match; cross
 * builds have no cache.
 */
import { dirname } from 'node:path';
import { getAsset, getRawAsset } from 'node:sea';
import { bareVersionLine } from '../../shared/cli/version-flag.ts';
import { compileBundle, runBundle } from './commonjs-wrapper.ts';
import { requireWithDeferred } from './deferred-packages.ts';

/** Written by executable.ts: which plugin this executable is. */
const { name } = JSON.parse(getAsset('plugin.json', 'utf8')) as { name: string };
const versionLine = bareVersionLine(name, process.argv.slice(2), process.env);
if (versionLine !== undefined) process.stdout.write(versionLine);
else start();

function start(): void {
  let cache: Buffer | undefined;
  try {
    cache = Buffer.from(getRawAsset('plugin.cache'));
  } catch {
    cache = undefined;
  }
  const filename = process.execPath;
  // A SEA's main script gets a require that loads built-in modules only; the bundle asks for
  // those, and for the packages kept in assets of their own (deferred-packages.ts).
  const bundleRequire = requireWithDeferred(require, (asset) => getAsset(asset, 'utf8'), filename, dirname(filename));
  runBundle(compileBundle(getAsset('plugin.cjs', 'utf8'), filename, cache), bundleRequire, filename, dirname(filename));
}
