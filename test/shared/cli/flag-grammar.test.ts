/**
 * pflag's grammar in-process: a yargs definition like the plugins' in, the flags, positionals
 * and the canonical argv out, or pflag's message for a mistake. The built executables are
 * compared with kubectl in test/parity/flags.test.ts.
 */
import test from 'ava';
import yargs from 'yargs';
import { canonicalArgv, flagTable, parseFlags, type ParsedArgs, type YargsOptionTable } from '../../../shared/cli/flag-grammar.ts';
import { parseGoInt } from '../../../shared/cli/go-strconv.ts';
import { UsageError } from '../../../shared/errors.ts';

const parser = yargs([])
  .version(false)
  .option('namespace', { alias: 'n', type: 'string' })
  .option('output', { alias: 'o', type: 'string' })
  .option('all-namespaces', { alias: 'A', type: 'boolean' })
  .option('as-group', { type: 'string', array: true })
  .option('chunk-size', { type: 'number', default: 500 })
  .option('replicas', { alias: 'r', type: 'number' })
  .option('dry-run', { type: 'string', default: 'none' })
  .option('v', { type: 'number', default: 0 });
const table = flagTable((parser as unknown as { getOptions(): YargsOptionTable }).getOptions(), { 'dry-run': { noOptDefault: 'unchanged' }, replicas: { bits: 32 } });

const parse = (argv: string[]): ParsedArgs => parseFlags(argv, table);
const values = (p: ParsedArgs) => p.flags.map((f) => `${f.def.name}=${f.value}`);

test('the table comes from the yargs definitions: long names, shorthands, kinds', (t) => {
  const byName = Object.fromEntries(table.map((d) => [d.name, d]));
  t.is(byName['namespace']?.shorthand, 'n');
  t.is(byName['all-namespaces']?.kind, 'bool');
  t.is(byName['as-group']?.kind, 'stringArray');
  t.is(byName['chunk-size']?.kind, 'int');
  t.is(byName['v']?.shorthand, 'v');
  t.is(byName['v']?.base, 10);
  t.is(byName['dry-run']?.noOptDefault, 'unchanged');
});

const forms: Array<[string, string[], string[], string[], number | undefined]> = [
  ['attached shorthand values', ['-ojson', '-nkube-system', '-v6'], ['output=json', 'namespace=kube-system', 'v=6'], [], undefined],
  ['-x=value and --x=value', ['-o=yaml', '--namespace=a=b'], ['output=yaml', 'namespace=a=b'], [], undefined],
  ['--x value takes the next word whatever it is', ['--namespace', '-l', 'pods'], ['namespace=-l'], ['pods'], undefined],
  ['combined booleans then a value', ['-Aojson'], ['all-namespaces=true', 'output=json'], [], undefined],
  ['a list flag takes one value per occurrence', ['--as-group', 'g1', 'pods', '--as-group=g2', 'svc'], ['as-group=g1', 'as-group=g2'], ['pods', 'svc'], undefined],
  ['-- ends the flags', ['web', '-n', 'x', '--', 'sleep', '-n', '--', '3'], ['namespace=x'], ['web', 'sleep', '-n', '--', '3'], 1],
  ['- alone is a positional, and a value', ['-', '-o', '-'], ['output=-'], ['-'], undefined],
  ['bare --dry-run is its NoOptDefVal, the next word stays positional', ['--dry-run', 'server'], ['dry-run=unchanged'], ['server'], undefined],
  ['underscores read as dashes in long names', ['--all_namespaces=false', '--chunk_size=7'], ['all-namespaces=false', 'chunk-size=7'], [], undefined],
  ['Go integer syntax', ['--chunk-size=0x10', '-r', '1_000'], ['chunk-size=0x10', 'replicas=1_000'], [], undefined],
];

for (const [title, argv, flags, positional, dashAt] of forms) {
  test(`parses ${title}: ${argv.join(' ')}`, (t) => {
    const parsed = parse(argv);
    t.deepEqual(values(parsed), flags);
    t.deepEqual(parsed.positional, positional);
    t.is(parsed.dashAt, dashAt);
  });
}

