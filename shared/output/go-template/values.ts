/**
 * The values a Go template works on, as reflect sees kubectl's data: the object decoded from
 * JSON into `map[string]interface{}` (maps, `[]interface{}`, strings, bools, nil, and numbers as
 * int64 when whole and within int64, else float64), plus what a template makes itself: `int`
 * constants, lengths and indexes, float64 and complex128 constants, a string's bytes (uint8),
 * slices of a slice (sharing its backing array up to its capacity).
 *
 * reflect.Value maps onto: `undefined` for the invalid (zero) Value; `Iface` for a value of
 * interface type (a map entry or slice element as read, or the zero interface), which may hold
 * nil; anything else for a concrete value. JSON data stays as JSON.parse made it: a JS number is
 * an int64 or a float64, a plain object a map, an array a slice.
 */
import { byteLength } from './go-string.ts';

/** A Go value held in a box: not a plain JSON value. */
export abstract class Boxed {}

export type IntType = 'int' | 'int64' | 'int32' | 'uint8' | 'uint64';

/** An integer of a given Go type. */
export class GoInt extends Boxed {
  readonly type: IntType;
  readonly value: bigint;
  constructor(type: IntType, value: bigint) {
    super();
    this.type = type;
    this.value = value;
  }
}

/** A float64 made by the template (a JSON number is already a float64 when not whole). */
export class GoFloat extends Boxed {
  readonly value: number;
  constructor(value: number) {
    super();
    this.value = value;
  }
}

export class GoComplex extends Boxed {
  readonly re: number;
  readonly im: number;
  constructor(re: number, im: number) {
    super();
    this.re = re;
    this.im = im;
  }
}

/** A `[]interface{}` cut from another (`slice`): its window on the backing array and its capacity. */
export class GoSlice extends Boxed {
  readonly base: readonly unknown[];
  readonly offset: number;
  readonly length: number;
  readonly cap: number;
  constructor(base: readonly unknown[], offset: number, length: number, cap: number) {
    super();
    this.base = base;
    this.offset = offset;
    this.length = length;
    this.cap = cap;
  }
}

/** A value of type interface{}: what a map or slice holds; `null` inside is a nil interface. */
export class Iface extends Boxed {
  readonly inner: Concrete | null;
  constructor(inner: Concrete | null) {
    super();
    this.inner = inner;
  }
}

export type GoMap = Record<string, unknown>;
export type Concrete = string | boolean | number | GoInt | GoFloat | GoComplex | GoSlice | readonly unknown[] | GoMap;
/** A reflect.Value: undefined is the invalid Value. */
export type Value = Concrete | Iface | undefined;

export type Kind = 'invalid' | 'interface' | 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'map' | 'slice';

const twoTo63 = 2 ** 63;

/** Whether a JSON number decoded into interface{} is an int64 (else a float64). */
export function isInt64(n: number): boolean {
  return Number.isInteger(n) && n >= -twoTo63 && n < twoTo63;
}

export function kindOf(v: Value): Kind {
  if (v === undefined) return 'invalid';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return isInt64(v) ? 'int' : 'float';
  }
  if (v instanceof Boxed) {
    if (v instanceof Iface) return 'interface';
    if (v instanceof GoInt) return v.type === 'uint8' || v.type === 'uint64' ? 'uint' : 'int';
    if (v instanceof GoFloat) return 'float';
    if (v instanceof GoComplex) return 'complex';
    return 'slice';
  }
  return Array.isArray(v) ? 'slice' : 'map';
}

/** reflect.Type.String() of a value. */
export function typeName(v: Value): string {
  if (v instanceof GoInt) return v.type;
  switch (kindOf(v)) {
    case 'interface':
      return 'interface {}';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int64';
    case 'float':
      return 'float64';
    case 'complex':
      return 'complex128';
    case 'string':
      return 'string';
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    default:
      return '<nil>';
  }
}

/** A JSON value as held in a map or slice: an interface value. */
export function element(v: unknown): Iface {
  return new Iface(v === undefined || v === null ? null : (v as Concrete));
}

