/**
 * The completer's flag table, recorded without yargs, against the table of the yargs parser the
 * commands run with: the same flags, names, shorthands and kinds for every plugin.
 */
import test from 'ava';
import { dynget } from '../../../plugins/dynget/command.ts';
import { lsres } from '../../../plugins/lsres/command.ts';
import { mkdeploy } from '../../../plugins/mkdeploy/command.ts';
import { watchq } from '../../../plugins/watchq/command.ts';
import { flagTable, parseFlags } from '../../../shared/cli/flag-grammar.ts';
import { commonArgsFrom, recordOptionTable } from '../../../shared/cli/option-table.ts';
import { optionTableOf, parserOptionTable, type PluginSpec } from '../../../shared/cli/run-plugin.ts';

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
  t.deepEqual(table, { key: { output: true, label: true, v: true, watch: true }, alias: { output: ['o', 'out'], watch: ['w'] }, boolean: ['watch'], number: ['v'], array: ['label'], string: ['output', 'label'] });
});

test('global flag values typed as yargs types them: strings, the last one wins, arrays gather, booleans in Go syntax, the level a number', (t) => {
  const defs = flagTable(optionTableOf(lsres as PluginSpec<unknown>));
  const parsed = parseFlags(['-n', 'a', '--namespace=b', '--as-group', 'g1', '--as-group=g2', '--insecure-skip-tls-verify', '-v=6', '--kubeconfig', '/k', 'pods'], defs);
  t.deepEqual(commonArgsFrom(parsed), { namespace: 'b', 'as-group': ['g1', 'g2'], 'insecure-skip-tls-verify': true, v: 6, kubeconfig: '/k' });
});
