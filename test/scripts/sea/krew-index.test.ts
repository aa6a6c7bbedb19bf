/**
 * writeIndex: the release's krew index is a git repository that krew can clone and, after the
 * next release, bring up to date the way krew does (fetch, reset --hard to the upstream branch).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { indexBranch, writeIndex } from '../../../scripts/sea/krew-index.ts';
import { hasCommand } from '../../helpers/krew.ts';

const run = promisify(execFile);
// No user or system git configuration: the fallback identity is what commits.
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd, env })).stdout.trim();

const manifest = (plugin: string, version: string) => ({ plugin, text: `metadata:\n  name: ${plugin}\nspec:\n  version: v${version}\n` });

if (!(await hasCommand('git'))) {
  test.skip('writeIndex (skipped: git is not installed)', () => {});
} else {
  test('writeIndex creates the repository, commits each release once, and a krew-style clone follows it', async (t) => {
    const dir = join(await mkdtemp(join(tmpdir(), 'krew-index-')), 'index');
    const saved = { ...process.env };
    Object.assign(process.env, { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
    try {
      const first = await writeIndex(dir, [manifest('a', '0.1.0'), manifest('b', '0.1.0')], '0.1.0');
      t.true(first.committed);
      t.deepEqual(first.files, ['plugins/a.yaml', 'plugins/b.yaml']);
      t.is(await git(dir, 'symbolic-ref', '--short', 'HEAD'), indexBranch);
      t.is(await git(dir, 'log', '-1', '--format=%s'), 'a, b v0.1.0');
      t.is(await git(dir, 'status', '--porcelain'), '', 'nothing left uncommitted');

      const again = await writeIndex(dir, [manifest('a', '0.1.0'), manifest('b', '0.1.0')], '0.1.0');
      t.false(again.committed, 'the same manifests make no commit');
      t.is(again.head, first.head);

      const clone = join(dir, '..', 'clone');
      await git(join(dir, '..'), 'clone', '--quiet', `file://${dir}`, clone);
      t.deepEqual((await readdir(join(clone, 'plugins'))).sort(), ['a.yaml', 'b.yaml']);

      // A release of one plugin keeps the other's manifest.
      const bumped = await writeIndex(dir, [manifest('a', '0.2.0')], '0.2.0');
      t.true(bumped.committed);
      t.not(bumped.head, first.head);
      await git(clone, 'fetch', '--quiet');
      await git(clone, 'reset', '--quiet', '--hard', '@{upstream}');
      t.regex(await readFile(join(clone, 'plugins', 'a.yaml'), 'utf8'), /version: v0\.2\.0/);
      t.regex(await readFile(join(clone, 'plugins', 'b.yaml'), 'utf8'), /version: v0\.1\.0/);
      t.is(await git(clone, 'rev-parse', 'HEAD'), bumped.head);
    } finally {
      for (const k of ['GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_GLOBAL']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
}
