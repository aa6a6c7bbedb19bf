/**
 * client-go's JSONPath dialect, on the behaviour of its own test tables
 * (k8s.io/client-go/util/jsonpath/jsonpath_test.go and parser_test.go), with JSON input as
 * kubectl gives it (unstructured objects: whole numbers are int64, the rest float64).
 */
import test, { type ExecutionContext } from 'ava';
import { JsonPathExecutionError } from '../../../../shared/output/jsonpath/evaluate.ts';
import { JsonPathSyntaxError } from '../../../../shared/output/jsonpath/parser.ts';
import { createJsonPath } from '../../../../shared/output/jsonpath/print.ts';

const types = {
  bools: [true, false, true, false],
  integers: [1, 2, 3, 4],
  floats: [1.0, 2.2, 3.3, 4.0],
  strings: ['one', 'two', 'three', 'four'],
  interfaces: [true, 'one', 1, 1.1],
  maps: [{ name: 'one', value: 1 }, { name: 'two', value: 2.02 }, { name: 'three', value: 3.03 }, { name: 'four', value: 4.04 }],
};

const store = {
  Name: 'jsonpath',
  Book: [
    { Category: 'reference', Author: 'Nigel Rees', Title: 'Sayings of the Centurey', Price: 8.95 },
    { Category: 'fiction', Author: 'Evelyn Waugh', Title: 'Sword of Honour', Price: 12.99 },
    { Category: 'fiction', Author: 'Herman Melville', Title: 'Moby Dick', Price: 8.99 },
  ],
  Bicycle: [{ Color: 'red', Price: 19.95, IsNew: true }, { Color: 'green', Price: 20.01, IsNew: false }],
  Labels: { engieer: 10, 'web/html': 15, 'k8s-app': 20 },
  Employees: { jason: 'manager', dan: 'clerk' },
};

const points = [
  { id: 'i1', x: 4, y: -5 },
  { id: 'i2', x: -2, y: -5, z: 1 },
  { id: 'i3', x: 8, y: 3 },
  { id: 'i4', x: -6, y: -1 },
  { id: 'i5', x: 0, y: 2, z: 1 },
  { id: 'i6', x: 1, y: 4 },
  { id: 'i7', x: null, y: 4 },
];

const nodes = {
  kind: 'List',
  items: [
    { kind: 'None', metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } }, status: { capacity: { cpu: '4' }, ready: true, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }] } },
    { kind: 'None', metadata: { name: '127.0.0.2', labels: { 'kubernetes.io/hostname': '127.0.0.2' } }, status: { capacity: { cpu: '8' }, ready: false, addresses: [{ type: 'LegacyHostIP', address: '127.0.0.2' }, { type: 'another', address: '127.0.0.3' }] } },
  ],
  users: [{ name: 'myself', user: {} }, { name: 'e2e', user: { username: 'admin', password: 'secret' } }],
};

const pods = {
  items: ['pod1', 'pod2'].map((name, i) => ({
    metadata: { name },
    spec: { containers: (i === 0 ? ['foo', 'bar'] : ['baz']).map((c) => ({ name: c, another: [{ name: 'value1' }, { name: 'value2' }] })) },
  })),
};

const containers = (n: number) => ({ spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `fake${i}` })) } });

const prints = test.macro({
  exec(t: ExecutionContext, template: string, data: unknown, expected: string, options: { allowMissingKeys?: boolean; outputJson?: boolean } = {}) {
    t.is(createJsonPath(template, options).execute(data), expected);
  },
  title: (given, template: string) => given ?? `prints ${template}`,
});

const fails = test.macro({
  exec(t: ExecutionContext, template: string, data: unknown, message: string, options: { allowMissingKeys?: boolean } = {}) {
    t.throws(() => createJsonPath(template, options).execute(data), { instanceOf: JsonPathExecutionError, message });
  },
  title: (given, template: string, _data: unknown, message: string, _options?: { allowMissingKeys?: boolean }) => given ?? `${template} fails: ${message}`,
});

const refuses = test.macro({
  exec(t: ExecutionContext, template: string, message: string) {
    t.throws(() => createJsonPath(template), { instanceOf: JsonPathSyntaxError, message });
  },
  title: (given, template: string, message: string) => given ?? `${template} does not parse: ${message}`,
});

