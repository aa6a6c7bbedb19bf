/**
 * The help renderer in-process: wrapping on a terminal as kubectl's HelpFlagPrinter wraps
 * (120/100/80 columns less the tab's 10, a pipe not at all), examples never wrapped, and the
 * page built from the same definitions the parser reads (a flag added to a command shows up).
 */
import test from 'ava';
import type { Argv } from 'yargs';
import { runPlugin, type PluginSpec } from '../../../shared/cli/run-plugin.ts';
import { flagUsage, wordWrap, wrapWidth } from '../../../shared/cli/help.ts';
import { mkdeploy } from '../../../plugins/mkdeploy/command.ts';
import type { CommonArgs } from '../../../shared/cli/common-flags.ts';
import { memoryStreams } from '../../helpers/streams.ts';

test('wrap widths: a terminal of 120, 100 or 80 columns or more, less 10; a pipe or a narrow terminal: none', (t) => {
  t.is(wrapWidth(200, true), 110);
  t.is(wrapWidth(119, true), 90);
  t.is(wrapWidth(80, true), 70);
  t.is(wrapWidth(79, true), 0);
  t.is(wrapWidth(200, false), 0);
});

test('word wrap breaks between words; a word longer than the limit stays whole', (t) => {
  t.is(wordWrap('aaa bbb ccc', 7), 'aaa bbb\nccc');
  t.is(wordWrap('a https://example.test/very/long/path b', 10), 'a\nhttps://example.test/very/long/path\nb');
  t.is(wordWrap('no wrap at all', 0), 'no wrap at all');
});

test('a wrapped description: every line after a tab', (t) => {
  const usage = flagUsage({ def: { name: 'namespace', shorthand: 'n', kind: 'string' }, description: 'one two three four', defaultValue: undefined, global: true }, 9);
  t.is(usage, "    -n, --namespace='':\n\tone two\n\tthree\n\tfour\n\n");
});

test('on a 100-column terminal descriptions wrap at 90, examples do not', async (t) => {
  const streams = { ...memoryStreams({ tty: true }), columns: 100 };
  t.is(await runPlugin(mkdeploy, ['--help'], streams, { env: {} }), 0);
  const options = streams.out().split('Options:\n')[1]!.split('\n\nUsage:')[0]!;
  const described = options.split('\n').filter((l) => l.startsWith('\t'));
  t.true(described.length > options.split('\n\n').length, 'some description was wrapped');
  for (const line of described) t.true(line.length - 1 <= 90 || !line.slice(1).includes(' '), line);
  t.regex(streams.out(), /\n {2}kubectl mkdeploy nginx-deployment --image nginx:latest --replicas 2 --wait\n/);
});

test('the help lists what the definitions define: a flag added to a command appears, with its default', async (t) => {
  const spec: PluginSpec<{ colour: string }> = {
    name: 'demo',
    usage: 'kubectl demo [flags]',
    description: 'A demo.',
    options: (y: Argv<CommonArgs>) => y.option('colour', { type: 'string', default: 'blue', description: 'Which colour' }) as unknown as Argv<CommonArgs & { colour: string }>,
    run: async () => 0,
  };
  const streams = memoryStreams();
  t.is(await runPlugin(spec, ['--help'], streams, { env: {} }), 0);
  t.is(streams.out(), "A demo.\n\nOptions:\n    --colour='blue':\n\tWhich colour\n\nUsage:\n  kubectl demo [options]\n\nUse \"kubectl demo options\" for a list of global command-line options (applies to all commands).\n");
});
