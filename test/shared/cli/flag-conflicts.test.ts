/** Refusing flags a mode cannot honour: by name, and every flag not on the mode's list (global flags always pass). */
import test from 'ava';
import { globalFlagNames } from '../../../shared/cli/common-flags.ts';
import { refuseAllBut, refuseWith } from '../../../shared/cli/flag-conflicts.ts';
import { runPlugin } from '../../../shared/cli/run-plugin.ts';
import { UsageError } from '../../../shared/errors.ts';
import { lsres } from '../../../plugins/lsres/command.ts';
import { memoryStreams } from '../../helpers/streams.ts';

test('refuseWith names every conflicting flag given, and nothing when none is', (t) => {
  t.notThrows(() => refuseWith('--access', [['-l', false]]));
  const error = t.throws(() => refuseWith('--access', [['-l', true], ['--field-selector', true]], 'why'), { instanceOf: UsageError });
  t.is(error?.message, '-l, --field-selector cannot be used with --access');
  t.is(error?.hint, 'why');
});

test('refuseAllBut lets the honoured and the global flags through and refuses any other, whoever defined it', (t) => {
  t.notThrows(() => refuseAllBut('--access', new Set(['access', 'namespace', 'kubeconfig', 'v', 'output']), ['access', 'output']));
  const error = t.throws(() => refuseAllBut('--access', new Set(['access', 'sort-by', 'label-columns', 'namespace']), ['access']), { instanceOf: UsageError });
  t.is(error?.message, '--label-columns, --sort-by cannot be used with --access');
});

test('globalFlagNames are the flags kubectl <plugin> options prints', async (t) => {
  const streams = memoryStreams();
  t.is(await runPlugin(lsres, ['options'], streams, { env: {} }), 0);
  const printed = [...streams.out().matchAll(/^ {4}(?:-\w, )?--([\w-]+)=/gm)].map((m) => m[1]);
  t.deepEqual(printed.sort(), [...globalFlagNames].sort());
});
