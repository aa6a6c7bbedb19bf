import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builderNode } from '../../../scripts/sea/sea.ts';
import { stripCommand, strippedDir, strippedNode } from '../../../scripts/sea/strip-node.ts';
import { findTarget, hostTarget, pinnedNodeVersion } from '../../../scripts/sea/targets.ts';

const run = promisify(execFile);
const linuxAmd64 = findTarget('linux_amd64');

test('the tool and flags per format: llvm-strip for every format, GNU strip for the host ELF only, nothing for Windows', (t) => {
  const all = () => true;
  const gnuOnly = (tool: string) => tool === 'strip';
  t.deepEqual(stripCommand(findTarget('linux_arm64'), 'in', 'out', all, linuxAmd64), { command: 'llvm-strip', args: ['--strip-all', '-o', 'out', 'in'] });
  t.deepEqual(stripCommand(findTarget('darwin_arm64'), 'in', 'out', all, linuxAmd64), { command: 'llvm-strip', args: ['-x', '-o', 'out', 'in'] });
  t.deepEqual(stripCommand(linuxAmd64, 'in', 'out', gnuOnly, linuxAmd64), { command: 'strip', args: ['--strip-all', '-o', 'out', 'in'] });
  t.is(stripCommand(findTarget('linux_arm64'), 'in', 'out', gnuOnly, linuxAmd64), undefined);
  t.is(stripCommand(findTarget('darwin_amd64'), 'in', 'out', gnuOnly, linuxAmd64), undefined);
  t.is(stripCommand(findTarget('windows_amd64'), 'in', 'out', all, linuxAmd64), undefined);
});

test.serial('the host Node stripped: smaller, still runs, made once, made again when the cached copy is damaged', async (t) => {
  const host = hostTarget();
  if (host === undefined) throw new Error(`no release target for this host (${process.platform}/${process.arch})`);
  const cache = await mkdtemp(join(tmpdir(), 'strip-node-'));
  const saved = process.env['KUBECTL_PLUGINS_CACHE'];
  process.env['KUBECTL_PLUGINS_CACHE'] = cache;
  t.teardown(async () => {
    if (saved === undefined) delete process.env['KUBECTL_PLUGINS_CACHE'];
    else process.env['KUBECTL_PLUGINS_CACHE'] = saved;
    await rm(cache, { recursive: true, force: true });
  });
  const version = pinnedNodeVersion();
  const first = await strippedNode(host, builderNode(), version);
  t.true(first.path.startsWith(strippedDir(host, version)));
  t.regex(first.note, /^stripped with /);
  const [before, after] = await Promise.all([stat(builderNode()), stat(first.path)]);
  t.true(after.size < before.size * 0.85, `${after.size} bytes is not much less than ${before.size}`);
  t.is((await run(first.path, ['-p', '1 + 1'])).stdout.trim(), '2');

  t.regex((await strippedNode(host, builderNode(), version)).note, /cached/);
  await writeFile(first.path, 'damaged');
  const again = await strippedNode(host, builderNode(), version);
  t.regex(again.note, /^stripped with /);
  t.is((await run(again.path, ['-p', '2 + 2'])).stdout.trim(), '4');
});
