/**
 * Values as kubectl's template sees its JSON: int64 or float64 numbers, interface values, and the
 * capacity encoding/json gives a decoded list (which `slice` may reach into, as in Go: checked
 * against kubectl for lists of 3, 7, 33, 300, 1100 and 5000 elements).
 */
import test from 'ava';
import { GoFloat, GoInt, Iface, appendCap, isTrue, kindOf, typeName } from '../../../../shared/output/go-template/values.ts';

test('a JSON number is an int64 when whole and within int64, else a float64', (t) => {
  t.is(typeName(3), 'int64');
  t.is(typeName(-0), 'int64');
  t.is(typeName(1.5), 'float64');
  t.is(typeName(1e20), 'float64');
  t.is(typeName(2 ** 63), 'float64');
  t.is(typeName(-(2 ** 63)), 'int64');
  t.is(typeName(new GoInt('int', 1n)), 'int');
  t.is(typeName(new GoFloat(1)), 'float64');
  t.is(typeName(new Iface(null)), 'interface {}');
  t.is(typeName([]), '[]interface {}');
  t.is(typeName({}), 'map[string]interface {}');
  t.is(kindOf(undefined), 'invalid');
  t.is(kindOf(new GoInt('uint8', 1n)), 'uint');
});

test("truth: empty strings, maps, lists, zero numbers and nil are false", (t) => {
  for (const v of ['', {}, [], 0, new GoFloat(0), false, undefined, new Iface(null)]) t.false(isTrue(v).truth, JSON.stringify(v));
  for (const v of ['0', { a: 1 }, [0], 1, -0.5, true, new Iface('x')]) t.true(isTrue(v).truth, JSON.stringify(v));
});

test("a decoded list's capacity, as Go's append grows it", (t) => {
  const caps: Array<[number, number]> = [[0, 0], [1, 1], [2, 2], [3, 4], [5, 8], [7, 8], [9, 16], [17, 32], [33, 71], [65, 71], [72, 143], [300, 303], [1100, 1535], [5000, 5120]];
  for (const [n, cap] of caps) t.is(appendCap(n), cap, `len ${n}`);
});
