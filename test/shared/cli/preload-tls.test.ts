/**
 * Which calls load `node:tls` first thing (so Node reads its root certificates while the plugin
 * starts): the ones that make requests; not completion, help, a client dry run, nor a run that
 * NODE_DEBUG would make print TLS material. The last test checks, in a fresh process, that the
 * module is loaded by the preload and not before.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { repoRoot } from '../../helpers/plugin.ts';
import { shouldPreloadTls } from '../../../shared/cli/preload-tls.ts';

const cases: Array<[string[], NodeJS.ProcessEnv, boolean]> = [
  [[], {}, true],
  [['pods', '-n', 'x', '-o', 'json'], {}, true],
  [['web', '--image', 'nginx', '--dry-run=server'], {}, true],
  [['__complete', ''], {}, false],
  [['completion', 'bash'], {}, false],
  [['options'], {}, false],
  [['pods', '--help'], {}, false],
  [['-h'], {}, false],
  [['web', '--image', 'nginx', '--dry-run'], {}, false],
  [['web', '--image', 'nginx', '--dry-run=client'], {}, false],
  [['pods'], { NODE_DEBUG: 'tls' }, false],
  [['pods'], { NODE_DEBUG: 'fs,module' }, true],
];

for (const [argv, env, expected] of cases) {
  test(`${JSON.stringify(argv)} ${JSON.stringify(env)}: ${expected ? 'preloads' : 'does not preload'} node:tls`, (t) => {
    t.is(shouldPreloadTls(argv, env), expected);
  });
}

test('the preload loads node:tls, which nothing had loaded before', (t) => {
  const script = "import { preloadTls } from './shared/cli/preload-tls.ts'; const tls = () => process.moduleLoadList.includes('NativeModule tls'); const before = tls(); preloadTls(['pods'], {}); console.log(JSON.stringify([before, tls()]));";
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
  t.deepEqual(JSON.parse(out), [false, true]);
});
