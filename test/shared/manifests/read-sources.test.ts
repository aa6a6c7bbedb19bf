import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ExitCode, InterruptedError } from '../../../shared/errors.ts';
import { maxManifestBytes, readManifests } from '../../../shared/manifests/read-sources.ts';

const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';

test('a wait for standard input ends as soon as the signal aborts (SIGINT/SIGTERM)', async (t) => {
  const stdin = new PassThrough();
  stdin.write('apiVersion: v1\n');
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort('SIGTERM'), 100);
  const error = await t.throwsAsync(readManifests(['-'], stdin, controller.signal), { instanceOf: InterruptedError });
  t.is(error?.exitCode, ExitCode.terminated);
  t.true(Date.now() - started < 2000);
});

test('standard input that ends is read as before, also with a signal', async (t) => {
  const stdin = new PassThrough();
  stdin.end(cm);
  const objects = await readManifests(['-'], stdin, new AbortController().signal);
  t.is(objects[0]?.object.metadata?.name, 'a');
});

test('standard input past the limit is refused without being read to its end', async (t) => {
  const stdin = new PassThrough();
  let written = 0;
  const chunk = Buffer.alloc(1 << 20, 0x61);
  const pump = (): void => {
    while (written <= 2 * maxManifestBytes && stdin.write(chunk)) written += chunk.length;
    if (written <= 2 * maxManifestBytes) stdin.once('drain', pump);
  };
  pump();
  await t.throwsAsync(readManifests(['-'], stdin), { message: '<stdin>: more than the 8 MiB a manifest may have' });
  t.true(written < 2 * maxManifestBytes);
});

test('a regular file larger than the limit is refused by its size; a directory of files is read sorted', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-sources-'));
  fs.writeFileSync(path.join(dir, 'b.yaml'), cm.replace('name: a', 'name: b'));
  fs.writeFileSync(path.join(dir, 'a.yml'), cm);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
  t.deepEqual((await readManifests([dir])).map((o) => o.object.metadata?.name), ['a', 'b']);
  const big = path.join(dir, 'big.yaml');
  fs.writeFileSync(big, Buffer.alloc(maxManifestBytes + 1, 0x20));
  await t.throwsAsync(readManifests([big]), { message: `${big}: ${maxManifestBytes + 1} bytes is more than the 8 MiB a manifest may have` });
  fs.rmSync(dir, { recursive: true, force: true });
});
