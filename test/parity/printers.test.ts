/**
 * kubectl as the oracle for our JSON and YAML printers: `kubectl create -f - --dry-run=client`
 * prints an unstructured object through the same printers as `kubectl get`, so a ConfigMap whose
 * keys and values are awkward strings shows exactly how kubectl writes each one. Our printers
 * get kubectl's own JSON (parsed) and must print the same bytes.
 */
import test from 'ava';
import fc from 'fast-check';
import { goJson } from '../../shared/output/go-json.ts';
import { goYaml } from '../../shared/output/go-yaml.ts';
import { kubectl, kubectlOk } from '../helpers/cluster.ts';
import { sideBySide } from '../helpers/side-by-side.ts';
import { awkward, awkwardKeys as keys } from './awkward-strings.ts';

async function compare(t: import('ava').ExecutionContext, entries: Array<[string, string]>): Promise<void> {
  const input = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: 'default' }, data: Object.fromEntries(entries) });
  const args = ['create', '-f', '-', '--dry-run=client'];
  const json = await kubectlOk([...args, '-o', 'json'], { input });
  const yaml = await kubectlOk([...args, '-o', 'yaml'], { input });
  const object = JSON.parse(json) as unknown;
  t.is(`${goJson(object)}\n`, json, sideBySide(json, `${goJson(object)}\n`));
  t.is(goYaml(object), yaml, sideBySide(yaml, goYaml(object)));
}

test('awkward string values print as kubectl prints them (JSON and YAML)', async (t) => {
  const entries = awkward.map((v, i) => [`v${i}`, v] as [string, string]);
  await compare(t, entries);
});

test('keys sort as kubectl sorts them', async (t) => {
  await compare(t, keys.map((k, i) => [k, String(i)] as [string, string]));
});

test('random strings print as kubectl prints them', async (t) => {
  const samples = fc.sample(
    fc.string({
      unit: fc.oneof(fc.constantFrom(' ', ' ', ':', '#', '-', "'", '"', '\n', '\t', 'é', '1', '0', '.', 'y', '\\', '[', '&'), fc.integer({ min: 0x20, max: 0x2fff }).map((c) => String.fromCodePoint(c))),
      maxLength: 120,
    }),
    { numRuns: 150, seed: 20261201 },
  );
  // DEL and C1 controls make kubectl -o yaml fail as a whole: the test below covers them.
  await compare(t, samples.filter((v) => !/[\x7f-\x84\x86-\x9f]/.test(v)).map((v, i) => [`r${i}`, v] as [string, string]));
});

test('a value with DEL or a C1 control character: kubectl -o yaml refuses it, and so do we', async (t) => {
  for (const value of ['x\u007f', 'c1\u0090']) {
    const input = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: 'default' }, data: { v: value } });
    const theirs = await kubectl(['create', '-f', '-', '--dry-run=client', '-o', 'yaml'], { input });
    t.is(theirs.code, 1);
    t.regex(theirs.stderr, /control characters are not allowed/);
    const json = await kubectlOk(['create', '-f', '-', '--dry-run=client', '-o', 'json'], { input });
    t.throws(() => goYaml(JSON.parse(json)), { message: /control characters are not allowed/ });
  }
});
