/**
 * time.ParseDuration's own test tables (Go's time/time_test.go: parseDurationTests and
 * parseDurationErrorTests, the rows a JavaScript string can hold), and client-go's ParseTimeout.
 */
import test from 'ava';
import { parseDuration, parseRequestTimeout } from '../../../shared/cli/duration.ts';
import { parseGoDurationNs, parseGoTimeout } from '../../../shared/cli/go-duration.ts';
import { UsageError } from '../../../shared/errors.ts';

const ns = 1n;
const us = 1000n * ns;
const ms = 1000n * us;
const s = 1000n * ms;
const m = 60n * s;
const h = 60n * m;

const good: Array<[string, bigint]> = [
  ['0', 0n], ['5s', 5n * s], ['30s', 30n * s], ['1478s', 1478n * s],
  ['-5s', -5n * s], ['+5s', 5n * s], ['-0', 0n], ['+0', 0n],
  ['5.0s', 5n * s], ['5.6s', 5n * s + 600n * ms], ['5.s', 5n * s], ['.5s', 500n * ms], ['1.0s', s], ['1.00s', s],
  ['1.004s', s + 4n * ms], ['1.0040s', s + 4n * ms], ['100.00100s', 100n * s + ms],
  ['10ns', 10n], ['11us', 11n * us], ['12µs', 12n * us], ['12μs', 12n * us], ['13ms', 13n * ms], ['14s', 14n * s], ['15m', 15n * m], ['16h', 16n * h],
  ['3h30m', 3n * h + 30n * m], ['10.5s4m', 4n * m + 10n * s + 500n * ms], ['-2m3.4s', -(2n * m + 3n * s + 400n * ms)],
  ['1h2m3s4ms5us6ns', h + 2n * m + 3n * s + 4n * ms + 5n * us + 6n], ['39h9m14.425s', 39n * h + 9n * m + 14n * s + 425n * ms],
  ['52763797000ns', 52763797000n], ['0.3333333333333333333h', 20n * m], ['9007199254740993ns', (1n << 53n) + 1n],
  ['9223372036854775807ns', (1n << 63n) - 1n], ['9223372036854775.807us', (1n << 63n) - 1n], ['9223372036s854ms775us807ns', (1n << 63n) - 1n],
  ['-9223372036854775808ns', -(1n << 63n)], ['-9223372036854775.808us', -(1n << 63n)], ['-9223372036s854ms775us808ns', -(1n << 63n)],
  ['-2562047h47m16.854775808s', -(1n << 63n)], ['0.100000000000000000000h', 6n * m], ['0.830103483285477580700h', 49n * m + 48n * s + 372539827n],
];
test('time.ParseDuration: Go\'s table of good durations', (t) => {
  for (const [text, want] of good) t.is(parseGoDurationNs(text).value, want, text);
});

const bad: Array<[string, string]> = [
  ['', 'time: invalid duration ""'], ['3', 'time: missing unit in duration "3"'], ['-', 'time: invalid duration "-"'], ['s', 'time: invalid duration "s"'],
  ['.', 'time: invalid duration "."'], ['-.', 'time: invalid duration "-."'], ['.s', 'time: invalid duration ".s"'], ['+.s', 'time: invalid duration "+.s"'],
  ['1d', 'time: unknown unit "d" in duration "1d"'], ['\uFFFD', 'time: invalid duration "\\xef\\xbf\\xbd"'],
  ['9223372036854775810ns', 'time: invalid duration "9223372036854775810ns"'], ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
  ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'], ['9223372036854776us', 'time: invalid duration "9223372036854776us"'],
  ['3000000h', 'time: invalid duration "3000000h"'], ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
  ['5 minutes', 'time: unknown unit " minutes" in duration "5 minutes"'], ['1µ', 'time: unknown unit "\\xc2\\xb5" in duration "1\\xc2\\xb5"'],
];
test('time.ParseDuration: Go\'s errors, word for word', (t) => {
  for (const [text, error] of bad) t.is(parseGoDurationNs(text).error, error, text);
});

test('a Duration flag refuses a bare number in pflag\'s words; milliseconds otherwise', (t) => {
  t.is(parseDuration('1m30s', '--timeout'), 90_000);
  t.is(parseDuration('0', '--timeout'), 0);
  t.throws(() => parseDuration('5', '--timeout'), { instanceOf: UsageError, message: 'invalid argument "5" for "--timeout" flag: time: missing unit in duration "5"' });
});

test('--request-timeout as client-go reads it: a non-negative integer is seconds, else a duration', (t) => {
  t.is(parseGoTimeout('5').value, 5000);
  t.is(parseGoTimeout('+5').value, 5000);
  t.is(parseGoTimeout('0').value, 0);
  t.is(parseGoTimeout('1.5s').value, 1500);
  t.is(parseGoTimeout('2m').value, 120_000);
  for (const text of ['-5', 'abc', '5d', '', '1.5']) {
    t.throws(() => parseRequestTimeout(text), { instanceOf: UsageError, message: /^Invalid timeout value\. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit \(e\.g\. 1s \| 2m \| 3h\)$/ }, text);
  }
});
