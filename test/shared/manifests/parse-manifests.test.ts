import test from 'ava';
import fc from 'fast-check';
import { parseManifests, where } from '../../../shared/manifests/parse-manifests.ts';
import { UsageError } from '../../../shared/errors.ts';

test('multi-document YAML with empty documents and a List', (t) => {
  const objects = parseManifests(
    `apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
- {apiVersion: v1, kind: Secret, metadata: {name: c}}
`,
    'f.yaml',
  );
  t.deepEqual(objects.map((o) => o.object.metadata?.name), ['a', 'b', 'c']);
  t.deepEqual(objects.map((o) => o.document), [1, 3, 3]);
  t.is(objects[1]!.line, 6);
});

test('JSON documents', (t) => {
  const objects = parseManifests('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}', 'f.json');
  t.is(objects[0]!.object.kind, 'ConfigMap');
});

const bad: Array<[string, string, RegExp]> = [
  ['malformed YAML', 'apiVersion: v1\nkind: [ConfigMap\n', /f: document 1 \(line \d+\): invalid YAML/],
  // As kubectl reads it: one JSON object, then the rest as YAML (a bare word is no object).
  ['JSON with trailing garbage', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}} junk', /document 2 \(line 1\): expected an object/],
  ['a JSON stream broken after two objects', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}{"kind":', /document 3 \(line 1\): invalid JSON/],
  ['missing apiVersion', 'kind: ConfigMap\nmetadata: {name: x}\n', /apiVersion not set/],
  ['missing kind', 'apiVersion: v1\nmetadata: {name: x}\n', /kind not set/],
  ['missing name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', /no metadata.name or metadata.generateName/],
  ['a bad document separator', 'apiVersion: v1\n--- x\n', /invalid YAML document separator: x/],
  ['a scalar document', 'just text\n', /expected an object/],
  ['second document bad', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkind: Secret\n', /document 2 \(line 5\): apiVersion not set/],
];
for (const [name, text, message] of bad) {
  test(`${name} is a usage error naming file, document and line`, (t) => {
    const error = t.throws(() => parseManifests(text, 'f'), { instanceOf: UsageError });
    t.regex(error.message, message);
    t.is(error.exitCode, 2);
  });
}

test('arbitrary input never crashes: objects or a clean usage error', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseManifests(text, 'fuzz');
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
        }
      }),
      { numRuns: 500 },
    ),
  );
});

test('a JSON stream: objects one after another, no List needed', (t) => {
  const one = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
  const objects = parseManifests(`${one('a')}\n${one('b')}${one('c')}\n`, 'f.json');
  t.deepEqual(objects.map((o) => [o.object.metadata?.name, o.document, o.line]), [['a', 1, 1], ['b', 2, 2], ['c', 3, 2]]);
});

test('JSON then YAML in one file, as kubectl reads it', (t) => {
  const objects = parseManifests('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n', 'f');
  t.deepEqual(objects.map((o) => o.object.metadata?.name), ['a', 'b']);
});

test('YAML 1.1 as kubectl reads it: octal modes, yes/no/on/off booleans, strings that only look like numbers', (t) => {
  const [o] = parseManifests(
    `apiVersion: v1
kind: ConfigMap
metadata: {name: x}
spec:
  mode: 0400
  hex: 0x1F
  big: 1_000
  sexagesimal: 1:20
  flags: [yes, No, on, OFF, y, n, true]
  when: 2026-12-01T20:12:37Z
  quoted: "0400"
  float: 1.5
  leadingZero: 08
  nothing: ~
  tagged: !!str 0400
  key:
    yes: a
    1: b
    1.5: c
`,
    'f',
  );
  t.deepEqual((o!.object as { spec: unknown }).spec, {
    mode: 256,
    hex: 31,
    big: 1000,
    sexagesimal: '1:20',
    flags: [true, false, true, false, true, false, true],
    when: '2026-12-01T20:12:37Z',
    quoted: '0400',
    float: 1.5,
    leadingZero: 8,
    nothing: null,
    tagged: '0400',
    key: { true: 'a', 1: 'b', '1.5': 'c' },
  });
});

