import test from 'ava';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { UsageError } from '../../../shared/errors.ts';
import { checkNesting, jsonTooDeep, maxNestingDepth, yamlTooDeep } from '../../../shared/manifests/nesting-limit.ts';

const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';

test('4 MiB of [ is refused at once, with the line, as a usage error', (t) => {
  const started = performance.now();
  const error = t.throws(() => checkNesting(`${head}data:\n  a: ${'['.repeat(4 << 20)}`, 'deep.yaml'), { instanceOf: UsageError });
  t.is(error?.message, `deep.yaml: line 5: nested more than ${maxNestingDepth} levels deep (manifests may nest at most ${maxNestingDepth} levels)`);
  t.true(performance.now() - started < 2000);
});

test('deep JSON is refused before JSON.parse; brackets inside strings do not count', (t) => {
  t.throws(() => checkNesting(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'deep.json'), { instanceOf: UsageError, message: /^deep\.json: line 1: nested more than 500/ });
  t.notThrows(() => checkNesting(`{"a": "${'['.repeat(10_000)}\\"{{{", "b": [[1]]}`, 'ok.json'));
  // Text starting with { that is not JSON is read as YAML: a quote the JSON scan takes for a string does not hide nesting.
  t.throws(() => checkNesting(`{a: it"s, b: ${'['.repeat(600)}\n`, 'flow.yaml'), { message: /nested more than 500/ });
  t.is(jsonTooDeep('[[[', 2), 1);
  t.is(jsonTooDeep('[[]]', 2), undefined);
});

test('block nesting: `- - - …` on one line, indentation, a sequence at its key’s column', (t) => {
  t.is(yamlTooDeep(`${'- '.repeat(600)}x\n`, 500), 1);
  t.is(yamlTooDeep(`${'- '.repeat(400)}x\n`, 500), undefined);
  let indented = '';
  for (let i = 0; i < 600; i++) indented += `${' '.repeat(i)}k${i}:\n`;
  t.is(yamlTooDeep(indented, 500), 501);
  // k0:\n- k1:\n  - k2:\n … : a map and a sequence per line, 599 levels.
  let compact = 'k0:\n';
  for (let i = 1; i < 300; i++) compact += `${' '.repeat(2 * (i - 1))}- k${i}:\n`;
  t.is(yamlTooDeep(compact, 500), 251);
  t.is(yamlTooDeep(compact, 600), undefined);
});

test('brackets in quoted scalars, block scalars and comments are text, not nesting', (t) => {
  const text = `${head}data:\n  a: "${'['.repeat(1000)}"\n  b: '${'{'.repeat(1000)}'\n  c: |\n    ${'['.repeat(1000)} 'q\n  # ${'['.repeat(1000)}\n  d: [[1]]\n`;
  t.notThrows(() => checkNesting(text, 'ok.yaml'));
  // …and what follows a block scalar that holds a quote is still counted.
  t.throws(() => checkNesting(`${text}  e: ${'['.repeat(600)}\n`, 'deep.yaml'), { message: /line 11: nested more than 500/ });
});

test('multi-document YAML: each document starts at depth 0', (t) => {
  const doc = `a: ${'['.repeat(300)}${']'.repeat(300)}\n`;
  t.is(yamlTooDeep(`${doc}---\n${doc}---\n${doc}`, 500), undefined);
});

/** Depth as the composer builds it: a scalar is 0, a collection 1 + its deepest member. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const members = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...members.map(depthOf));
}

const nested: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom('x', 1, 'a [b', "it's"), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('k', 'l', 'm'), tie('node'), { maxKeys: 3 })),
})).node;

test('property: the YAML count is never below the real depth and at most twice it', (t) => {
  fc.assert(
    fc.property(nested, fc.boolean(), fc.boolean(), (value, indentSeq, flow) => {
      const real = depthOf(value);
      const text = stringify(value, { indentSeq, collectionStyle: flow ? 'flow' : 'any' });
      if (real > 0) t.not(yamlTooDeep(text, real - 1), undefined, text);
      t.is(yamlTooDeep(text, 2 * real + 1), undefined, text);
      t.is(jsonTooDeep(JSON.stringify(value), real), undefined);
      if (real > 0) t.not(jsonTooDeep(JSON.stringify(value), real - 1), undefined);
    }),
    { numRuns: 300 },
  );
});
