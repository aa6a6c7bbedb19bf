/**
 * The parser against Go's own tables (text/template/parse/parse_test.go, Go 1.26): parseTests
 * (each tree's String(), text quoted as Go's test prints it, or an error), errorTests (the
 * message, line numbers included) and numberTests (which types a constant can take).
 */
import test from 'ava';
import { goTemplateFuncs } from '../../../../shared/output/go-template/funcs.ts';
import { nodeString, type NumberNode } from '../../../../shared/output/go-template/nodes.ts';
import { parseTemplate, TemplateParseError } from '../../../../shared/output/go-template/parser.ts';

const funcs = new Set([...goTemplateFuncs.keys(), 'contains']);

function parse(name: string, text: string): string {
  const root = parseTemplate(name, text, funcs).get(name)!.root!;
  return nodeString(root, true);
}

// [name, input, ok, result]; Go's "exceeds limit" rows need its test's depth limit of 3, left out.
const parseTests: Array<[string, string, boolean, string]> = [
  ['empty', '', true, ''],
  ['comment', '{{/*\n\n\n*/}}', true, ''],
  ['spaces', ' \t\n', true, '" \\t\\n"'],
  ['text', 'some text', true, '"some text"'],
  ['emptyAction', '{{}}', false, '{{}}'],
  ['field', '{{.X}}', true, '{{.X}}'],
  ['simple command', '{{printf}}', true, '{{printf}}'],
  ['$ invocation', '{{$}}', true, '{{$}}'],
  ['variable invocation', '{{with $x := 3}}{{$x 23}}{{end}}', true, '{{with $x := 3}}{{$x 23}}{{end}}'],
  ['variable with fields', '{{$.I}}', true, '{{$.I}}'],
  ['multi-word command', '{{printf `%d` 23}}', true, '{{printf `%d` 23}}'],
  ['pipeline', '{{.X|.Y}}', true, '{{.X | .Y}}'],
  ['pipeline with decl', '{{$x := .X|.Y}}', true, '{{$x := .X | .Y}}'],
  ['nested pipeline', '{{.X (.Y .Z) (.A | .B .C) (.E)}}', true, '{{.X (.Y .Z) (.A | .B .C) (.E)}}'],
  ['field applied to parentheses', '{{(.Y .Z).Field}}', true, '{{(.Y .Z).Field}}'],
  ['simple if', '{{if .X}}hello{{end}}', true, '{{if .X}}"hello"{{end}}'],
  ['if with else', '{{if .X}}true{{else}}false{{end}}', true, '{{if .X}}"true"{{else}}"false"{{end}}'],
  ['if with else if', '{{if .X}}true{{else if .Y}}false{{end}}', true, '{{if .X}}"true"{{else}}{{if .Y}}"false"{{end}}{{end}}'],
  ['if else chain', '+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+', true, '"+"{{if .X}}"X"{{else}}{{if .Y}}"Y"{{else}}{{if .Z}}"Z"{{end}}{{end}}{{end}}"+"'],
  ['simple range', '{{range .X}}hello{{end}}', true, '{{range .X}}"hello"{{end}}'],
  ['chained field range', '{{range .X.Y.Z}}hello{{end}}', true, '{{range .X.Y.Z}}"hello"{{end}}'],
  ['nested range', '{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}', true, '{{range .X}}"hello"{{range .Y}}"goodbye"{{end}}{{end}}'],
  ['range with else', '{{range .X}}true{{else}}false{{end}}', true, '{{range .X}}"true"{{else}}"false"{{end}}'],
  ['range over pipeline', '{{range .X|.M}}true{{else}}false{{end}}', true, '{{range .X | .M}}"true"{{else}}"false"{{end}}'],
  ['range []int', '{{range .SI}}{{.}}{{end}}', true, '{{range .SI}}{{.}}{{end}}'],
  ['range 1 var', '{{range $x := .SI}}{{.}}{{end}}', true, '{{range $x := .SI}}{{.}}{{end}}'],
  ['range 2 vars', '{{range $x, $y := .SI}}{{.}}{{end}}', true, '{{range $x, $y := .SI}}{{.}}{{end}}'],
  ['range with break', '{{range .SI}}{{.}}{{break}}{{end}}', true, '{{range .SI}}{{.}}{{break}}{{end}}'],
  ['range with continue', '{{range .SI}}{{.}}{{continue}}{{end}}', true, '{{range .SI}}{{.}}{{continue}}{{end}}'],
  ['constants', "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}", true, "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"],
  ['template', '{{template `x`}}', true, '{{template "x"}}'],
  ['template with arg', '{{template `x` .Y}}', true, '{{template "x" .Y}}'],
  ['with', '{{with .X}}hello{{end}}', true, '{{with .X}}"hello"{{end}}'],
  ['with with else', '{{with .X}}hello{{else}}goodbye{{end}}', true, '{{with .X}}"hello"{{else}}"goodbye"{{end}}'],
  ['with with else with', '{{with .X}}hello{{else with .Y}}goodbye{{end}}', true, '{{with .X}}"hello"{{else}}{{with .Y}}"goodbye"{{end}}{{end}}'],
  ['with else chain', '{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}', true, '{{with .X}}"X"{{else}}{{with .Y}}"Y"{{else}}{{with .Z}}"Z"{{end}}{{end}}{{end}}'],
  ['trim left', 'x \r\n\t{{- 3}}', true, '"x"{{3}}'],
  ['trim right', '{{3 -}}\n\n\ty', true, '{{3}}"y"'],
  ['trim left and right', 'x \r\n\t{{- 3 -}}\n\n\ty', true, '"x"{{3}}"y"'],
  ['trim with extra spaces', 'x\n{{-  3   -}}\ny', true, '"x"{{3}}"y"'],
  ['comment trim left', 'x \r\n\t{{- /* hi */}}', true, '"x"'],
  ['comment trim right', '{{/* hi */ -}}\n\n\ty', true, '"y"'],
  ['comment trim left and right', 'x \r\n\t{{- /* */ -}}\n\n\ty', true, '"x""y"'],
  ['block definition', '{{block "foo" .}}hello{{end}}', true, '{{template "foo" .}}'],
  ['newline in assignment', '{{ $x \n := \n 1 \n }}', true, '{{$x := 1}}'],
  ['newline in empty action', '{{\n}}', false, '{{\n}}'],
  ['newline in pipeline', '{{\n"x"\n|\nprintf\n}}', true, '{{"x" | printf}}'],
  ['newline in comment', '{{/*\nhello\n*/}}', true, ''],
  ['newline in comment', '{{-\n/*\nhello\n*/\n-}}', true, ''],
  ['spaces around continue', '{{range .SI}}{{.}}{{ continue }}{{end}}', true, '{{range .SI}}{{.}}{{continue}}{{end}}'],
  ['spaces around break', '{{range .SI}}{{.}}{{ break }}{{end}}', true, '{{range .SI}}{{.}}{{break}}{{end}}'],
  ['unclosed action', 'hello{{range', false, ''],
  ['unmatched end', '{{end}}', false, ''],
  ['unmatched else', '{{else}}', false, ''],
  ['unmatched else after if', '{{if .X}}hello{{end}}{{else}}', false, ''],
  ['multiple else', '{{if .X}}1{{else}}2{{else}}3{{end}}', false, ''],
  ['missing end', 'hello{{range .x}}', false, ''],
  ['missing end after else', 'hello{{range .x}}{{else}}', false, ''],
  ['undefined function', 'hello{{undefined}}', false, ''],
  ['undefined variable', '{{$x}}', false, ''],
  ['variable undefined after end', '{{with $x := 4}}{{end}}{{$x}}', false, ''],
  ['variable undefined in template', '{{template $v}}', false, ''],
  ['declare with field', '{{with $x.Y := 4}}{{end}}', false, ''],
  ['template with field ref', '{{template .X}}', false, ''],
  ['template with var', '{{template $v}}', false, ''],
  ['invalid punctuation', '{{printf 3, 4}}', false, ''],
  ['multidecl outside range', '{{with $v, $u := 3}}{{end}}', false, ''],
  ['too many decls in range', '{{range $u, $v, $w := 3}}{{end}}', false, ''],
  ['dot applied to parentheses', '{{printf (printf .).}}', false, ''],
  ['adjacent args', '{{printf 3`x`}}', false, ''],
  ['adjacent args with .', '{{printf `x`.}}', false, ''],
  ['extra end after if', '{{if .X}}a{{else if .Y}}b{{end}}{{end}}', false, ''],
  ['break outside range', '{{range .}}{{end}} {{break}}', false, ''],
  ['continue outside range', '{{range .}}{{end}} {{continue}}', false, ''],
  ['break in range else', '{{range .}}{{else}}{{break}}{{end}}', false, ''],
  ['continue in range else', '{{range .}}{{else}}{{continue}}{{end}}', false, ''],
  ['bug0a', '{{$x := 0}}{{$x}}', true, '{{$x := 0}}{{$x}}'],
  ['bug0b', '{{$x += 1}}{{$x}}', false, ''],
  ['bug0c', '{{$x ! 2}}{{$x}}', false, ''],
  ['bug0d', '{{$x % 3}}{{$x}}', false, ''],
  ['bug0e', '{{range $x := $y := 3}}{{end}}', false, ''],
  ['bug1a', '{{$x:=.}}{{$x!2}}', false, ''],
  ['bug1b', '{{$x:=.}}{{$x+2}}', false, ''],
  ['bug1c', '{{$x:=.}}{{$x +2}}', true, '{{$x := .}}{{$x +2}}'],
  ['bug2a', '{{range $x := 0}}{{$x}}{{end}}', true, '{{range $x := 0}}{{$x}}{{end}}'],
  ['bug2b', '{{range $x = 0}}{{$x}}{{end}}', true, '{{range $x = 0}}{{$x}}{{end}}'],
  ['dot after integer', '{{1.E}}', false, ''],
  ['dot after float', '{{0.1.E}}', false, ''],
  ['dot after boolean', '{{true.E}}', false, ''],
  ['dot after char', "{{'a'.any}}", false, ''],
  ['dot after string', '{{"hello".guys}}', false, ''],
  ['dot after dot', '{{..E}}', false, ''],
  ['dot after nil', '{{nil.E}}', false, ''],
  ['wrong pipeline dot', '{{12|.}}', false, ''],
  ['wrong pipeline number', '{{.|12|printf}}', false, ''],
  ['wrong pipeline string', '{{.|printf|"error"}}', false, ''],
  ['wrong pipeline char', "{{12|printf|'e'}}", false, ''],
  ['wrong pipeline boolean', '{{.|true}}', false, ''],
  ['wrong pipeline nil', "{{'c'|nil}}", false, ''],
  ['empty pipeline', '{{printf "%d" ( ) }}', false, ''],
  ['block definition', '{{block "foo"}}hello{{end}}', false, ''],
  ['paren nesting normal', '{{ (( 1 )) }}', true, '{{((1))}}'],
  ['paren nesting at limit', '{{ ((( 1 ))) }}', true, '{{(((1)))}}'],
  ['paren nesting in pipeline', '{{ ((( 1 ))) | printf }}', true, '{{(((1))) | printf}}'],
  ['paren nesting with other constructs', '{{ if ((( true ))) }}YES{{ end }}', true, '{{if (((true)))}}"YES"{{end}}'],
];