test('the canonical argv has one --name=value per occurrence, integers in decimal, booleans as words', (t) => {
  t.deepEqual(canonicalArgv(parse(['-Aojson', '--chunk-size=0x10', '--as-group', 'g1', '--as-group', 'g2', 'pods'])), [
    '--all-namespaces=true',
    '--output=json',
    '--chunk-size=16',
    '--as-group=g1',
    '--as-group=g2',
  ]);
});

test('a flag given twice counts once, with its last value; a list flag keeps every value', (t) => {
  t.deepEqual(canonicalArgv(parse(['-n', 'a', '-ojson', '--as-group', 'g1', '-nb', '-A', '--all-namespaces=false', '--as-group=g2', '-o', 'name', '--chunk-size=1', '--chunk-size', '2'])), [
    '--as-group=g1',
    '--namespace=b',
    '--all-namespaces=false',
    '--as-group=g2',
    '--output=name',
    '--chunk-size=2',
  ]);
});

const mistakes: Array<[string[], string]> = [
  [['-n'], "flag needs an argument: 'n' in -n"],
  [['-An'], "flag needs an argument: 'n' in -n"],
  [['--namespace'], 'flag needs an argument: --namespace'],
  [['--bogus'], 'unknown flag: --bogus'],
  [['-Z'], "unknown shorthand flag: 'Z' in -Z"],
  [['-AZ'], "unknown shorthand flag: 'Z' in -Z"],
  [['---x'], 'bad flag syntax: ---x'],
  [['--=x'], 'bad flag syntax: --=x'],
  [['--chunk-size', 'abc'], 'invalid argument "abc" for "--chunk-size" flag: strconv.ParseInt: parsing "abc": invalid syntax'],
  [['-v', '0x6'], 'invalid argument "0x6" for "-v, --v" flag: strconv.ParseInt: parsing "0x6": invalid syntax'],
  [['-r', '99999999999'], 'invalid argument "99999999999" for "-r, --replicas" flag: strconv.ParseInt: parsing "99999999999": value out of range'],
  [['-A=maybe'], 'invalid argument "maybe" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
];

for (const [argv, message] of mistakes) {
  test(`refuses ${argv.join(' ')} with pflag's message`, (t) => {
    const error = t.throws(() => parse(argv), { instanceOf: UsageError });
    t.is(error?.message, message);
    t.is(error?.exitCode, 2);
  });
}

test("Go's ParseInt: prefixes, underscores only between digits, bit sizes", (t) => {
  t.is(parseGoInt('0o17', 0, 64).value, 15);
  t.is(parseGoInt('017', 0, 64).value, 15);
  t.is(parseGoInt('-0b101', 0, 64).value, -5);
  t.is(parseGoInt('2147483647', 0, 32).value, 2147483647);
  t.regex(parseGoInt('2147483648', 0, 32).error ?? '', /value out of range/);
  t.is(parseGoInt('-2147483648', 0, 32).value, -2147483648);
  t.regex(parseGoInt('1__0', 0, 64).error ?? '', /invalid syntax/);
  t.regex(parseGoInt('_10', 0, 64).error ?? '', /invalid syntax/);
  t.regex(parseGoInt('1_0', 10, 64).error ?? '', /invalid syntax/);
  t.regex(parseGoInt('', 0, 64).error ?? '', /invalid syntax/);
  t.regex(parseGoInt('09', 0, 64).error ?? '', /invalid syntax/);
});

test('an alias recorded one way only still makes one flag (yargs: help → h)', (t) => {
  const options: YargsOptionTable = { key: { h: true, help: true, n: true, namespace: true }, alias: { help: ['h'], namespace: ['n'] }, boolean: ['help', 'h'], number: [], array: [], string: ['namespace', 'n'] };
  const defs = flagTable(options);
  t.deepEqual(
    defs.map((d) => [d.name, d.shorthand, d.kind]),
    [
      ['help', 'h', 'bool'],
      ['namespace', 'n', 'string'],
    ],
  );
});
