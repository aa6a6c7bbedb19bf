/**
 * `-o kyaml` (kubectl 1.34+, on by default in 1.36) against kubectl's: the encoder on kubectl's
 * own objects (a client dry run prints an object through the same printer as `kubectl get`), and
 * lsres/dynget on the seeded namespace, a single object, an empty list and watch events.
 */
import test from 'ava';
import fc from 'fast-check';
import { kyaml } from '../../shared/output/kyaml.ts';
import { kubectl, kubectlOk } from '../helpers/cluster.ts';
import { sameAsKubectl } from '../helpers/oracle.ts';
import { sideBySide } from '../helpers/side-by-side.ts';
import { awkward, awkwardKeys } from './awkward-strings.ts';
import { seededNamespace } from './output-seed.ts';

const seeded = seededNamespace('parity-kyaml');

/** kubectl's KYAML of an object it prints itself, against ours of the same object (its JSON). */
async function compare(t: import('ava').ExecutionContext, args: string[], input?: string): Promise<void> {
  const options = input === undefined ? {} : { input };
  const [json, theirs] = await Promise.all([kubectlOk([...args, '-o', 'json'], options), kubectlOk([...args, '-o', 'kyaml'], options)]);
  const ours = kyaml(JSON.parse(json));
  t.is(ours, theirs, sideBySide(theirs, ours));
}
const configMap = (data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: 'default' }, data });

test('awkward string values: quoted, escaped and folded as kubectl does', async (t) => {
  await compare(t, ['create', '-f', '-', '--dry-run=client'], configMap(Object.fromEntries(awkward.map((v, i) => [`v${i}`, v]))));
});

test('keys: bare unless a parser could read them otherwise, sorted as kubectl sorts them', async (t) => {
  const keys = [...awkwardKeys, ...awkward.filter((k) => /^[-._a-zA-Z0-9]+$/.test(k))];
  await compare(t, ['create', '-f', '-', '--dry-run=client'], configMap(Object.fromEntries(keys.map((k, i) => [k, String(i)]))));
});

test('random strings as values and keys', async (t) => {
  const samples = fc.sample(
    fc.string({ unit: fc.oneof(fc.constantFrom(' ', ':', '#', '-', "'", '"', '\n', '\t', 'é', '1', '0', '.', 'y', '\\', '/', '_', '\x1b', '\u2028'), fc.integer({ min: 0x20, max: 0x2fff }).map((c) => String.fromCodePoint(c))), maxLength: 60 }),
    { numRuns: 120, seed: 20261207 },
  ).filter((v) => !/[\x7f-\x84\x86-\x9f]/.test(v));
  await compare(t, ['create', '-f', '-', '--dry-run=client'], configMap(Object.fromEntries(samples.map((v, i) => [`r${i}`, v]))));
  const keys = [...new Set(samples.filter((k) => /^[-._a-zA-Z0-9]+$/.test(k) && k.length < 50))];
  await compare(t, ['create', '-f', '-', '--dry-run=client'], configMap(Object.fromEntries(keys.map((k) => [k, 'v']))));
});

test('a value with DEL or a C1 control character: kubectl -o kyaml refuses it, and so do we', async (t) => {
  for (const value of ['x\u007f', 'c1\u0090']) {
    const input = configMap({ v: value });
    const theirs = await kubectl(['create', '-f', '-', '--dry-run=client', '-o', 'kyaml'], { input });
    t.is(theirs.code, 1);
    t.regex(theirs.stderr, /error decoding: yaml: control characters are not allowed/);
    const json = await kubectlOk(['create', '-f', '-', '--dry-run=client', '-o', 'json'], { input });
    t.throws(() => kyaml(JSON.parse(json)), { message: 'error decoding: yaml: control characters are not allowed' });
  }
});

for (const args of [['pods,deployments,services,configmaps,secrets'], ['myresources'], ['configmap', 'web-config'], ['jobs'], ['deploy', '--show-managed-fields']]) {
  test(`lsres and dynget ${args.join(' ')} -o kyaml as kubectl get`, async (t) => {
    const full = [...args, '-n', seeded.ns, '-o', 'kyaml'];
    await sameAsKubectl(t, `lsres ${full.join(' ')}`, seeded.plugin('lsres', full), seeded.oracle(['get', ...full]));
    await sameAsKubectl(t, `dynget ${full.join(' ')}`, seeded.plugin('dynget', full), seeded.oracle(['get', ...full]));
  });
}