/** indirectInterface: the concrete value inside an interface, invalid for a nil one. */
export function indirectInterface(v: Value): Concrete | undefined {
  if (v instanceof Iface) return v.inner === null ? undefined : v.inner;
  return v;
}

/** text/template's indirect: through interfaces; isNil for a nil one. */
export function indirect(v: Value): { value: Value; isNil: boolean } {
  if (v instanceof Iface) return v.inner === null ? { value: v, isNil: true } : { value: v.inner, isNil: false };
  return { value: v, isNil: false };
}

/** The signed value of an int-kind value. */
export function intValue(v: Value): bigint {
  if (v instanceof GoInt) return v.value;
  return BigInt(v as number);
}

export function floatValue(v: Value): number {
  return v instanceof GoFloat ? v.value : (v as number);
}

export function sliceLength(v: GoSlice | readonly unknown[]): number {
  return v instanceof GoSlice ? v.length : v.length;
}

export function sliceCap(v: GoSlice | readonly unknown[]): number {
  return v instanceof GoSlice ? v.cap : appendCap(v.length);
}

/** Element i of a slice (within its capacity), as the interface value it holds. */
export function sliceIndex(v: GoSlice | readonly unknown[], i: number): Iface {
  return v instanceof GoSlice ? element(v.base[v.offset + i]) : element(v[i]);
}

export function sliceElements(v: GoSlice | readonly unknown[]): unknown[] {
  return v instanceof GoSlice ? Array.from({ length: v.length }, (_, i) => v.base[v.offset + i]) : [...v];
}

/** reflect.Value.Len for strings (bytes), maps and slices. */
export function lengthOf(v: Concrete): number {
  if (typeof v === 'string') return byteLength(v);
  if (v instanceof GoSlice || Array.isArray(v)) return sliceLength(v as GoSlice | unknown[]);
  return Object.keys(v as GoMap).length;
}

/** text/template's isTrue: the truth of a value, and whether it has one. */
export function isTrue(v: Value): { truth: boolean; ok: boolean } {
  switch (kindOf(v)) {
    case 'invalid':
      return { truth: false, ok: true };
    case 'string':
    case 'map':
    case 'slice':
      return { truth: lengthOf(v as Concrete) > 0, ok: true };
    case 'bool':
      return { truth: v as boolean, ok: true };
    case 'complex':
      return { truth: (v as GoComplex).re !== 0 || (v as GoComplex).im !== 0, ok: true };
    case 'interface':
      return { truth: (v as Iface).inner !== null, ok: true };
    case 'int':
    case 'uint':
      return { truth: intValue(v) !== 0n, ok: true };
    case 'float':
      return { truth: floatValue(v) !== 0, ok: true };
  }
}

// Go's size classes (internal/runtime/gc/sizeclasses.go), for the capacity append gives a slice.
const sizeClasses = [
  0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048,
  2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];

/** runtime.roundupsize for an object with pointers. */
function roundUpSize(size: number): number {
  let req = size;
  if (req <= 32768 - 8) {
    if (req > 512) req += 8;
    const cls = sizeClasses.find((c) => c >= req)!;
    return cls - (req - size);
  }
  return Math.ceil(size / 8192) * 8192;
}

/** runtime.nextslicecap. */
function nextSliceCap(newLen: number, oldCap: number): number {
  let newcap = oldCap;
  const doublecap = newcap + newcap;
  if (newLen > doublecap) return newLen;
  if (oldCap < 256) return doublecap;
  for (;;) {
    newcap += (newcap + 3 * 256) >> 2;
    if (newcap >= newLen) return newcap;
  }
}

const capCache = new Map<number, number>();

/**
 * The capacity of a `[]interface{}` of n elements built by encoding/json, which appends one by
 * one from an empty slice: `slice` may reach past its length up to it (seeing nils), as in Go.
 */
export function appendCap(n: number): number {
  if (n === 0) return 0;
  const cached = capCache.get(n);
  if (cached !== undefined) return cached;
  let cap = 0;
  while (cap < n) cap = Math.floor(roundUpSize(nextSliceCap(cap + 1, cap) * 16) / 16);
  if (capCache.size < 1000) capCache.set(n, cap);
  return cap;
}
