import test from 'ava';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hardenedRuntime, hardenImage, runtimeHooks } from '../../../scripts/sea/harden-runtime.ts';
import { fetchRuntimeBinary } from '../../../scripts/sea/runtime-binaries.ts';
import { bunRuntime } from '../../../scripts/sea/runtime-integrity.ts';
import { hostTarget, pinnedBunVersion } from '../../../scripts/sea/targets.ts';

/** An image holding each hook's literal as often as recorded for `os`, between other bytes. */
function syntheticImage(os: 'linux' | 'darwin' | 'windows', skip?: string): Buffer {
  const parts: Buffer[] = [Buffer.from('\x7fELF head ')];
  for (const hook of runtimeHooks) {
    const n = (hook.count[os] ?? hook.count.default) - (hook.literal === skip ? 1 : 0);
    for (let i = 0; i < n; i++) parts.push(Buffer.from(`\0${hook.literal}\0padding `, 'latin1'));
  }
  return Buffer.concat(parts);
}

test('every hook literal is replaced by one of the same length that no shell can assign and JavaScript still reads', (t) => {
  for (const os of ['linux', 'darwin', 'windows'] as const) {
    const image = syntheticImage(os);
    const length = image.length;
    const found = hardenImage(image, os);
    t.is(image.length, length);
    for (const hook of runtimeHooks) {
      t.false(image.includes(Buffer.from(hook.literal, 'latin1')), `${os}: ${hook.literal}`);
      t.is(found[hook.literal], hook.count[os] ?? hook.count.default);
      t.is(hook.replacement.length, hook.literal.length);
      if (hook.literal.startsWith('BUN_')) t.regex(hook.replacement, /^\$[A-Z_]+$/);
    }
  }
  t.true(runtimeHooks.some((h) => h.literal === 'https://bun.report' && h.replacement === 'http://127.0.0.1:0'));
});

test('a runtime where a hook is found a different number of times fails the build, naming it', (t) => {
  t.throws(() => hardenImage(syntheticImage('linux', 'BUN_OPTIONS'), 'linux'), { message: /the linux runtime has 1 × "BUN_OPTIONS", 2 recorded: check Bun's sources/ });
});

test("the pinned host runtime hardens with the recorded counts, and none of the hooks' names is left", async (t) => {
  t.timeout(120_000);
  const host = hostTarget()!;
  const hardened = await readFile(await hardenedRuntime(await fetchRuntimeBinary(bunRuntime, host, pinnedBunVersion()), host));
  for (const hook of runtimeHooks) {
    t.false(hardened.includes(Buffer.from(hook.literal, 'latin1')), hook.literal);
    if ((hook.count[host.os] ?? hook.count.default) > 0) t.true(hardened.includes(Buffer.from(hook.replacement, 'latin1')), hook.replacement);
  }
});

test.serial('a hardened copy changed in the cache is made again from the checked runtime, not built on', async (t) => {
  t.timeout(120_000);
  const host = hostTarget()!;
  // A cache of its own: the shared one may be in use by a build running beside this test.
  const dir = await mkdtemp(join(tmpdir(), 'hardened-cache-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'bin'));
  const runtime = join(dir, 'bin', 'bun');
  await copyFile(await fetchRuntimeBinary(bunRuntime, host, pinnedBunVersion()), runtime);
  const out = await hardenedRuntime(runtime, host);
  const good = await readFile(out);
  await writeFile(out, 'someone else\'s runtime');
  t.is(await hardenedRuntime(runtime, host), out);
  t.true((await readFile(out)).equals(good));
});
