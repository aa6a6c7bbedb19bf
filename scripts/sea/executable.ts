/**
 * One plugin for one target: bundle + Node binary -> SEA executable, ad-hoc signed and checked
 * for macOS. Skipped when the last build had the same inputs (a stamp beside the output records
 * them), since each build reads and writes ~150 MB.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { BundleResult } from './bundle.ts';
import { checkFile } from './macho-check.ts';
import { signFile } from './macho-sign.ts';
import { buildSea } from './sea.ts';
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
  useCodeCache: boolean;
  /** Build even when the stamp says the output is up to date. */
  force?: boolean;
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
const RECIPE = 1;

export const stampPath = (target: Target, output: string): string =>
  join(paths.state, `sea-${targetName(target)}-${basename(output)}.json`);

async function stampKey(job: ExecutableJob): Promise<string> {
  const node = await stat(job.nodeBinary);
  return createHash('sha256')
    .update(
      JSON.stringify({
        recipe: RECIPE,
        bundle: job.bundle.sha256,
        node: [job.nodeBinary, node.size, node.mtimeMs, job.nodeVersion],
        useCodeCache: job.useCodeCache,
      }),
    )
    .digest('hex');
}

export async function makeExecutable(job: ExecutableJob): Promise<ExecutableResult> {
  const started = Date.now();
  const key = await stampKey(job);
  const stamp = stampPath(job.target, job.output);
  if (job.force !== true && existsSync(job.output) && existsSync(stamp)) {
    const last = JSON.parse(await readFile(stamp, 'utf8')) as Stamp;
    if (last.key === key && (await stat(job.output)).size === last.bytes) {
      return { output: job.output, bytes: last.bytes, skipped: true, millis: Date.now() - started, how: last.how };
    }
  }
  await mkdir(paths.state, { recursive: true });
  // Built under a temporary name and renamed when complete: a running copy is never overwritten.
  const tmp = `${job.output}.tmp-${process.pid}`;
  const injector = await buildSea(
    {
      main: job.bundle.outfile,
      executable: job.nodeBinary,
      output: tmp,
      useCodeCache: job.useCodeCache,
      workDir: join(paths.state, 'sea', targetName(job.target)),
      macho: job.target.os === 'darwin',
    },
    job.nodeVersion,
  );
  let how = injector + (job.useCodeCache ? ' with code cache' : '');
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
  }
  const bytes = (await stat(job.output)).size;
  await writeFileAtomic(stamp, JSON.stringify({ key, bytes, how, bundleSha256: job.bundle.sha256 } satisfies Stamp));
  return { output: job.output, bytes, skipped: false, millis: Date.now() - started, how };
}
