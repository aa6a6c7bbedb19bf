import test from 'ava';
import { AccessDeniedError, ApiError, ConfigError, ExitCode, mostSevere, NotFoundError, PartialFailure, PluginError, UsageError } from '../../shared/errors.ts';

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

test('mostSevere: interrupted, then config/connection, denied, not found, API error; none is ok', (t) => {
  t.is(mostSevere([1, 4, 3]), 3);
  t.is(mostSevere([1, 5, 3, 4]), 5);
  t.is(mostSevere([4, 1]), 4);
  t.is(mostSevere([1]), 1);
  t.is(mostSevere([5, 130]), 130);
  t.is(mostSevere([]), 0);
});

test('PartialFailure takes a given exit code, else any denial, else the first', (t) => {
  const errors = [new NotFoundError('a'), new ConfigError('b'), new AccessDeniedError('c')];
  t.is(new PartialFailure(errors, mostSevere(errors.map((e) => e.exitCode))).exitCode, 5);
  t.is(new PartialFailure(errors).exitCode, 3);
  t.is(new PartialFailure([new NotFoundError('a'), new ConfigError('b')]).exitCode, 4);
});
