/**
 * strconv.FormatFloat as fmt uses it: every precision correctly rounded from the float's exact
 * value (JavaScript's toExponential/toFixed agree except on exact ties, which Go rounds to even),
 * the shortest form as Go's, %b and %x; and the number syntax of template constants.
 */
import test from 'ava';
import fc from 'fast-check';
import { formatFloat, parseFloat64, parseInt64, parseUint } from '../../../../shared/output/go-template/go-strconv.ts';

/** Whether v's exact decimal expansion ends with a 5 just after `digits` significant or fractional digits (a tie). */
function isTie(v: number, text: string): boolean {
  // A tie needs a finite expansion ending in 5 right after the kept digits: check by going one digit further exactly.
  return /5$/.test(text) && Number(text) === Math.abs(v);
}

test("'e' with a precision agrees with toExponential away from exact ties", (t) => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 30 }), (v, p) => {
      if (v === 0) return true;
      const longer = Math.abs(v).toExponential(Math.min(p + 1, 100)).replace(/e.*/, '');
      if (isTie(v, longer)) return true;
      const js = v.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      return formatFloat(v, 'e', p) === (Object.is(v, -0) ? `-${js}` : js);
    }),
    { numRuns: 3000, seed: 20261207 },
  );
  t.pass();
});

test("'f' with a precision agrees with toFixed away from exact ties (below 1e21)", (t) => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e20, max: 1e20 }), fc.integer({ min: 0, max: 20 }), (v, p) => {
      const longer = Math.abs(v).toFixed(Math.min(p + 1, 100));
      if (isTie(v, longer)) return true;
      const js = v.toFixed(p);
      const expected = js.startsWith('-') || !(v < 0 || Object.is(v, -0)) ? js : `-${js}`;
      return formatFloat(v, 'f', p) === expected;
    }),
    { numRuns: 3000, seed: 20261207 },
  );
  t.pass();
});

test('exact ties round to even, as Go does', (t) => {
  t.is(formatFloat(0.5, 'f', 0), '0');
  t.is(formatFloat(1.5, 'f', 0), '2');
  t.is(formatFloat(2.5, 'f', 0), '2');
  t.is(formatFloat(-2.5, 'f', 0), '-2');
  t.is(formatFloat(0.125, 'f', 2), '0.12');
  t.is(formatFloat(0.375, 'f', 2), '0.38');
  t.is(formatFloat(2.5, 'e', 0), '2e+00');
  t.is(formatFloat(1.25, 'g', 2), '1.2');
  t.is(formatFloat(1.35, 'g', 2), '1.4'); // 1.35 is 1.350000000000000088…: not a tie
  t.is(formatFloat(1.005, 'f', 2), '1.00'); // 1.00499999999999989…
});

test('the shortest form, %g switching to exponents at 1e21 and 1e-4 as Go does', (t) => {
  t.is(formatFloat(1e6, 'g', -1), '1e+06');
  t.is(formatFloat(123456, 'g', -1), '123456');
  t.is(formatFloat(1e21, 'g', -1), '1e+21');
  t.is(formatFloat(0.0001, 'g', -1), '0.0001');
  t.is(formatFloat(0.00001, 'g', -1), '1e-05');
  t.is(formatFloat(0.1 + 0.2, 'g', -1), '0.30000000000000004');
  t.is(formatFloat(-0, 'g', -1), '-0');
  t.is(formatFloat(5e-324, 'g', -1), '5e-324');
  t.is(formatFloat(1.7976931348623157e308, 'e', -1), '1.7976931348623157e+308');
  t.is(formatFloat(100, 'e', -1), '1e+02');
  t.is(formatFloat(1.5, 'f', -1), '1.5');
  t.is(formatFloat(Infinity, 'g', -1), '+Inf');
  t.is(formatFloat(NaN, 'f', 2), 'NaN');
});

test("%b and %x: Go's binary and hexadecimal forms", (t) => {
  t.is(formatFloat(1, 'b', -1), '4503599627370496p-52');
  t.is(formatFloat(-1.5, 'b', -1), '-6755399441055744p-52');
  t.is(formatFloat(1, 'x', -1), '0x1p+00');
  t.is(formatFloat(1.5, 'x', -1), '0x1.8p+00');
  t.is(formatFloat(1, 'x', 3), '0x1.000p+00');
  t.is(formatFloat(3.14159, 'X', 2), '0X1.92P+01');
  t.is(formatFloat(0, 'x', -1), '0x0p+00');
  t.is(formatFloat(1e300, 'x', -1), '0x1.7e43c8800759cp+996');
});

test('template number syntax: bases, underscores, signs, overflow', (t) => {
  t.is(parseUint('0x_1F'), 31n);
  t.is(parseUint('0b101'), 5n);
  t.is(parseUint('0o17'), 15n);
  t.is(parseUint('017'), 15n);
  t.is(parseUint('1_000'), 1000n);
  t.is(parseUint('18446744073709551615'), (1n << 64n) - 1n);
  t.throws(() => parseUint('18446744073709551616'), { message: 'value out of range' });
  t.throws(() => parseUint('1__0'), { message: 'invalid syntax' });
  t.throws(() => parseUint('-1'), { message: 'invalid syntax' });
  t.throws(() => parseUint('089'), { message: 'invalid syntax' });
  t.is(parseInt64('-9223372036854775808'), -(1n << 63n));
  t.throws(() => parseInt64('9223372036854775808'), { message: 'value out of range' });
  t.is(parseInt64('+42'), 42n);
  t.is(parseFloat64('1e3'), 1000);
  t.is(parseFloat64('1_000.5'), 1000.5);
  t.is(parseFloat64('.5'), 0.5);
  t.is(parseFloat64('0x1p-2'), 0.25);
  t.is(parseFloat64('0x1.8p1'), 3);
  t.is(parseFloat64('089'), 89);
  t.throws(() => parseFloat64('1e'));
  t.throws(() => parseFloat64('0x1.8'));
  t.throws(() => parseFloat64('1e400'), { message: 'value out of range' });
  t.throws(() => parseFloat64('_1'));
});