test('merge keys and aliases, as go-yaml v2 reads them', (t) => {
  const [o] = parseManifests(
    `apiVersion: v1
kind: ConfigMap
metadata: {name: x}
base: &base {a: 1, b: 2}
data:
  <<: *base
  b: 3
`,
    'f',
  );
  t.deepEqual((o!.object as { data: unknown }).data, { a: 1, b: 3 });
});

test('a billion laughs stops with a usage error', (t) => {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  t.throws(() => parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n${text}`, 'f'), { instanceOf: UsageError, message: /excessive aliasing/ });
});

test('decoding stays linear: a 4 MB List of 32,000 objects in seconds, not minutes', (t) => {
  const items = Array.from({ length: 32_000 }, (_, i) => `- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c${i}, labels: {a: b}}\n  data: {k: "${'x'.repeat(40)}"}`);
  const text = `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;
  const started = performance.now();
  t.is(parseManifests(text, 'big').length, 32_000);
  // Measured 4.2 s here; a line count per key (the old decoder) took minutes at this size.
  t.true(performance.now() - started < 30_000, `${Math.round(performance.now() - started)} ms`);
});

test('a billion laughs through merge keys stops too', (t) => {
  let text = 'a0: &a0 {k: v}\n';
  for (let i = 1; i < 9; i++) text += `a${i}: &a${i}\n  <<: [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n  x${i}: [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  t.throws(() => parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n${text}`, 'f'), { instanceOf: UsageError, message: /excessive aliasing/ });
});

test('a List item is named by its index, in the document that holds the List', (t) => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n- {apiVersion: v1, metadata: {name: c}}\n';
  const error = t.throws(() => parseManifests(text, 'f.yaml'), { instanceOf: UsageError });
  t.is(error?.message, 'f.yaml: document 2 (line 5), items[1]: kind not set');
  const good = parseManifests(text.replace('{apiVersion: v1, metadata', '{apiVersion: v1, kind: Secret, metadata'), 'f.yaml');
  t.deepEqual(good.map((o) => where(o)), ['f.yaml: document 1 (line 1)', 'f.yaml: document 2 (line 5), items[0]', 'f.yaml: document 2 (line 5), items[1]']);
});

test('a List inside a List is refused at the item that holds it', (t) => {
  const text = '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"List","items":[]}]}';
  const error = t.throws(() => parseManifests(text, 'f.json'), { instanceOf: UsageError });
  t.is(error?.message, 'f.json: document 1 (line 1), items[0]: a List inside a List is not supported');
});

test('an object not from a manifest is named by its origin, without document or line', (t) => {
  t.is(where({ file: '', document: 0, line: 0, origin: 'deployment.apps/web' }), 'deployment.apps/web');
});

test('YAML errors end with what is wrong: never a dangling "at line N, column M:" or a second line', (t) => {
  const broken = ['apiVersion: v1\nkind: [ConfigMap\n', 'a: b\n  c: d\n', 'a:\n\t- b\n', 'a: "b\n', '{a: 1\n', 'a: &x\n  b: *y\n', '@a: b\n', 'a: |\n b\n  c\nd\n', "a: 'x\r\n\r\nb: c\r\n"];
  for (const text of broken) {
    const error = t.throws(() => parseManifests(text, 'f.yaml'), { instanceOf: UsageError });
    t.notRegex(error?.message ?? '', /column|\n|:\s*$/, JSON.stringify(text));
    t.regex(error?.message ?? '', /^f\.yaml: document 1 \(line \d+\): invalid YAML: \S/, JSON.stringify(text));
  }
});

test('a JSON error inside a stream: what is wrong, at the line of the file where it is, without V8\'s position', (t) => {
  const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}\n{"kind": "a",\n "b" 1}';
  const error = t.throws(() => parseManifests(text, 'f.json'), { instanceOf: UsageError });
  t.is(error?.message, "f.json: document 3 (line 3): invalid JSON: Expected ':' after property name");
});
