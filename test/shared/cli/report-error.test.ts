import test from 'ava';
import { reportError } from '../../../shared/cli/run-plugin.ts';
import { ApiError, ExitCode, ForbiddenError, InterruptedError, NotFoundError, PartialFailure } from '../../../shared/errors.ts';
import { memoryStreams } from '../../helpers/streams.ts';

test('a typed error: one line, its hint, its code', async (t) => {
  const s = memoryStreams();
  t.is(await reportError(new NotFoundError('the server doesn\'t have a resource type "x"', { hint: 'did you mean "y"?' }), s), ExitCode.notFound);
  t.is(s.err(), 'error: the server doesn\'t have a resource type "x"\nhint: did you mean "y"?\n');
});

test('a partial failure: each failure once; any denial makes it exit 3', async (t) => {
  const s = memoryStreams();
  const code = await reportError(new PartialFailure([new ApiError('boom'), new ForbiddenError('secrets is forbidden'), new ApiError('boom')]), s);
  t.is(code, ExitCode.denied);
  t.is(s.err(), 'error: boom\nerror: secrets is forbidden\n');
});

test('an interruption: 130 or 143, silent unless it says what was left behind', async (t) => {
  const quiet = memoryStreams();
  t.is(await reportError(new InterruptedError('SIGINT'), quiet), 130);
  t.is(quiet.err(), '');
  const told = memoryStreams();
  t.is(await reportError(new InterruptedError('SIGTERM', 'interrupted: 2 of 3 object(s) were deleted again; still there: configmap/a'), told), 143);
  t.is(told.err(), 'error: interrupted: 2 of 3 object(s) were deleted again; still there: configmap/a\n');
});

test('anything else is a bug report, without a stack below -v=9', async (t) => {
  const s = memoryStreams();
  t.is(await reportError(new TypeError('x is undefined'), s), ExitCode.api);
  t.regex(s.err(), /^error: unexpected failure: x is undefined\nhint: this is a bug/);
  t.notRegex(s.err(), /at .*\.ts:\d+/);
});
