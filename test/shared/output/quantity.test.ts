/** Quantities as --sort-by compares them (apimachinery's suffixes). */
import test from 'ava';
import { parseQuantity } from '../../../shared/output/quantity.ts';

test('SI, binary and exponent suffixes; signs and fractions', (t) => {
  t.is(parseQuantity('100m'), 0.1);
  t.is(parseQuantity('1'), 1);
  t.is(parseQuantity('1k'), 1000);
  t.is(parseQuantity('512Mi'), 512 * 2 ** 20);
  t.is(parseQuantity('2Gi'), 2 * 2 ** 30);
  t.is(parseQuantity('1e3'), 1000);
  t.is(parseQuantity('-0.5'), -0.5);
  t.is(parseQuantity('.5'), 0.5);
  // apimachinery reads a missing number as 0.
  t.is(parseQuantity('Mi'), 0);
});

test('anything else is not a quantity (compared as a string)', (t) => {
  for (const text of ['', 'abc', '1x', '1 Gi', '2026-12-02T00:00:00Z', 'item-01']) t.is(parseQuantity(text), undefined, text);
});
