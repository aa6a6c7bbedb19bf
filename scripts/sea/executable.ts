/**
 * One plugin for one target: the plugin's ES module bundle + the target's pinned Bun runtime ->
 * a single executable (`bun build --compile`), with JavaScriptCore bytecode, macOS ones checked
 * for their ad-hoc signature. Skipped when the last build had the same inputs (a stamp beside
 * the output records them), since each build reads and writes ~110 MB.
 *
 * The executables read no configuration of Bun's from where they run: `.env`, `bunfig.toml`,
 * `tsconfig.json` and `package.json` autoloading are all off (`compileFlags`). Bun's
 * environment hooks that cannot be turned off at build time are handled at start-up
 * (shared/cli/runtime-environment.ts).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { OPTIONAL_EXTERNALS, type BundleResult } from './bundle.ts';
import { checkFile } from './macho-check.ts';
import { signFile } from './macho-sign.ts';
import { paths, targetName, type Target } from './targets.ts';
import { writeFileAtomic } from './tasks.ts';

const run = promisify(execFile);

export interface ExecutableJob {
  plugin: string;
  target: Target;
  bundle: BundleResult;
  /** The pinned Bun of the host, which compiles. */
  builder: string;
  /** The pinned Bun of the target, which the executable is made of. */
  runtime: string;
  output: string;
  /** Build even when the stamp says the output is up to date. */
  force?: boolean;
  /** Where the stamp goes (default dist/.state). */
  stateDir?: string;
}

export interface ExecutableResult {
  output: string;
  bytes: number;
  skipped: boolean;
  millis: number;
  /** What was done, for the log: "bun build --compile", "… + ad-hoc signature (N pages checked)". */
  how: string;
}

/** What the last build of an executable recorded beside it (dist/.state/exe-<target>-<file>.json). */
export interface Stamp {
  key: string;
  bytes: number;
  how: string;
  /** The bundle it embeds. */
  bundleSha256: string;
}

/**
 * `bun build --compile` flags of every executable: bytecode (JavaScriptCore compiles nothing at
 * start-up that the build compiled), and nothing read from the working directory at run time.
 */
export function compileFlags(target: Target): string[] {
  return [
    '--compile',
    '--bytecode',
    '--minify',
    '--format=cjs',
    `--target=${target.bunTarget}`,
    '--no-compile-autoload-dotenv',
    '--no-compile-autoload-bunfig',
    '--no-compile-autoload-tsconfig',
    '--no-compile-autoload-package-json',
    ...OPTIONAL_EXTERNALS.map((name) => `--external=${name}`),
  ];
}

/** Bump when the way executables are made changes, so old stamps no longer match. */
const RECIPE = 5;

export const stampPath = (target: Target, output: string, stateDir: string = paths.state): string =>
  join(stateDir, `exe-${targetName(target)}-${basename(output)}.json`);

async function stampKey(job: ExecutableJob): Promise<string> {
  const [builder, runtime] = await Promise.all([stat(job.builder), stat(job.runtime)]);
  return createHash('sha256')
    .update(
      JSON.stringify({
        recipe: RECIPE,
        flags: compileFlags(job.target),
        bundle: job.bundle.sha256,
        builder: [job.builder, builder.size, builder.mtimeMs],
        runtime: [job.runtime, runtime.size, runtime.mtimeMs],
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
  await mkdir(dirname(job.output), { recursive: true });
  // Built under a temporary name and renamed when complete: a running copy is never overwritten.
  // Bun adds .exe to a Windows output that lacks it.
  const tmp = `${job.output}.tmp-${process.pid}${job.target.exeSuffix}`;
  let how = 'bun build --compile --bytecode';
  try {
    await run(job.builder, ['build', ...compileFlags(job.target), `--compile-executable-path=${job.runtime}`, job.bundle.outfile, '--outfile', tmp], {
      maxBuffer: 16 << 20,
      // The builder reads no bunfig.toml or .env of the directory it runs in.
      cwd: dirname(job.bundle.outfile),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', BUN_INSTALL_CACHE_DIR: join(stateDir, 'bun-cache'), NO_COLOR: '1' },
    });
    if (job.target.os === 'darwin') {
      let report = await checkFile(tmp, { requireAdhoc: true });
      if (!report.ok) {
        const signed = await signFile(tmp, { identifier: basename(job.output) });
        report = await checkFile(tmp, { requireAdhoc: true });
        how += `, ad-hoc signed by us (${signed.codeSlots} pages)`;
      }
      if (!report.ok) throw new Error(`the ad-hoc signature of ${job.output} does not check out:\n  ${report.problems.join('\n  ')}`);
      how += ', signature checked';
    }
    await chmod(tmp, 0o755);
    await rename(tmp, job.output);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`building ${job.output} failed${stderr ? `: ${stderr}` : `: ${(error as Error).message}`}`, { cause: error });
  } finally {
    await rm(tmp, { force: true });
  }
  const bytes = (await stat(job.output)).size;
  await writeFileAtomic(stamp, JSON.stringify({ key, bytes, how, bundleSha256: job.bundle.sha256 } satisfies Stamp));
  return { output: job.output, bytes, skipped: false, millis: Date.now() - started, how };
}
