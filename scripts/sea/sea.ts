/**
 * Single Executable Applications: a bundle + an official Node binary -> one executable.
 *
 * With Node >= 25.5, `node --build-sea CONFIG` prepares the blob and injects it into CONFIG's
 * `executable` (ELF, Mach-O segment NODE_SEA, or PE resource) in one step, for any target. The
 * Node that builds must be the same version as the binary it injects into: the pinned one.
 * Older Node: `--experimental-sea-config` writes the blob and postject injects it.
 *
 * V8's code cache can only be loaded by the platform that made it: the plugins' executables
 * (executable.ts) carry one trained at build time for the host build (train-code-cache.ts),
 * none for cross builds.
 *
 * `execArgv`: the V8 flags below, fixed at build time.
 *
 * `execArgvExtension: "none"`: the executables ignore NODE_OPTIONS. A kubectl plugin must not
 * change behaviour with the variables users set for their other Node tools (`--require x.js`
 * would run foreign code, `--tls-min-v1.0` would weaken TLS).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { removeSignature } from './macho-sign.ts';
import { verifyRuntimeBinary } from './runtime-integrity.ts';
import { hostTarget, repoRoot } from './targets.ts';

const run = promisify(execFile);

/**
 * V8 flags every executable runs with. `--max-semi-space-size=2` (MiB) keeps the young
 * generation small: what the plugins allocate while decoding large lists and watch streams is
 * short-lived, and a large young generation only raises peak RSS. Measured here with 13,700
 * ConfigMaps: watchq's initial sync 133 → 99–105 MiB, `lsres cm -A` 134 → 105–106 MiB, with no
 * more CPU time (450–600 ms against 500–590 ms). Small calls never grow it that far.
 */
export const v8Flags = ['--max-semi-space-size=2'];

/** Postject's marker that Node looks for to know a blob was injected. */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const POSTJECT = 'postject@1.0.0-alpha.6';

export interface SeaOptions {
  /** The CommonJS bundle to embed. */
  main: string;
  /** Files embedded beside it, read at run time with node:sea's getAsset(name). */
  assets?: Record<string, string>;
  /** The Node binary to inject into (same version as `node`). */
  executable: string;
  output: string;
  useCodeCache: boolean;
  /** Where the config (and, for postject, the blob) are written. */
  workDir: string;
  /** Mach-O targets get the NODE_SEA segment when postject injects. */
  macho: boolean;
}

/** The Node that builds SEAs: the pinned devDependency, not whatever `node` is on PATH. */
export const builderNode = (): string => join(repoRoot, 'node_modules', 'node', 'bin', 'node');

let builderVersion: Promise<string> | undefined;

/**
 * Checks that the builder Node is `expected` and is the official binary recorded for this host
 * (its sha256 in node-runtimes.json: the `node` package's install script fetched it outside the
 * lockfile), once per process; returns its version.
 */
export async function checkBuilderNode(expected: string): Promise<string> {
  builderVersion ??= (async () => {
    const host = hostTarget();
    if (host === undefined) throw new Error(`no release target for this host (${process.platform}/${process.arch})`);
    await verifyRuntimeBinary(builderNode(), host.npmPackage, expected);
    return (await run(builderNode(), ['--version'])).stdout.trim().replace(/^v/, '');
  })();
  const actual = await builderVersion;
  if (actual !== expected) {
    throw new Error(
      `${builderNode()} is Node ${actual}, but the binaries embed ${expected}: run npm ci (package.json pins node ${expected})`,
    );
  }
  return actual;
}

/** `node --build-sea` exists from 25.5. */
export function supportsBuildSea(version: string): boolean {
  if (process.env['KUBECTL_PLUGINS_SEA_INJECTOR'] === 'postject') return false;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 25 || (major === 25 && minor >= 5);
}

export async function buildSea(o: SeaOptions, nodeVersion: string): Promise<'build-sea' | 'postject'> {
  await mkdir(o.workDir, { recursive: true });
  await mkdir(dirname(o.output), { recursive: true });
  await rm(o.output, { force: true });
  const name = o.output.split(/[\\/]/).pop()!;
  const config = {
    main: o.main,
    mainFormat: 'commonjs',
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: o.useCodeCache,
    ...(o.assets && Object.keys(o.assets).length > 0 ? { assets: o.assets } : {}),
    execArgvExtension: 'none',
    execArgv: v8Flags,
  };
  const path = join(o.workDir, `${name}.sea-config.json`);
  const blob = join(o.workDir, `${name}.blob`);
  try {
    if (supportsBuildSea(nodeVersion)) {
      await writeFile(path, JSON.stringify({ ...config, executable: o.executable, output: o.output }, null, 2));
      await run(builderNode(), ['--build-sea', path], { maxBuffer: 16 << 20 });
      return 'build-sea';
    }
    await writeFile(path, JSON.stringify({ ...config, output: blob }, null, 2));
    await run(builderNode(), ['--experimental-sea-config', path], { maxBuffer: 16 << 20 });
    await inject(o, blob);
    return 'postject';
  } finally {
    await rm(path, { force: true });
    await rm(blob, { force: true });
  }
}

async function inject(o: SeaOptions, blob: string): Promise<void> {
  if (o.macho) {
    // postject (LIEF) would leave a stale signature behind: drop it; the caller signs afresh.
    await writeFile(o.output, removeSignature(await readFile(o.executable)));
  } else {
    await copyFile(o.executable, o.output);
  }
  const args = ['--yes', POSTJECT, o.output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE, '--overwrite'];
  if (o.macho) args.push('--macho-segment-name', 'NODE_SEA');
  await run('npx', args, { maxBuffer: 16 << 20 });
}
