/** --dry-run as kubectl's GetDryRunStrategy reads it, with its warnings and its refusal. */
import test from 'ava';
import { dryRunStrategy } from '../../../shared/cli/dry-run.ts';
import { UsageError } from '../../../shared/errors.ts';

const cases: Array<[string, string, string | undefined]> = [
  ['none', 'none', undefined],
  ['client', 'client', undefined],
  ['server', 'server', undefined],
  ['unchanged', 'client', '--dry-run is deprecated and can be replaced with --dry-run=client.'],
  ['true', 'client', '--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.'],
  ['1', 'client', '--dry-run=1 is deprecated (boolean value) and can be replaced with --dry-run=client.'],
  ['false', 'none', '--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.'],
];

for (const [value, strategy, warning] of cases) {
  test(`--dry-run=${value} is ${strategy}${warning ? ', with a warning' : ''}`, (t) => {
    const warnings: string[] = [];
    t.is(dryRunStrategy(value, (m) => warnings.push(m)), strategy as never);
    t.deepEqual(warnings, warning ? [warning] : []);
  });
}

test("anything else is kubectl's refusal", (t) => {
  const error = t.throws(() => dryRunStrategy('maybe', () => undefined), { instanceOf: UsageError });
  t.is(error?.message, 'Invalid dry-run value (maybe). Must be "none", "server", or "client".');
});