// Slices of every element type.
for (const [template, expected] of [
  ['{ .bools }', '[true,false,true,false]'],
  ['{ .bools[0] }', 'true'],
  ['{ .bools[-1] }', 'false'],
  ['{ .bools[0:2] }', 'true false'],
  ['{ .bools[:4:2] }', 'true true'],
  ['{ .integers }', '[1,2,3,4]'],
  ['{ .integers[-2] }', '3'],
  ['{ .integers[:4:2] }', '1 3'],
  ['{ .floats }', '[1,2.2,3.3,4]'],
  ['{ .floats[-2] }', '3.3'],
  ['{ .floats[0:2] }', '1 2.2'],
  ['{ .strings }', '["one","two","three","four"]'],
  ['{ .strings[-2] }', 'three'],
  ['{ .strings[:4:2] }', 'one three'],
  ['{ .interfaces }', '[true,"one",1,1.1]'],
  ['{ .interfaces[0:2] }', 'true one'],
  ['{ .interfaces[:4:2] }', 'true 1'],
  ['{ .maps }', '[{"name":"one","value":1},{"name":"two","value":2.02},{"name":"three","value":3.03},{"name":"four","value":4.04}]'],
  ['{ .maps[-2] }', '{"name":"three","value":3.03}'],
  ['{ .maps[::2] }', '{"name":"one","value":1} {"name":"three","value":3.03}'],
  ['{ .maps[1::2] }', '{"name":"two","value":2.02} {"name":"four","value":4.04}'],
] as const) {
  test(prints, template, types, expected);
}

// Text, arrays, unions, recursion, filters.
test(prints, 'hello jsonpath', null, 'hello jsonpath');
test(prints, '{..}', [1, 2, 3], '[1,2,3]');
test(prints, '{[?(@<5)]}', [2, 6, 3, 7], '2 3');
test(prints, '{"{"}', null, '{');
test(prints, '{[1,3,4]}', [0, 1, 2, 3, 4], '1 3 4');
test(prints, '{[0:2]}', ['Monday', 'Tudesday'], 'Monday Tudesday');
test(prints, 'hello {.Name}', store, 'hello jsonpath');
test(prints, '{$.Labels.web/html}', store, '15');
test(prints, '{$.Employees.jason}', store, 'manager');
test(prints, '{.Labels.k8s-app}', store, '20');
test(prints, '{.Bicycle[*].Color}', store, 'red green');
test(prints, '{.Book[*].Author}', store, 'Nigel Rees Evelyn Waugh Herman Melville');
test('a map\'s values with *: keys in sorted order (Go\'s order is random)', prints, '{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}', store, '{red true 19.95} {green false 20.01} ');
// client-go's struct keeps Book before Bicycle; in a map (as kubectl's objects are) we sort the keys.
test(prints, '{..Price}', store, '19.95 20.01 8.95 12.99 8.99');
test(prints, '{...Price}', store, '19.95 20.01 8.95 12.99 8.99');
test(prints, '{.Book[-1:]}', store, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}');
test(prints, '{..Book[2]}', store, '{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}');
test(prints, '{.Bicycle[?(@.IsNew==true)]}', store, '{"Color":"red","IsNew":true,"Price":19.95}');
test(prints, '{.hello}', store, '');
test(prints, 'before-{.hello}after', store, 'before-after');

test(prints, '{[?(@.z)].id}', points, 'i2 i5');
test(prints, "{[0]['id']}", points, 'i1');
test(prints, "{[-1]['x']}", points, 'null');
test(prints, '{[?(@.x>0)].id}', points.slice(0, 6), 'i1 i3 i6');
test(prints, '{[?(@.y<=-1)].id}', points, 'i1 i2 i4');
test(prints, '{[?(@.x!=@.y)].id}', points.slice(0, 6), 'i1 i2 i3 i4 i5 i6');

test(prints, '{range .items[*]}{.metadata.name}, {end}{.kind}', nodes, '127.0.0.1, 127.0.0.2, List');
test(prints, '{range .items[*]}{.metadata.name}{"\\t"}{end}', nodes, '127.0.0.1\t127.0.0.2\t');
test(prints, '{.items[*].status.addresses[*].address}', nodes, '127.0.0.1 127.0.0.2 127.0.0.3');
test(prints, '{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}', nodes, '127.0.0.1, 127.0.0.2, 127.0.0.3, ');
test(prints, "{.items[*]['metadata.name', 'status.capacity']}", nodes, '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}');
test(prints, '{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}', nodes, '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] ');
test(prints, '{.users[?(@.name=="e2e")].user.password}', nodes, 'secret');
test(prints, '{.items[0].metadata.labels.kubernetes\\.io/hostname}', nodes, '127.0.0.1');
test(prints, '{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', nodes, 'None');
test(prints, '{.items[?(@..ready==true)].metadata.name}', nodes, '127.0.0.1');
test('recursive descent visits maps in sorted key order', prints, '{..name}', nodes, '127.0.0.1 127.0.0.2 myself e2e');
test("['a.b'] is .a.b, as in client-go", prints, "{.items[0].metadata['labels.kubernetes.io/hostname']}", nodes, '');

