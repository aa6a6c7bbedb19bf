/**
 * One plugin for one target: bundle + Node binary -> SEA executable, ad-hoc signed and checked
 * for macOS. Skipped when the last build had the same inputs (a stamp beside the output records
 * them), since each build reads and writes ~150 MB.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BundleResult } from './bundle.ts';
import { checkFile } from './macho-check.ts';
import { signFile } from './macho-sign.ts';
import { buildSea, builderNode } from './sea.ts';
import { trainCodeCache } from './train-code-cache.ts';
import { binaryName, paths, targetName, type Target } from './targets.ts';
import { writeFileAtomic } from './tasks.ts';

export interface ExecutableJob {
  plugin: string;
  target: Target;
  bundle: BundleResult;
  /** The official Node binary to inject into. */
  nodeBinary: string;
  nodeVersion: string;
  output: string;
  /**
   * Embed a code cache trained on the plugin's everyday call (train-code-cache.ts): only where
   * the builder's V8 is the target's, i.e. the host build.
   */
  useCodeCache: boolean;
  /** Build even when the stamp says the output is up to date. */
  force?: boolean;
  /** Where the stamp and SEA config go (default dist/.state). */
  stateDir?: string;
}

export interface ExecutableResult {
  output: string;
  bytes: number;
  skipped: boolean;
  millis: number;
  /** What was done, for the log: "build-sea", "build-sea + ad-hoc signature (N pages checked)". */
  how: string;
}

/** What the last build of an executable recorded beside it (dist/.state/sea-<target>-<file>.json). */
export interface Stamp {
  key: string;
  bytes: number;
  how: string;
  /** The bundle it embeds. */
  bundleSha256: string;
}

/** Bump when the way executables are made changes, so old stamps no longer match. */
const RECIPE = 4;

export const stampPath = (target: Target, output: string, stateDir: string = paths.state): string =>
  join(stateDir, `sea-${targetName(target)}-${basename(output)}.json`);

/** The training's own code: a change to it retrains (the calls, the server, the runner). */
const trainingSources = ['train-code-cache.ts', 'train-main.ts', 'commonjs-wrapper.ts'].map((f) => join(import.meta.dirname, f));

async function stampKey(job: ExecutableJob): Promise<string> {
  const node = await stat(job.nodeBinary);
  const training = job.useCodeCache ? await Promise.all(trainingSources.map(async (f) => createHash('sha256').update(await readFile(f)).digest('hex'))) : null;
  return createHash('sha256')
    .update(
      JSON.stringify({
        recipe: RECIPE,
        bundle: job.bundle.sha256,
        assets: job.bundle.assetsSha256,
        node: [job.nodeBinary, node.size, node.mtimeMs, job.nodeVersion],
        useCodeCache: job.useCodeCache,
        training,
      }),
    )
    .digest('hex');
}

export async function makeExecutable(job: ExecutableJob): Promise<ExecutableResult> {
  const started = Date.now();
  const key = await stampKey(job);
  const stateDir = job.stateDir ?? paths.state;
  const stamp = stampPath(job.target, job.output, stateDir);
  if (job.force !== true && existsSync(job.output) && existsSync(stamp)) {
    const last = JSON.parse(await readFile(stamp, 'utf8')) as Stamp;
    if (last.key === key && (await stat(job.output)).size === last.bytes) {
      return { output: job.output, bytes: last.bytes, skipped: true, millis: Date.now() - started, how: last.how };
    }
  }
  await mkdir(stateDir, { recursive: true });
  // Built under a temporary name and renamed when complete: a running copy is never overwritten.
  const tmp = `${job.output}.tmp-${process.pid}`;
  const workDir = join(stateDir, 'sea', targetName(job.target));
  const cache = join(workDir, `${binaryName(job.plugin)}.cache`);
  const identity = join(workDir, `${binaryName(job.plugin)}.json`);
  await mkdir(workDir, { recursive: true });
  await writeFile(identity, JSON.stringify({ name: job.plugin }));
  if (job.useCodeCache) await trainCodeCache({ plugin: job.plugin, bundle: job.bundle.outfile, output: cache, node: builderNode() });
  const injector = await buildSea(
    {
      main: job.bundle.seaMain,
      assets: { ...job.bundle.assets, 'plugin.json': identity, 'plugin.cjs': job.bundle.outfile, ...(job.useCodeCache ? { 'plugin.cache': cache } : {}) },
      executable: job.nodeBinary,
      output: tmp,
      // The main script is a few lines: the plugin's own cache is the asset.
      useCodeCache: false,
      workDir,
      macho: job.target.os === 'darwin',
    },
    job.nodeVersion,
  );
  let how = injector + (job.useCodeCache ? ' with a trained code cache' : '');
  try {
    if (job.target.os === 'darwin') {
      const signed = await signFile(tmp, { identifier: binaryName(job.plugin) });
      const report = await checkFile(tmp, { requireAdhoc: true });
      if (!report.ok) {
        throw new Error(`the ad-hoc signature of ${job.output} does not check out:\n  ${report.problems.join('\n  ')}`);
      }
      how += `, ad-hoc signed and checked (${signed.codeSlots} pages)`;
    }
    await chmod(tmp, 0o755);
    await rename(tmp, job.output);
  } finally {
    await rm(tmp, { force: true });
    await rm(cache, { force: true });
    await rm(identity, { force: true });
  }
  const bytes = (await stat(job.output)).size;
  await writeFileAtomic(stamp, JSON.stringify({ key, bytes, how, bundleSha256: job.bundle.sha256 } satisfies Stamp));
  return { output: job.output, bytes, skipped: false, millis: Date.now() - started, how };
}
