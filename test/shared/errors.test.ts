import test from 'ava';
import { AccessDeniedError, ApiError, ConfigError, ExitCode, NotFoundError, PluginError, UsageError } from '../../shared/errors.ts';

const cases: Array<[PluginError, ExitCode]> = [
  [new ApiError('boom', 500), 1],
  [new UsageError('bad flag'), 2],
  [new AccessDeniedError('forbidden'), 3],
  [new NotFoundError('missing'), 4],
  [new ConfigError('no config'), 5],
];

for (const [error, code] of cases) {
  test(`${error.name} exits ${code}`, (t) => {
    t.is(error.exitCode, code);
    t.true(error instanceof PluginError);
  });
}

test('errors keep their cause and hint', (t) => {
  const cause = new Error('inner');
  const e = new ConfigError('outer', { cause, hint: 'try this' });
  t.is(e.cause, cause);
  t.is(e.hint, 'try this');
  t.is(ExitCode.ok, 0);
});
