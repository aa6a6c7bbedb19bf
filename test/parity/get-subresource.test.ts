/**
 * The rest of `kubectl get` (#26 item 10), kubectl as the oracle on the seeded namespace:
 * `--subresource status|scale` of named objects, `--server-print=false` (kubectl's client-side
 * NAME/AGE table), and the refusals of both.
 */
import test from 'ava';
import { sameAsKubectl } from '../helpers/oracle.ts';
import { seededNamespace } from './output-seed.ts';

const seeded = seededNamespace('parity-get-subresource');
const volatile = (s: string) => s.replace(/("?(?:resourceVersion|uid|creationTimestamp)"?: )"?[^"\n,]*"?/g, '$1…');

const forms: string[][] = [
  ['deployment', 'web', '--subresource', 'status'],
  ['deployment', 'web', '--subresource=scale'],
  ['deployment/web', '--subresource', 'scale', '-o', 'json'],
  ['deployment/web', '--subresource', 'scale', '-o', 'yaml'],
  ['deployment/web', '--subresource', 'scale', '-o', 'name'],
  ['deployment/web', 'service/api', '--subresource', 'status', '-o', 'name'],
  ['deployment', 'web', '--subresource', 'status', '-o', 'jsonpath={.status.replicas}'],
  ['configmaps', '--server-print=false'],
  ['configmaps,services', '--server-print=false'],
  ['configmaps', '--server-print=false', '--show-labels'],
  ['configmaps', '--server-print=false', '-L', 'app', '--no-headers'],
  ['deploy', 'web', '--server-print=false', '-o', 'wide'],
  ['services', '--server-print=false', '-o', 'name'],
];

for (const args of forms) {
  test(`lsres ${args.join(' ')}: as kubectl get`, async (t) => {
    const full = [...args, '-n', seeded.ns];
    await sameAsKubectl(t, full.join(' '), seeded.plugin('lsres', full), seeded.oracle(['get', ...full]), { mask: volatile });
  });
}

test('--server-print=false -A: a NAMESPACE column, as kubectl', async (t) => {
  const args = ['configmaps', '-A', '-l', `run=${seeded.run}`, '--server-print=false'];
  await sameAsKubectl(t, args.join(' '), seeded.plugin('lsres', args), seeded.oracle(['get', ...args]));
});

test('--subresource of a listed type is kubectl\'s refusal; a subresource the type lacks is the server\'s NotFound', async (t) => {
  const bulk = await seeded.plugin('lsres', ['deployments', '--subresource', 'status', '-n', seeded.ns])();
  const theirs = await seeded.oracle(['get', 'deployments', '--subresource', 'status', '-n', seeded.ns])();
  t.is(bulk.code, 2, bulk.stderr);
  t.is(bulk.stderr.split('\n')[0], theirs.stderr.split('\n')[0]);
  const missing = await seeded.plugin('lsres', ['configmap', 'alpha', '--subresource', 'status', '-n', seeded.ns])();
  const theirsMissing = await seeded.oracle(['get', 'configmap', 'alpha', '--subresource', 'status', '-n', seeded.ns])();
  t.is(missing.code, 4, missing.stderr);
  t.is(missing.stderr.split('\n')[0], theirsMissing.stderr.split('\n')[0]);
  const watching = await seeded.plugin('lsres', ['deployment', 'web', '--subresource', 'status', '-w', '-n', seeded.ns])();
  t.is(watching.code, 2);
  t.regex(watching.stderr, /^error: --subresource cannot be used with --watch/);
});
