/**
 * One training run (train-code-cache.ts spawns it with the executables' V8 flags):
 *
 *   node train-main.ts BUNDLE CACHE_OUT CALLS_JSON
 *
 * Runs BUNDLE as sea-main.ts does, once per command line in CALLS_JSON (an array of argv
 * arrays), one after another in this process, and then writes V8's code cache of it: the top
 * level and every function the calls compiled. Exits 1 when a call does not exit 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { compileBundle, runBundle } from './commonjs-wrapper.ts';
import { requireWithDeferred } from './deferred-packages.ts';

const [bundle, output, callsJson] = process.argv.slice(2) as [string, string, string];
const calls = JSON.parse(callsJson) as string[][];
const filename = process.execPath;
const script = compileBundle(readFileSync(bundle, 'utf8'), filename);
// The deferred packages come from their bundles beside BUNDLE, as from the executable's assets.
const bundleRequire = requireWithDeferred(createRequire(filename), (asset) => readFileSync(join(dirname(bundle), asset), 'utf8'), filename, dirname(filename));

for (const args of calls) {
  // As in an executable: argv[1] is the executable itself.
  process.argv = [process.execPath, process.execPath, ...args];
  process.exitCode = undefined;
  runBundle(script, bundleRequire, filename, dirname(filename));
  // A plugin's entry sets the exit code when its command has finished.
  while (process.exitCode === undefined) await sleep(2);
  if (process.exitCode !== 0) {
    process.stderr.write(`training call ${JSON.stringify(args)} exited ${process.exitCode}\n`);
    process.exit(1);
  }
  await sleep(20);
}
writeFileSync(output, script.createCachedData());
// What the calls leave open (idle keep-alive connections) must not hold the build.
process.exit(0);
