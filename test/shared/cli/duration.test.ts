import test from 'ava';
import { parseDuration } from '../../../shared/cli/duration.ts';
import { UsageError } from '../../../shared/errors.ts';

const good: Array<[string, number]> = [['0', 0], ['2', 2000], ['2s', 2000], ['500ms', 500], ['1m30s', 90_000], ['5m', 300_000], ['1h', 3_600_000]];
for (const [text, ms] of good) test(`parseDuration(${text})`, (t) => t.is(parseDuration(text, '--timeout'), ms));
for (const bad of ['', 'abc', '5x', '-1s', '1m abc']) {
  test(`parseDuration rejects "${bad}"`, (t) => {
    t.throws(() => parseDuration(bad, '--timeout'), { instanceOf: UsageError });
  });
}