test(`Go's parseTests (${parseTests.length}): the trees and the refusals`, (t) => {
  for (const [name, input, ok, result] of parseTests) {
    if (ok) t.is(parse(name, input), result, name);
    else t.throws(() => parse(name, input), { instanceOf: TemplateParseError }, name);
  }
});

// [name, input, the message contains]
const errorTests: Array<[string, string, string]> = [
  ['unclosed1', 'line1\n{{', 'unclosed1:2: unclosed action'],
  ['unclosed2', 'line1\n{{define `x`}}line2\n{{', 'unclosed2:3: unclosed action'],
  ['unclosed3', 'line1\n{{"x"\n"y"\n', 'unclosed3:4: unclosed action started at unclosed3:2'],
  ['unclosed4', '{{\n\n\n\n\n', 'unclosed4:6: unclosed action started at unclosed4:1'],
  ['var1', 'line1\n{{\nx\n}}', 'var1:3: function "x" not defined'],
  ['function', '{{foo}}', 'function "foo" not defined'],
  ['comment1', '{{/*}}', 'comment1:1: unclosed comment'],
  ['comment2', '{{/*\nhello\n}}', 'comment2:1: unclosed comment'],
  ['lparen', '{{.X (1 2 3}}', 'unclosed left paren'],
  ['rparen', '{{.X 1 2 3 ) }}', 'unexpected right paren'],
  ['rparen2', '{{(.X 1 2 3', 'unclosed action'],
  ['space', '{{`x`3}}', 'in operand'],
  ['idchar', '{{a#}}', "'#'"],
  ['charconst', "{{'a}}", 'unterminated character constant'],
  ['stringconst', '{{"a}}', 'unterminated quoted string'],
  ['rawstringconst', '{{`a}}', 'unterminated raw quoted string'],
  ['number', '{{0xi}}', 'number syntax'],
  ['multidefine', '{{define `a`}}a{{end}}{{define `a`}}b{{end}}', 'multiple definition of template'],
  ['eof', '{{range .X}}', 'unexpected EOF'],
  ['variable', '{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}', 'unexpected ":="'],
  ['multidecl', '{{$a,$b,$c := 23}}', 'too many declarations'],
  ['undefvar', '{{$a}}', 'undefined variable'],
  ['wrongdot', '{{true.any}}', 'unexpected . after term'],
  ['wrongpipeline', '{{12|false}}', 'non executable command in pipeline'],
  ['emptypipeline', '{{ ( ) }}', 'missing value for parenthesized pipeline'],
  ['multilinerawstring', '{{ $v := `\n` }} {{', 'multilinerawstring:2: unclosed action'],
  ['rangeundefvar', '{{range $k}}{{end}}', 'undefined variable'],
  ['rangeundefvars', '{{range $k, $v}}{{end}}', 'undefined variable'],
  ['rangemissingvalue1', '{{range $k,}}{{end}}', 'missing value for range'],
  ['rangemissingvalue2', '{{range $k, $v := }}{{end}}', 'missing value for range'],
  ['rangenotvariable1', '{{range $k, .}}{{end}}', 'range can only initialize variables'],
  ['rangenotvariable2', '{{range $k, 123 := .}}{{end}}', 'range can only initialize variables'],
];

