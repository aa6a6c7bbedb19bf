/**
 * The functions a kubectl Go template can call: text/template's builtins (funcs.go: `and`, `or`,
 * `not`, `len`, `index`, `slice`, `eq`…`ge`, `print`, `printf`, `println`, `html`, `js`,
 * `urlquery`, `call`) and the two kubectl adds (cli-runtime's printers: `exists`,
 * `base64decode`), each with its Go signature (what the executor checks arguments against) and
 * Go's error messages. `and`, `or` and `call` are evaluated by the executor itself.
 */
import { goBase64Decode } from './base64.ts';
import { htmlEscape, jsEscape, urlQueryEscape } from './escapers.ts';
import { goSprint, goSprintf, goSprintln, goSprintValue, type FmtArg } from './go-fmt.ts';
import { byteLength, fromGoBytes, goBytes } from './go-string.ts';
import {
  GoComplex,
  GoInt,
  GoSlice,
  Iface,
  element,
  floatValue,
  indirect,
  indirectInterface,
  intValue,
  isTrue,
  kindOf,
  lengthOf,
  sliceCap,
  sliceIndex,
  sliceLength,
  typeName,
  type Concrete,
  type GoMap,
  type Value,
} from './values.ts';

/** A parameter's Go type: reflect.Value, interface{} or string. */
export type ParamType = 'value' | 'any' | 'string';

export interface GoFunc {
  /** The parameters; for a variadic function the last is the element type of its `...`. */
  in: ParamType[];
  variadic: boolean;
  /** The result; throws FuncError for the function's error (or a panic's message). */
  fn: (args: Value[]) => Value;
}

/** A function's error return: `error calling NAME: message`. */
export class FuncError extends Error {}

/** What a `...interface{}` parameter holds: the concrete value, or nil. */
export function asAny(v: Value): FmtArg {
  const c = indirectInterface(v);
  return c === undefined ? null : c;
}

function truth(v: Value): boolean {
  return isTrue(indirectInterface(v)).truth;
}

