import test from 'ava';
import { writeFailures } from '../../../shared/cli/partial-failure.ts';
import { reportError } from '../../../shared/cli/run-plugin.ts';
import { escapeControls, oneLineMessage, terminalValue } from '../../../shared/cli/terminal-text.ts';
import { ForbiddenError } from '../../../shared/errors.ts';
import { memoryStreams } from '../../helpers/streams.ts';

test('a value is cut at its first line break with ... as kubectl shows a cell; ESC as ^[', (t) => {
  t.is(terminalValue('fake\nDeleted Role default/x\x1b[31m'), 'fake...');
  t.is(terminalValue('a\x1b[31mred'), 'a^[[31mred');
  t.is(terminalValue('cr\rover'), 'cr...');
  t.is(terminalValue('plain-name'), 'plain-name');
});

test('every control character is shown, not obeyed: C0, DEL, C1, bidi overrides', (t) => {
  t.is(escapeControls('\x00\x07\x08\t\x7f\x9b\u202e'), '^@^G^H\\t^?\\u009b\\u202e');
  t.is(escapeControls('ünïcødé ✔'), 'ünïcødé ✔');
});

test('a message on one line: line breaks become spaces, escapes are shown', (t) => {
  t.is(oneLineMessage('roles "fake\nDeleted Role x\x1b[2K" is forbidden\n'), 'roles "fake Deleted Role x^[[2K" is forbidden');
});

test('error lines (the runner, partial failures) show a forged name, not obey it', async (t) => {
  const forged = 'roles.rbac.authorization.k8s.io "fake\nDeleted Role x\x1b[31m" is forbidden';
  const one = memoryStreams();
  t.is(await reportError(new ForbiddenError(forged), one), 3);
  t.is(one.err(), 'error: roles.rbac.authorization.k8s.io "fake Deleted Role x^[[31m" is forbidden\n');
  const many = memoryStreams();
  writeFailures([new ForbiddenError(forged)], many);
  t.is(many.err(), 'error: roles.rbac.authorization.k8s.io "fake Deleted Role x^[[31m" is forbidden\n');
});