test(`Go's errorTests (${errorTests.length}): the messages, with their line numbers`, (t) => {
  for (const [name, input, expected] of errorTests) {
    const error = t.throws(() => parse(name, input), { instanceOf: TemplateParseError }, name);
    t.true(error?.message.includes(expected), `${name}: ${error?.message} lacks ${expected}`);
  }
});

test('whole messages, as kubectl prints them after "error parsing template T, "', (t) => {
  const message = (text: string) => t.throws(() => parse('output', text))?.message;
  t.is(message('{{.x'), 'template: output:1: unclosed action');
  t.is(message('{{nope}}'), 'template: output:1: function "nope" not defined');
  t.is(message('{{.kind}}{{define}}'), 'template: output:1: unexpected "}}" in define clause');
  t.is(message('{{if .a}}x'), 'template: output:1: unexpected EOF');
  t.is(message('{{end}}'), 'template: output:1: unexpected {{end}}');
  t.is(message('{{range .items}}{{.x}}{{else}}a{{else}}b{{end}}'), 'template: output:1: expected end; found {{else}}');
  t.is(message('{{"abcdefghijklmnop" "x" ]}}'), 'template: output:1: unexpected "]" in operand');
  t.is(message('{{é}}'), 'template: output:1: function "é" not defined');
  t.is(message('{{.a}}\n{{ . § }}'), "template: output:2: unrecognized character in action: U+00A7 '§'");
  t.is(message('{{printf "%d" "abcdefghijkl" | "x"}}'), 'template: output:1: non executable command in pipeline stage 2');
  t.is(message('{{"\\q"}}'), 'template: output:1: invalid syntax');
  t.is(message('{{99999999999999999999}}'), 'template: output:1: integer overflow: "99999999999999999999"');
  t.is(message('{{"abcdefghijklmnop" ) }}'), 'template: output:1: unexpected right paren');
});

