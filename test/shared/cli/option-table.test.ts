/**
 * The flag table recorded without yargs, against the table of the yargs parser the commands are
 * declared for: the same flags, names, shorthands and kinds for every plugin; and the values
 * typed without yargs against what yargs' parse makes of the same argv, on random argv.
 */
import test from 'ava';
import fc from 'fast-check';
import { dynget } from '../../../plugins/dynget/command.ts';
import { lsres } from '../../../plugins/lsres/command.ts';
import { mkdeploy } from '../../../plugins/mkdeploy/command.ts';
import { watchq } from '../../../plugins/watchq/command.ts';
import { flagTable, parseFlags, type FlagDef } from '../../../shared/cli/flag-grammar.ts';
import { recordOptionTable, typedArgs } from '../../../shared/cli/option-table.ts';
import { optionTableOf, parserOptionTable, yargsArgs, type PluginSpec } from '../../../shared/cli/run-plugin.ts';

const byName = <T extends { name: string }>(defs: T[]) => [...defs].sort((a, b) => a.name.localeCompare(b.name));

for (const spec of [lsres, dynget, mkdeploy, watchq] as Array<PluginSpec<unknown>>) {
  test(`${spec.name}: the recorded table reads flags as the yargs parser's does`, async (t) => {
    const recorded = flagTable(optionTableOf(spec), spec.flagTraits ?? {});
    const fromYargs = flagTable(await parserOptionTable(spec), spec.flagTraits ?? {});
    t.true(recorded.length > 15, `${recorded.length} flags`);
    t.deepEqual(byName(recorded), byName(fromYargs));
  });
}

test('aliases accumulate, types and arrays are recorded as yargs records them', (t) => {
  const table = recordOptionTable((y) => y.option('output', { alias: 'o', type: 'string' }).option('output', { alias: ['out'] }).option('label', { type: 'string', array: true }).option('v', { type: 'number' }).option('watch', { alias: 'w', type: 'boolean' }));
  t.deepEqual(table, { key: { output: true, label: true, v: true, watch: true }, alias: { output: ['o', 'out'], watch: ['w'] }, boolean: ['watch'], number: ['v'], array: ['label'], string: ['output', 'label'], default: {} });
});

test('global flag values typed as yargs types them: strings, the last one wins, arrays gather, booleans in Go syntax, the level a number', (t) => {
  const defs = flagTable(optionTableOf(lsres as PluginSpec<unknown>));
  const parsed = parseFlags(['-n', 'a', '--namespace=b', '--as-group', 'g1', '--as-group=g2', '--insecure-skip-tls-verify', '-v=6', '--kubeconfig', '/k', 'pods'], defs);
  t.deepEqual(typedArgs(parsed), { namespace: 'b', 'as-group': ['g1', 'g2'], 'insecure-skip-tls-verify': true, v: 6, kubeconfig: '/k' });
});

test('an empty value of a list flag is a value, and quotes around a value are the value, as pflag reads them', (t) => {
  const defs = flagTable(optionTableOf(lsres as PluginSpec<unknown>));
  t.deepEqual(typedArgs(parseFlags(['--as-group=', '--as-group', 'g', '--cluster', "''", '-n', '"x"'], defs)), { 'as-group': ['', 'g'], cluster: "''", namespace: '"x"' });
});

test('defaults fill the flags not given, each list a copy of its own', (t) => {
  const table = optionTableOf(mkdeploy as PluginSpec<unknown>);
  const defs = flagTable(table, mkdeploy.flagTraits ?? {});
  const first = typedArgs(parseFlags(['web', '--image=nginx'], defs), table.default) as Record<string, unknown>;
  t.like(first, { image: ['nginx'], replicas: 1, port: -1, validate: 'strict', 'dry-run': 'none', label: [], v: 0, 'request-timeout': '0' });
  (first['label'] as string[]).push('changed');
  t.deepEqual((typedArgs(parseFlags(['web'], defs), table.default) as Record<string, unknown>)['label'], []);
});

/** A value pflag takes for a flag of this kind, in one of the ways it can be typed. */
function flagWords(def: FlagDef): fc.Arbitrary<string[]> {
  // yargs also takes the quotes off a value wrapped in them (`--cluster="'x'"` is x to it); pflag
  // keeps them, and so does typedArgs (checked above): such values are left out here.
  const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('-x', '--y', 'a=b', 'true', '0x1f', '', ' ', 'ü')).filter((v) => !/^(['"])[^]*\1$/.test(v));
  const value = def.kind === 'bool' ? fc.constantFrom('true', 'false', '1', '0', 't', 'F', 'TRUE', 'False')
    : def.kind === 'int' ? fc.oneof(fc.integer({ min: -1000, max: 100000 }).map(String), def.base === 10 ? fc.constantFrom('+7', '-0', '010') : fc.constantFrom('0x10', '1_000', '0o17', '0b101', '+7', '-0', '010'))
    // yargs drops a list flag's first value when it is empty (`--as-group=`); pflag keeps it, and
    // so does typedArgs: that case is pflag's, checked above.
    : def.kind === 'stringArray' ? text.filter((v) => v !== '')
    // A StringSlice value is a CSV line (go-csv.test.ts); here lists of non-empty parts, one quoted.
    // A Duration is a Go duration (go-duration.test.ts has Go's tables); here valid ones, kept as typed.
    : def.kind === 'duration' ? fc.constantFrom('0', '30s', '1m30s', '500ms', '-1h', '.5s', '2h45m0.5s')
    : def.kind === 'stringSlice' ? fc.oneof(fc.array(text.filter((v) => v !== '' && !/[,"\r\n]/.test(v)), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(',')), fc.constant('"a,b",c'))
    : text;
  const forms: Array<fc.Arbitrary<string[]>> = [value.map((v) => [`--${def.name}=${v}`])];
  if (def.kind !== 'bool' && def.noOptDefault === undefined) forms.push(value.map((v) => [`--${def.name}`, v]));
  if (def.noOptDefault !== undefined) forms.push(fc.constant([`--${def.name}`]));
  if (def.shorthand && def.kind !== 'bool') forms.push(value.map((v) => [`-${def.shorthand}`, v]), value.filter((v) => v !== '' && !v.startsWith('=')).map((v) => [`-${def.shorthand}${v}`]));
  if (def.shorthand && def.kind === 'bool') forms.push(fc.constant([`-${def.shorthand}`]));
  return fc.oneof(...forms);
}

for (const spec of [lsres, dynget, mkdeploy, watchq] as Array<PluginSpec<unknown>>) {
  test(`${spec.name}: flags typed without yargs are what yargs' parse makes of them, on random argv`, async (t) => {
    const table = optionTableOf(spec);
    // --help and --version ask for pages (yargs' own path).
    const defs = flagTable(table, spec.flagTraits ?? {});
    const usable = defs.filter((d) => d.name !== 'help' && d.name !== 'version');
    const argvs = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...usable).chain(flagWords) }, { weight: 1, arbitrary: fc.constantFrom(['pods'], ['web'], ['x/y']) }), { maxLength: 8 }).map((parts) => parts.flat());
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(argvs, async (argv) => {
        const words = parseFlags(argv, defs);
        checked += 1;
        t.deepEqual(typedArgs(words, table.default), await yargsArgs(spec, words), argv.join(' '));
      }),
      { numRuns: 150 },
    );
    t.is(checked, 150);
  });
}
