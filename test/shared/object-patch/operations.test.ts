/** shell-operator's object-patch documents → operations; what is malformed is named with its document. */
import test from 'ava';
import { ExitCode } from '../../../shared/errors.ts';
import { describeOperation, parseObjectOperations } from '../../../shared/object-patch/operations.ts';

const source = 'WATCHQ_PATCH';

test("shell-operator's documents (its testdata, with names): YAML, every operation", (t) => {
  const ops = parseObjectOperations(
    `---
operation: CreateOrUpdate
namespace: default
object:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: test}
  data: {test: test}
---
operation: DeleteInBackground
apiVersion: v1
kind: ConfigMap
name: "test"
namespace: "default"
---
operation: MergePatch
kind: ConfigMap
name: test
subresource: /status
mergePatch:
  data:
    test: test
---
operation: JSONPatch
kind: ConfigMap
name: test
ignoreMissingObject: true
jsonPatch:
- op: remove
  path: /data/test
`,
    source,
  );
  t.deepEqual(ops.map(describeOperation), ['CreateOrUpdate v1/ConfigMap default/test', 'DeleteInBackground v1/ConfigMap default/test', 'MergePatch ConfigMap test', 'JSONPatch ConfigMap test']);
  t.is(ops[2]!.subresource, 'status');
  t.true(ops[3]!.operation === 'JSONPatch' && ops[3]!.ignoreMissingObject);
});

test('a JSON stream, and an object or patch given as a YAML string (shell-operator takes both)', (t) => {
  const ops = parseObjectOperations(
    '{"operation":"Apply","object":"apiVersion: v1\\nkind: Secret\\nmetadata:\\n  name: s\\n"}\n{"operation":"MergePatch","kind":"Secret","name":"s","mergePatch":"{\\"data\\":{}}"}',
    source,
  );
  t.deepEqual(ops.map(describeOperation), ['Apply v1/Secret s', 'MergePatch Secret s']);
  t.deepEqual(ops[1]!.operation === 'MergePatch' && ops[1]!.patch, { data: {} });
});

test('an empty file, or empty documents: nothing to do', (t) => {
  t.deepEqual(parseObjectOperations('', source), []);
  t.deepEqual(parseObjectOperations('---\n---\n', source), []);
});

const refusals: Array<[string, string, RegExp]> = [
  ['unknown operation', 'operation: Patch\nkind: ConfigMap\nname: a\n', /^WATCHQ_PATCH, document 1 \(line 1\): unknown operation "Patch"$/],
  ['second document named', '---\noperation: Delete\nkind: ConfigMap\nname: a\n---\noperation: jsonPatch\nkind: ConfigMap\nname: a\n', /document 2 \(line 6\): unknown operation "jsonPatch"/],
  ['JQPatch', 'operation: JQPatch\nkind: ConfigMap\nname: a\njqFilter: .data = {}\n', /JQPatch needs jq, which watchq does not carry/],
  ['unknown field', 'operation: Delete\nkind: ConfigMap\nname: a\napiversion: v1\n', /unknown field "apiversion"/],
  ['no operation', 'kind: ConfigMap\nname: a\n', /"operation" is missing/],
  ['delete without name', 'operation: Delete\nkind: ConfigMap\n', /Delete needs "name"/],
  ['create without object', 'operation: Create\nnamespace: default\nobject:\n', /Create needs "object"/],
  ['object without name', 'operation: CreateOrUpdate\nobject: {apiVersion: v1, kind: ConfigMap, metadata: {generateName: x-}}\n', /the ConfigMap has no metadata.name/],
  ['empty merge patch', 'operation: MergePatch\nkind: ConfigMap\nname: a\nmergePatch: {}\n', /"mergePatch" must be a map with at least one field/],
  ['JSON patch step without path', 'operation: JSONPatch\nkind: ConfigMap\nname: a\njsonPatch: [{op: remove}]\n', /jsonPatch\[0\] needs "op" and "path"/],
  ['not YAML', 'operation: [\n', /document 1 \(line 2\): invalid YAML: /],
  ['a list', '- operation: Delete\n', /expected an operation/],
];
for (const [name, text, message] of refusals) {
  test(`refused with one line, exit 2: ${name}`, (t) => {
    const error = t.throws(() => parseObjectOperations(text, source));
    t.regex(error!.message, message);
    t.false(error!.message.includes('\n'));
    t.is((error as { exitCode?: number }).exitCode, ExitCode.usage);
  });
}

test('a generated name suits Create only', (t) => {
  const ops = parseObjectOperations('operation: Create\nobject: {apiVersion: v1, kind: ConfigMap, metadata: {generateName: x-}}\n', source);
  t.is(describeOperation(ops[0]!), 'Create v1/ConfigMap x-*');
});