// [text, isInt, isUint, isFloat, isComplex, int64, uint64, float64, complex]
type NumberTest = [string, boolean, boolean, boolean, boolean, bigint, bigint, number, [number, number]];
const numberTests: NumberTest[] = [
  ['0', true, true, true, false, 0n, 0n, 0, [0, 0]],
  ['-0', true, true, true, false, 0n, 0n, 0, [0, 0]],
  ['73', true, true, true, false, 73n, 73n, 73, [0, 0]],
  ['7_3', true, true, true, false, 73n, 73n, 73, [0, 0]],
  ['0b10_010_01', true, true, true, false, 73n, 73n, 73, [0, 0]],
  ['0B10_010_01', true, true, true, false, 73n, 73n, 73, [0, 0]],
  ['073', true, true, true, false, 0o73n, 0o73n, 0o73, [0, 0]],
  ['0o73', true, true, true, false, 0o73n, 0o73n, 0o73, [0, 0]],
  ['0O73', true, true, true, false, 0o73n, 0o73n, 0o73, [0, 0]],
  ['0x73', true, true, true, false, 0x73n, 0x73n, 0x73, [0, 0]],
  ['0X73', true, true, true, false, 0x73n, 0x73n, 0x73, [0, 0]],
  ['0x7_3', true, true, true, false, 0x73n, 0x73n, 0x73, [0, 0]],
  ['-73', true, false, true, false, -73n, 0n, -73, [0, 0]],
  ['+73', true, false, true, false, 73n, 0n, 73, [0, 0]],
  ['100', true, true, true, false, 100n, 100n, 100, [0, 0]],
  ['1e9', true, true, true, false, 1000000000n, 1000000000n, 1e9, [0, 0]],
  ['-1e9', true, false, true, false, -1000000000n, 0n, -1e9, [0, 0]],
  ['-1.2', false, false, true, false, 0n, 0n, -1.2, [0, 0]],
  ['1e19', false, true, true, false, 0n, 10000000000000000000n, 1e19, [0, 0]],
  ['1e1_9', false, true, true, false, 0n, 10000000000000000000n, 1e19, [0, 0]],
  ['1E19', false, true, true, false, 0n, 10000000000000000000n, 1e19, [0, 0]],
  ['-1e19', false, false, true, false, 0n, 0n, -1e19, [0, 0]],
  ['0x_1p4', true, true, true, false, 16n, 16n, 16, [0, 0]],
  ['0X_1P4', true, true, true, false, 16n, 16n, 16, [0, 0]],
  ['0x_1p-4', false, false, true, false, 0n, 0n, 1 / 16, [0, 0]],
  ['4i', false, false, false, true, 0n, 0n, 0, [0, 4]],
  ['-1.2+4.2i', false, false, false, true, 0n, 0n, 0, [-1.2, 4.2]],
  ['073i', false, false, false, true, 0n, 0n, 0, [0, 73]],
  ['0i', true, true, true, true, 0n, 0n, 0, [0, 0]],
  ['-1.2+0i', false, false, true, true, 0n, 0n, -1.2, [-1.2, 0]],
  ['-12+0i', true, false, true, true, -12n, 0n, -12, [-12, 0]],
  ['13+0i', true, true, true, true, 13n, 13n, 13, [13, 0]],
  ['0123', true, true, true, false, 0o123n, 0o123n, 0o123, [0, 0]],
  ['-0x0', true, true, true, false, 0n, 0n, 0, [0, 0]],
  ['0xdeadbeef', true, true, true, false, 0xdeadbeefn, 0xdeadbeefn, 0xdeadbeef, [0, 0]],
  ["'a'", true, true, true, false, 97n, 97n, 97, [0, 0]],
  ["'\\n'", true, true, true, false, 10n, 10n, 10, [0, 0]],
  ["'\\\\'", true, true, true, false, 92n, 92n, 92, [0, 0]],
  ["'\\''", true, true, true, false, 39n, 39n, 39, [0, 0]],
  ["'\\xFF'", true, true, true, false, 255n, 255n, 255, [0, 0]],
  ["'パ'", true, true, true, false, 0x30d1n, 0x30d1n, 0x30d1, [0, 0]],
  ["'\\u30d1'", true, true, true, false, 0x30d1n, 0x30d1n, 0x30d1, [0, 0]],
  ["'\\U000030d1'", true, true, true, false, 0x30d1n, 0x30d1n, 0x30d1, [0, 0]],
  ['0xef', true, true, true, false, 0xefn, 0xefn, 0xef, [0, 0]],
];
const brokenNumbers = ['+-2', '0x123.', '1e.', '0xi.', '1+2.', "'x", "'xx'", "'433937734937734969526500969526500'"];

test(`Go's numberTests (${numberTests.length} + ${brokenNumbers.length} broken): every type a constant can take`, (t) => {
  for (const [text, isInt, isUint, isFloat, isComplex, int64, uint64, float64, complex] of numberTests) {
    const root = parseTemplate('n', `{{${text}}}`, funcs).get('n')!.root!;
    const n = (root.nodes[0] as { pipe: { cmds: Array<{ args: NumberNode[] }> } }).pipe.cmds[0]!.args[0]!;
    t.deepEqual([n.isInt, n.isUint, n.isFloat, n.isComplex], [isInt, isUint, isFloat, isComplex], text);
    if (isInt) t.is(n.int64, int64, text);
    if (isUint) t.is(n.uint64, uint64, text);
    if (isFloat) t.is(n.float64, float64, text);
    if (isComplex) t.deepEqual(n.complex, complex, text);
  }
  for (const text of brokenNumbers) t.throws(() => parseTemplate('n', `{{${text}}}`, funcs), { instanceOf: TemplateParseError }, text);
});
