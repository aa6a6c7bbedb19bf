import test from 'ava';
import fc from 'fast-check';
import { parseManifests } from '../../../shared/manifests/parse-manifests.ts';
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
  ['JSON with trailing garbage', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}} junk', /invalid JSON/],
  ['missing apiVersion', 'kind: ConfigMap\nmetadata: {name: x}\n', /apiVersion not set/],
  ['missing kind', 'apiVersion: v1\nmetadata: {name: x}\n', /kind not set/],
  ['missing name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', /no metadata.name/],
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
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      try {
        parseManifests(text, 'fuzz');
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
      }
    }),
    { numRuns: 500 },
  );
  t.pass();
});
