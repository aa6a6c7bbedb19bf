import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tarHeader, writeTarGz, writeZip, type ArchiveEntry } from '../../../scripts/sea/archive.ts';

const run = promisify(execFile);
const MTIME = 1_700_000_000;

const entries = (): ArchiveEntry[] => [
  { name: 'kubectl-demo', mode: 0o755, source: Buffer.from('#!/bin/sh\necho demo\n') },
  { name: 'LICENSE', mode: 0o644, source: Buffer.alloc(5000, 'Apache License ') },
  { name: 'empty', mode: 0o644, source: Buffer.alloc(0) },
  { name: 'random.bin', mode: 0o600, source: Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251)) },
];

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'archive-test-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function checkExtracted(t: import('ava').ExecutionContext, dir: string): Promise<void> {
  for (const e of entries()) {
    const path = join(dir, e.name);
    t.deepEqual(await readFile(path), e.source, `${e.name} content`);
    t.is((await stat(path)).mode & 0o777, e.mode, `${e.name} mode`);
  }
}

test('tar.gz: system tar lists and extracts every file with its mode and mtime', async (t) => {
  await withTmp(async (dir) => {
    const archive = join(dir, 'a.tar.gz');
    await writeTarGz(archive, entries(), MTIME);
    const { stdout } = await run('tar', ['-tzvf', archive, '--numeric-owner']);
    t.regex(stdout, /-rwxr-xr-x 0\/0 +20 2023-11-1\d \d\d:\d\d kubectl-demo/);
    const out = join(dir, 'x');
    await run('mkdir', [out]);
    await run('tar', ['-xzf', archive, '-C', out]);
    await checkExtracted(t, out);
    t.is((await stat(join(out, 'LICENSE'))).mtimeMs / 1000, MTIME);
  });
});

test('tar.gz output is deterministic', async (t) => {
  await withTmp(async (dir) => {
    await writeTarGz(join(dir, '1.tgz'), entries(), MTIME);
    await writeTarGz(join(dir, '2.tgz'), entries(), MTIME);
    t.deepEqual(await readFile(join(dir, '1.tgz')), await readFile(join(dir, '2.tgz')));
  });
});

test('zip: unzip tests the CRCs and extracts every file with its mode', async (t) => {
  await withTmp(async (dir) => {
    const archive = join(dir, 'a.zip');
    await writeZip(archive, entries(), MTIME);
    const { stdout } = await run('unzip', ['-t', archive]);
    t.regex(stdout, /No errors detected/);
    const out = join(dir, 'x');
    await run('unzip', ['-q', archive, '-d', out]);
    await checkExtracted(t, out);
  });
});

test('a ustar header carries a valid checksum and refuses paths', (t) => {
  const h = tarHeader('kubectl-x', 0o755, 1234, MTIME);
  const stored = Number.parseInt(h.toString('ascii', 148, 154), 8);
  h.fill(0x20, 148, 156);
  t.is(stored, h.reduce((a, b) => a + b, 0));
  t.throws(() => tarHeader('dir/file', 0o644, 1, 0), { message: /plain file name/ });
  t.throws(() => tarHeader('x'.repeat(101), 0o644, 1, 0));
});