test(prints, '{range .items[*]}{.metadata.name}{end}', { items: [] }, '');
test('a nested range over no items prints nothing', prints, '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}', { items: [] }, '');
test(prints, '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}', pods, 'pod1:foo,bar,+pod2:baz,+');
test(prints, '{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}', pods, 'pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#');
test(prints, '{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}', pods, 'pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n');

const annotated = { kind: 'List', items: [{ metadata: { name: 'pod1', annotations: { color: 'blue' } } }, { metadata: { name: 'pod2' } }, { metadata: { name: 'pod3', annotations: { color: 'green' } } }, { metadata: { name: 'pod4', annotations: { color: 'blue' } } }] };
test('a filter skips items without the field', prints, '{.items[?(@.metadata.annotations.color=="blue")].metadata.name}', annotated, 'pod1 pod4');
test('without missing keys allowed, the same filter fails', fails, '{.items[?(@.metadata.annotations.color=="blue")].metadata.name}', annotated, 'annotations is not found', { allowMissingKeys: false });
test(prints, '{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}', { items: [{ metadata: { name: 'pod1' }, status: { phase: 'Running' } }, { metadata: { name: 'pod2' }, status: { phase: 'Failed' } }, { metadata: { name: 'pod3' }, status: { phase: 'Running' } }] }, 'pod1 is Running\npod3 is Running\n');

// Index and slice bounds over four containers.
for (const [index, expected] of [['0', 'fake0'], ['0:0', ''], ['0:-1', 'fake0 fake1 fake2'], ['-1', 'fake3'], ['-1:', 'fake3'], ['-2', 'fake2'], ['-2:', 'fake2 fake3'], ['-3', 'fake1'], ['-4', 'fake0'], ['-4:', 'fake0 fake1 fake2 fake3'], ['5:5', ''], ['-5:-5', '']] as const) {
  test(prints, `{.spec.containers[${index}].name}`, containers(4), expected);
}
test(fails, '{.spec.containers[-1:0].name}', containers(4), 'starting index 3 is greater than ending index 0');
test(fails, '{.spec.containers[-5].name}', containers(4), 'array index out of bounds: index -1, length 4');
test(fails, '{.spec.containers[3:1].name}', containers(4), 'starting index 3 is greater than ending index 1');
test(fails, '{.spec.containers[-1:-2].name}', containers(4), 'starting index 3 is greater than ending index 2');
test(fails, '{.items[0].metadata.name}', { items: [] }, 'array index out of bounds: index 0, length 0');
for (const [index, expected] of [['0:', 'fake0 fake1 fake2 fake3 fake4 fake5'], ['0:6:', 'fake0 fake1 fake2 fake3 fake4 fake5'], ['0:6:1', 'fake0 fake1 fake2 fake3 fake4 fake5'], ['1:4:2', 'fake1 fake3'], ['1:4:3', 'fake1'], ['1:4:4', 'fake1'], ['0:6:2', 'fake0 fake2 fake4'], ['0:6:3', 'fake0 fake3'], ['0:6:5', 'fake0 fake5'], ['0:6:6', 'fake0']] as const) {
  test(prints, `{.spec.containers[${index}].name}`, containers(6), expected);
}
test(fails, '{.spec.containers[0:6:0].name}', containers(6), 'step must be > 0');
test(fails, '{.spec.containers[0:6:-1].name}', containers(6), 'step must be > 0');

