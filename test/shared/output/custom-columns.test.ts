/** Custom columns in-process: kubectl's relaxed paths, spec errors, cell formatting. */
import test from 'ava';
import { parseCustomColumns, parseCustomColumnsFile, relaxedJsonPath, renderCustomColumns } from '../../../shared/output/custom-columns.ts';
import { UsageError } from '../../../shared/errors.ts';

test('paths are relaxed as kubectl relaxes them', (t) => {
  for (const p of ['metadata.name', '.metadata.name', '{metadata.name}', '{.metadata.name}']) t.is(relaxedJsonPath(p), '{.metadata.name}');
  t.is(relaxedJsonPath(''), '');
  t.throws(() => relaxedJsonPath('{.a}{.b}'), { instanceOf: UsageError, message: /^unexpected path string/ });
});

test('a spec part without a colon is refused', (t) => {
  t.throws(() => parseCustomColumns('NAME:.metadata.name,AGE'), { instanceOf: UsageError, message: 'unexpected custom-columns spec: AGE, expected <header>:<json-path-expr>' });
});

test('values: <none>, comma-joined lists, maps and lists as Go prints them, nil, ESC and CR escaped', (t) => {
  const columns = parseCustomColumns('N:.n,L:.l[*],M:.m,A:.a,X:.x,E:.e,Z:.z');
  const { text, error } = renderCustomColumns(columns, [{ n: 'a', l: [1, 'b'], m: { k: [1, 2], j: 'v' }, a: [true, 0.5], x: null, e: 'esc\x1b[0m\rcr' }], false);
  t.is(error, undefined);
  t.is(text, 'N     L     M                  A            X       E              Z\na     1,b   map[j:v k:[1 2]]   [true 0.5]   <nil>   esc^[[0m\\rcr   <none>\n');
});

test('the file form: headers and paths split on whitespace, counts must match', (t) => {
  t.deepEqual(parseCustomColumnsFile('A  B\n.a\t{.b}\n').columns.map((c) => c.header), ['A', 'B']);
  t.throws(() => parseCustomColumnsFile('A B\n.a\n'), { message: "number of headers (2) and field specifications (1) don't match" });
  t.throws(() => parseCustomColumnsFile('A\n'), { message: /^invalid template, missing spec line/ });
  t.throws(() => parseCustomColumnsFile(''), { message: /^invalid template, missing header line/ });
});

test('a path failing on an object stops there, with the rows before it', (t) => {
  const { text, error } = renderCustomColumns(parseCustomColumns('N:.n,F:.l[1]'), [{ n: 'ok', l: [1, 2] }, { n: 'bad', l: [1] }], false);
  t.is(text, 'N     F\nok    2\n');
  t.is(error?.message, 'array index out of bounds: index 1, length 1');
});