/** text/template's evalArgs: fmt.Sprint of the arguments, a nil one as `<no value>`. */
function evalArgs(args: Value[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return goSprint(args.map((a) => (a === undefined || (a instanceof Iface && a.inner === null) ? '<no value>' : asAny(a))));
}

function indexArg(index: Value, cap: number): number {
  let x: bigint;
  switch (kindOf(index)) {
    case 'int':
    case 'uint':
      x = intValue(index);
      break;
    case 'invalid':
      throw new FuncError('cannot index slice/array with nil');
    default:
      throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  }
  if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
  return Number(x);
}

function prepareKey(index: Value): string {
  if (index === undefined) throw new FuncError('value is nil; should be of type string');
  if (typeof index === 'string') return index;
  throw new FuncError(`value has type ${typeName(index)}; should be string`);
}

function index(args: Value[]): Value {
  let item: Value = indirectInterface(args[0]);
  if (item === undefined) throw new FuncError('index of untyped nil');
  for (const raw of args.slice(1)) {
    const idx = indirectInterface(raw);
    const ind = indirect(item);
    if (ind.isNil) throw new FuncError('index of nil pointer');
    item = ind.value as Concrete;
    switch (kindOf(item)) {
      case 'slice': {
        const slice = item as GoSlice | unknown[];
        const x = indexArg(idx, sliceLength(slice));
        if (x >= sliceLength(slice)) throw new FuncError('reflect: slice index out of range');
        item = sliceIndex(slice, x);
        break;
      }
      case 'string': {
        const bytes = goBytes(item as string);
        const x = indexArg(idx, bytes.length);
        if (x >= bytes.length) throw new FuncError('reflect: string index out of range');
        item = new GoInt('uint8', BigInt(bytes[x]!));
        break;
      }
      case 'map': {
        const key = prepareKey(idx);
        const map = item as GoMap;
        item = Object.hasOwn(map, key) ? element(map[key]) : new Iface(null);
        break;
      }
      default:
        throw new FuncError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(args: Value[]): Value {
  const item = indirectInterface(args[0]);
  if (item === undefined) throw new FuncError('slice of untyped nil');
  const indexes = args.slice(1);
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let len: number;
  const kind = kindOf(item);
  if (kind === 'string') {
    if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
    cap = len = byteLength(item as string);
  } else if (kind === 'slice') {
    cap = sliceCap(item as GoSlice | unknown[]);
    len = sliceLength(item as GoSlice | unknown[]);
  } else throw new FuncError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, 0];
  // Unlike index, slice takes its indexes as given: an interface value (a map entry) is refused.
  indexes.forEach((index, i) => {
    idx[i] = indexArg(index, cap);
  });
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (kind === 'string') return fromGoBytes(goBytes(item as string).subarray(idx[0], idx[1]));
  const s = item instanceof GoSlice ? item : new GoSlice(item as unknown[], 0, len, cap);
  if (indexes.length < 3) return new GoSlice(s.base, s.offset + idx[0]!, idx[1]! - idx[0]!, s.cap - idx[0]!);
  if (idx[1]! > idx[2]!) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  return new GoSlice(s.base, s.offset + idx[0]!, idx[1]! - idx[0]!, idx[2]! - idx[0]!);
}

function length(args: Value[]): Value {
  const { value, isNil } = indirect(args[0]);
  if (isNil) throw new FuncError('len of nil pointer');
  if (value === undefined) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  const kind = kindOf(value);
  if (kind === 'string' || kind === 'map' || kind === 'slice') return new GoInt('int', BigInt(lengthOf(value as Concrete)));
  throw new FuncError(`len of type ${typeName(value)}`);
}

type BasicKind = 'invalid' | 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint';

function basicKind(v: Value): BasicKind {
  const k = kindOf(v);
  return k === 'bool' || k === 'complex' || k === 'int' || k === 'float' || k === 'string' || k === 'uint' ? k : 'invalid';
}

const errBadComparisonType = 'invalid type for comparison';

function uintValue(v: Value): bigint {
  return intValue(v);
}

function eq(args: Value[]): Value {
  const arg1 = indirectInterface(args[0]);
  if (args.length < 2) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const raw of args.slice(1)) {
    const arg = indirectInterface(raw);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = intValue(arg1) >= 0n && intValue(arg1) === uintValue(arg);
      else if (k1 === 'uint' && k2 === 'int') truth = intValue(arg) >= 0n && uintValue(arg1) === intValue(arg);
      else if (arg1 !== undefined && arg !== undefined) throw new FuncError(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg)}`);
    } else {
      switch (k1) {
        case 'bool':
        case 'string':
          truth = arg1 === arg;
          break;
        case 'complex':
          truth = (arg1 as GoComplex).re === (arg as GoComplex).re && (arg1 as GoComplex).im === (arg as GoComplex).im;
          break;
        case 'float':
          truth = floatValue(arg1) === floatValue(arg);
          break;
        case 'int':
        case 'uint':
          truth = intValue(arg1) === intValue(arg);
          break;
        default: {
          const kind1 = kindOf(arg1);
          const kind2 = kindOf(arg);
          if (kind1 !== kind2 && kind1 !== 'invalid' && kind2 !== 'invalid') {
            throw new FuncError(`non-comparable types ${goSprintValue(arg1, 's')}: ${typeName(arg1)}, ${typeName(arg)}: ${goSprintValue(arg)}`);
          }
          if (arg1 === undefined || arg === undefined) truth = arg1 === arg;
          else throw new FuncError(`non-comparable type ${goSprintValue(arg, 's')}: ${typeName(arg)}`);
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(args: Value[]): boolean {
  const arg1 = indirectInterface(args[0]);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') throw new FuncError(errBadComparisonType);
  const arg2 = indirectInterface(args[1]);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') throw new FuncError(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return intValue(arg1) < 0n || intValue(arg1) < uintValue(arg2);
    if (k1 === 'uint' && k2 === 'int') return intValue(arg2) >= 0n && uintValue(arg1) < intValue(arg2);
    throw new FuncError(`incompatible types for comparison: ${typeName(arg1)} and ${typeName(arg2)}`);
  }
  switch (k1) {
    case 'bool':
    case 'complex':
      throw new FuncError(errBadComparisonType);
    case 'float':
      return floatValue(arg1) < floatValue(arg2);
    case 'int':
    case 'uint':
      return intValue(arg1) < intValue(arg2);
    default:
      return compareGoStrings(arg1 as string, arg2 as string) < 0;
  }
}

/** Go compares strings byte by byte: code point order for valid UTF-8. */
function compareGoStrings(a: string, b: string): number {
  const x = goBytes(a);
  const y = goBytes(b);
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function le(args: Value[]): boolean {
  return lt(args) || (eq(args) as boolean);
}

/** cli-runtime's `exists`: whether indexing item by each index in turn (as `index` would) reaches a non-nil value. */
function exists(args: Value[]): Value {
  let v: Value = asAny(args[0]) ?? undefined;
  for (const raw of args.slice(1)) {
    const idx = asAny(raw) ?? undefined;
    const ind = indirect(v);
    if (ind.isNil) return false;
    v = ind.value;
    switch (kindOf(v)) {
      case 'slice':
      case 'string': {
        const k = kindOf(idx);
        if (k !== 'int' && k !== 'uint') return false;
        const x = intValue(idx);
        const len = lengthOf(v as Concrete);
        if (x < 0n || x >= BigInt(len)) return false;
        v = typeof v === 'string' ? new GoInt('uint8', BigInt(goBytes(v)[Number(x)]!)) : sliceIndex(v as GoSlice | unknown[], Number(x));
        break;
      }
      case 'map': {
        const key = idx === undefined ? '' : idx;
        if (typeof key !== 'string') return false;
        const map = v as GoMap;
        v = Object.hasOwn(map, key) ? element(map[key]) : new Iface(null);
        break;
      }
      default:
        return false;
    }
  }
  return !indirect(v).isNil;
}

function base64decode(args: Value[]): Value {
  try {
    return fromGoBytes(goBase64Decode(args[0] as string));
  } catch (error) {
    throw new FuncError(`base64 decode failed: ${(error as Error).message}`);
  }
}

const unreachable = (): Value => {
  throw new Error('evaluated by the executor');
};

const anyArgs = (args: Value[]) => args.map(asAny);

/** text/template's builtins, then kubectl's two. */
export const goTemplateFuncs: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ['and', { in: ['value', 'value'], variadic: true, fn: unreachable }],
  ['call', { in: ['value', 'value'], variadic: true, fn: unreachable }],
  ['html', { in: ['any'], variadic: true, fn: (args) => htmlEscape(evalArgs(args)) }],
  ['index', { in: ['value', 'value'], variadic: true, fn: index }],
  ['slice', { in: ['value', 'value'], variadic: true, fn: slice }],
  ['js', { in: ['any'], variadic: true, fn: (args) => jsEscape(evalArgs(args)) }],
  ['len', { in: ['value'], variadic: false, fn: length }],
  ['not', { in: ['value'], variadic: false, fn: (args) => !truth(args[0]) }],
  ['or', { in: ['value', 'value'], variadic: true, fn: unreachable }],
  ['print', { in: ['any'], variadic: true, fn: (args) => goSprint(anyArgs(args)) }],
  ['printf', { in: ['string', 'any'], variadic: true, fn: (args) => goSprintf(args[0] as string, anyArgs(args.slice(1))) }],
  ['println', { in: ['any'], variadic: true, fn: (args) => goSprintln(anyArgs(args)) }],
  ['urlquery', { in: ['any'], variadic: true, fn: (args) => urlQueryEscape(evalArgs(args)) }],
  ['eq', { in: ['value', 'value'], variadic: true, fn: eq }],
  ['ge', { in: ['value', 'value'], variadic: false, fn: (args) => !lt(args) }],
  ['gt', { in: ['value', 'value'], variadic: false, fn: (args) => !le(args) }],
  ['le', { in: ['value', 'value'], variadic: false, fn: le }],
  ['lt', { in: ['value', 'value'], variadic: false, fn: lt }],
  ['ne', { in: ['value', 'value'], variadic: false, fn: (args) => !eq(args) }],
  ['exists', { in: ['any', 'any'], variadic: true, fn: exists }],
  ['base64decode', { in: ['string'], variadic: false, fn: base64decode }],
]);

/** The builtins the executor evaluates itself (and/or short-circuit; call). */
export const builtinNames: ReadonlySet<string> = new Set(['and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne']);