// Errors at run time.
test(fails, '{hello}', store, 'unrecognized identifier hello');
test(fails, '{.hello}', store, 'hello is not found', { allowMissingKeys: false });
test(fails, '{.Labels[0]}', store, 'map[string]interface {} is not array or slice');
test(fails, '{.Book[?(@.Price<>10)]}', store, 'unrecognized filter operator <>');
test(fails, '{range .Labels.*}{@}{end}{end}', store, 'not in range, nothing to end');
test('a nil operand cannot be compared', fails, '{[?(@.x>0)].id}', points, 'invalid type for comparison');
test('an int and a float cannot be compared', fails, '{.floats[?(@>1)]}', types, 'incompatible types for comparison');
test('a float literal is a float: 4.0 is not the integer 4', fails, '{.integers[?(@==4.0)]}', types, 'incompatible types for comparison');
test(fails, '{.Name[?(@=="x")]}', store, 'jsonpath is not array or slice and cannot be filtered');
test(fails, '{.Book[?(@.Category)].Title[?(@.x)]}', store, 'Sayings of the Centurey is not array or slice and cannot be filtered');

// Parse errors.
test(refuses, '{............................................................Price}', 'invalid multiple recursive descent');
test(refuses, '{\\\\\\}', 'unrecognized character in action: U+005C \'\\\'');
test(refuses, '{.a', 'unclosed action');
test(refuses, '{.a\n}', 'unclosed action');
test(refuses, '{.a[0}', 'unterminated array');
test(refuses, '{.a[x]}', 'invalid array index x');
test(refuses, '{.a[?(@.b=="x")}', 'unclosed array expect ]');
test(refuses, '{.a[?(@.b=="x"}', 'unterminated filter');
test(refuses, '{"abc}', 'unterminated quoted string');
test(refuses, '{.a\t}', 'unrecognized character in action: U+0009');
test(refuses, '{1.2.3}', 'cannot parse number 1.2.3');
test(refuses, '{.a[-]}', 'array index - is not a number');

// Quotes and filters with awkward text (parser_test.go's cases, evaluated).
const images = [{ status: { nodeInfo: { osImage: '()' } } }, { status: { nodeInfo: { osImage: '("")' } } }, { status: { nodeInfo: { osImage: "'" } } }, { status: { nodeInfo: { osImage: '{[()]}' } } }, { status: { nodeInfo: { osImage: "''" } } }, { status: { nodeInfo: { osImage: '""' } } }];
for (const [filter, expected] of [
  ['@.status.nodeInfo.osImage == "()"', '()'],
  ['@.status.nodeInfo.osImage == "(\\"\\")"', '("")'],
  ["@.status.nodeInfo.osImage == '\\''", "'"],
  ['@.status.nodeInfo.osImage == "{[()]}"', '{[()]}'],
  ['@.status.nodeInfo.osImage == "\'\'"', "''"],
  ["@.status.nodeInfo.osImage == '\"\"'", '""'],
] as const) {
  test(prints, `{[?(${filter})].status.nodeInfo.osImage}`, images, expected);
}
test(prints, '{"a\\tb\\u00e9\\x41\\101"}{\'it\\\'s "x"\'}', null, 'a\tbéAAit\'s "x"');
test(refuses, '{"\\q"}', 'unquote string "\\q" error invalid syntax');

// Values as Go prints them.
test(prints, '{.a} {.b} {.c} {.d} {.e} {.f}', { a: 0.5, b: 1234567.5, c: 0.00001, d: true, e: null, f: 'x<y' }, '0.5 1.2345675e+06 1e-05 true null x<y');
test('maps and lists inside print as compact JSON with sorted keys and HTML escapes', prints, '{.m}', { m: { b: [1, 'x<y'], a: { c: null } } }, '{"a":{"c":null},"b":[1,"x\\u003cy"]}');
test('* over a string walks its UTF-8 bytes', prints, '{.s.*}', { s: 'hé' }, '104 195 169');
test('.. includes non-empty strings but no numbers', prints, '{range ..}{"|"}{@}{end}', { a: { b: 'x', c: 1 } }, '|{"a":{"b":"x","c":1}}|{"b":"x","c":1}|x');
test(prints, '{@}', { a: 1 }, '{"a":1}');
test(prints, '{5}{true}{-1}', null, '5true-1');

// jsonpath-as-json.
test('as JSON: each node\'s results are one indented array', prints, '{.items[*].metadata.name}', nodes, '[\n    "127.0.0.1",\n    "127.0.0.2"\n]\n', { outputJson: true });
test('as JSON: no result is an empty array, text too is an array', prints, 'x{.nothing}', nodes, '[\n    "x"\n]\n[]\n', { outputJson: true });
test('as JSON: nested values are indented', prints, '{.items[0].status.capacity}', nodes, '[\n    {\n        "cpu": "4"\n    }\n]\n', { outputJson: true });
