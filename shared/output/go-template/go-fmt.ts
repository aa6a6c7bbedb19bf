/**
 * Go's fmt (print.go and format.go) over template values: Sprintf, Sprint and Sprintln with
 * every verb, flag (`+ - # space 0`), width, precision, `*` and `[n]` argument indexes, and
 * fmt's own complaints (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`,
 * `%!(BADWIDTH)`, `%!(BADPREC)`, `%!d(BADINDEX)`); maps print with their keys sorted, `%#v` as Go
 * syntax. No value here has a String or Error method, and none has an address: `%p` of a map or
 * a slice prints a made-up pointer.
 */
import { compareCodePoints } from '../go-json.ts';
import { canBackquote, goBytes, goQuote, goQuoteRune, isPrint, maxRune, runeCount, runeError } from './go-string.ts';
import { formatFloat } from './go-strconv.ts';
import { GoComplex, GoSlice, Iface, element, floatValue, intValue, kindOf, sliceIndex, sliceLength, typeName, type Concrete, type GoMap, type Value } from './values.ts';

/** An argument as a function with `...interface{}` parameters receives it: null is nil. */
export type FmtArg = Concrete | null;

const ldigits = '0123456789abcdefx';
const udigits = '0123456789ABCDEFX';
/** What `%p` prints for a map or a slice: Go prints its address, which we do not have. */
const fakePointer = 0xc000010000n;

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

function parsenum(s: string, start: number, end: number): { num: number; isnum: boolean; newi: number } {
  if (start >= end) return { num: 0, isnum: false, newi: end };
  let num = 0;
  let isnum = false;
  let newi = start;
  for (; newi < end && s[newi]! >= '0' && s[newi]! <= '9'; newi++) {
    if (tooLarge(num)) return { num: 0, isnum: false, newi: end };
    num = num * 10 + (s.charCodeAt(newi) - 48);
    isnum = true;
  }
  return { num, isnum, newi };
}

class Printer {
  buf = '';
  // fmt's flags.
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  // pp's state.
  arg: FmtArg | undefined = undefined;
  value: Value = undefined;
  reordered = false;
  goodArgNum = true;
  erroring = false;

  clearflags(): void {
    this.widPresent = this.precPresent = this.minus = this.plus = this.sharp = this.space = this.zero = this.plusV = this.sharpV = false;
    this.wid = 0;
    this.prec = 0;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let tail = '';
    if (this.sharp && u <= BigInt(maxRune) && isPrint(Number(u))) tail = ` '${String.fromCodePoint(Number(u))}'`;
    const digits = (u & ((1n << 64n) - 1n)).toString(16).toUpperCase();
    const s = `U+${digits.padStart(prec, '0')}${tail}`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /** fmt.fmtInteger: v is the value (negative only when signed). */
  fmtInteger(v: bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    const negative = isSigned && v < 0n;
    const u = negative ? -v : v;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === udigits) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8 && s[0] !== '0') s = `0${s}`;
      else if (base === 16) s = `0${digits[16]}${s}`;
    }
    if (verb === 'O') s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.plus) s = `+${s}`;
    else if (this.space) s = ` ${s}`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  truncateString(s: string): string {
    if (!this.precPresent) return s;
    let n = this.prec;
    let i = 0;
    for (const ch of s) {
      n--;
      if (n < 0) return s.slice(0, i);
      i += ch.length;
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncateString(s));
  }

  fmtSx(s: string, digits: string): void {
    const b = goBytes(s);
    let length = b.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = this.sharp ? `0${digits[16]}` : '';
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += `0${digits[16]}`;
      }
      out += digits[b[i]! >> 4]! + digits[b[i]! & 0xf]!;
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncateString(s);
    if (this.sharp && canBackquote(s)) {
      this.pad(`\`${s}\``);
      return;
    }
    this.pad(goQuote(s, this.plus));
  }

  fmtC(c: bigint): void {
    let r = c > BigInt(maxRune) ? runeError : Number(c);
    if (r >= 0xd800 && r <= 0xdfff) r = runeError;
    this.pad(String.fromCodePoint(r));
  }

  fmtQc(c: bigint): void {
    const r = c > BigInt(maxRune) ? runeError : Number(c);
    this.pad(goQuoteRune(r, this.plus));
  }

  /** fmt.fmtFloat. */
  fmtFloatRaw(v: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb, prec);
    if (num[0] === '-' || num[0] === '+') {
      // keep the sign
    } else num = `+${num}`;
    if (this.space && num[0] === '+' && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < num.length; i++) {
        const c = num[i]!;
        if (c === '.') {
          hasDecimalPoint = true;
          continue;
        }
        if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        }
        if (c !== '0') sawNonzeroDigit = true;
        if (sawNonzeroDigit) digits--;
      }
      if (!hasDecimalPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) {
        num += '0';
        digits--;
      }
      num += tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // --- pp ---

  badVerb(verb: string): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (this.arg !== undefined && this.arg !== null) {
      this.buf += `${typeName(this.arg)}=`;
      this.printArg(this.arg, 'v');
    } else if (this.value !== undefined) {
      this.buf += `${typeName(this.value)}=`;
      this.printValue(this.value, 'v', 0);
    } else this.buf += '<nil>';
    this.buf += ')';
    this.erroring = false;
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb);
  }

  fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtInteger(v, 16, false, 'v', ldigits);
    this.sharp = sharp;
  }

  fmtIntegerVerb(v: bigint, isSigned: boolean, verb: string): void {
    const u = isSigned ? v : v & ((1n << 64n) - 1n);
    switch (verb) {
      case 'v':
        if (this.sharpV && !isSigned) this.fmt0x64(u, true);
        else this.fmtInteger(u, 10, isSigned, verb, ldigits);
        return;
      case 'd':
        return this.fmtInteger(u, 10, isSigned, verb, ldigits);
      case 'b':
        return this.fmtInteger(u, 2, isSigned, verb, ldigits);
      case 'o':
      case 'O':
        return this.fmtInteger(u, 8, isSigned, verb, ldigits);
      case 'x':
        return this.fmtInteger(u, 16, isSigned, verb, ldigits);
      case 'X':
        return this.fmtInteger(u, 16, isSigned, verb, udigits);
      case 'c':
        return this.fmtC(isSigned && u < 0n ? u + (1n << 64n) : u);
      case 'q':
        return this.fmtQc(isSigned && u < 0n ? u + (1n << 64n) : u);
      case 'U':
        return this.fmtUnicode(isSigned && u < 0n ? u + (1n << 64n) : u);
      default:
        return this.badVerb(verb);
    }
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        return this.fmtFloatRaw(v, 'g', -1);
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.fmtFloatRaw(v, verb, -1);
      case 'f':
      case 'e':
      case 'E':
        return this.fmtFloatRaw(v, verb, 6);
      case 'F':
        return this.fmtFloatRaw(v, 'f', 6);
      default:
        return this.badVerb(verb);
    }
  }

  fmtComplex(v: GoComplex, verb: string): void {
    if (!'vbgGxXfFeE'.includes(verb)) return this.badVerb(verb);
    const oldPlus = this.plus;
    this.buf += '(';
    this.fmtFloat(v.re, verb);
    this.plus = true;
    this.fmtFloat(v.im, verb);
    this.buf += 'i)';
    this.plus = oldPlus;
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's':
        return this.fmtS(v);
      case 'x':
        return this.fmtSx(v, ldigits);
      case 'X':
        return this.fmtSx(v, udigits);
      case 'q':
        return this.fmtQ(v);
      default:
        return this.badVerb(verb);
    }
  }

  fmtPointer(value: Value, verb: string): void {
    const kind = kindOf(value);
    if (kind !== 'map' && kind !== 'slice') return this.badVerb(verb);
    const u = fakePointer;
    switch (verb) {
      case 'v':
        if (this.sharpV) {
          this.buf += `(${typeName(value)})(`;
          this.fmt0x64(u, true);
          this.buf += ')';
        } else this.fmt0x64(u, !this.sharp);
        return;
      case 'p':
        return this.fmt0x64(u, !this.sharp);
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        return this.fmtIntegerVerb(u, false, verb);
      default:
        return this.badVerb(verb);
    }
  }

  printArg(arg: FmtArg, verb: string): void {
    this.arg = arg;
    this.value = undefined;
    if (arg === null) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') return this.fmtS(typeName(arg));
    if (verb === 'p') return this.fmtPointer(arg, 'p');
    this.printConcrete(arg, verb, 0);
  }

  /** The basic kinds alike for printArg and printValue; maps and slices through printValue. */
  printConcrete(v: Concrete, verb: string, depth: number): void {
    switch (kindOf(v)) {
      case 'bool':
        return this.fmtBool(v as boolean, verb);
      case 'int':
        return this.fmtIntegerVerb(intValue(v), true, verb);
      case 'uint':
        return this.fmtIntegerVerb(intValue(v), false, verb);
      case 'float':
        return this.fmtFloat(floatValue(v), verb);
      case 'complex':
        return this.fmtComplex(v as GoComplex, verb);
      case 'string':
        return this.fmtString(v as string, verb);
      default:
        return this.printValue(v, verb, depth);
    }
  }

  printValue(value: Value, verb: string, depth: number): void {
    this.arg = null;
    this.value = value;
    const kind = kindOf(value);
    switch (kind) {
      case 'invalid':
        if (depth === 0) this.buf += '<invalid reflect.Value>';
        else if (verb === 'v') this.buf += '<nil>';
        else this.badVerb(verb);
        return;
      case 'interface': {
        const inner = (value as Iface).inner;
        if (inner === null) this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>';
        else this.printValue(inner, verb, depth + 1);
        return;
      }
      case 'map': {
        const map = value as GoMap;
        if (this.sharpV) this.buf += `${typeName(value)}{`;
        else this.buf += 'map[';
        const keys = Object.keys(map).sort(compareCodePoints);
        keys.forEach((key, i) => {
          if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
          this.printValue(key, verb, depth + 1);
          this.buf += ':';
          this.printValue(element(map[key]), verb, depth + 1);
        });
        this.buf += this.sharpV ? '}' : ']';
        return;
      }
      case 'slice': {
        const slice = value as GoSlice | unknown[];
        const n = sliceLength(slice);
        if (this.sharpV) {
          this.buf += `${typeName(value)}{`;
          for (let i = 0; i < n; i++) {
            if (i > 0) this.buf += ', ';
            this.printValue(sliceIndex(slice, i), verb, depth + 1);
          }
          this.buf += '}';
        } else {
          this.buf += '[';
          for (let i = 0; i < n; i++) {
            if (i > 0) this.buf += ' ';
            this.printValue(sliceIndex(slice, i), verb, depth + 1);
          }
          this.buf += ']';
        }
        return;
      }
      default:
        return this.printConcrete(value as Concrete, verb, depth);
    }
  }

  intFromArg(a: FmtArg[], argNum: number): { num: number; isInt: boolean; newArgNum: number } {
    let num = 0;
    let isInt = false;
    let newArgNum = argNum;
    if (argNum < a.length) {
      const v = a[argNum]!;
      const kind = v === null ? 'invalid' : kindOf(v);
      if (kind === 'int' || kind === 'uint') {
        const n = intValue(v as Concrete);
        if (n >= -(1n << 63n) && n < 1n << 63n) {
          num = Number(n);
          isInt = true;
        }
      }
      newArgNum = argNum + 1;
      if (tooLarge(num)) {
        num = 0;
        isInt = false;
      }
    }
    return { num, isInt, newArgNum };
  }

  argNumber(argNum: number, format: string, i: number, numArgs: number): { argNum: number; i: number; found: boolean } {
    if (format.length <= i || format[i] !== '[') return { argNum, i, found: false };
    this.reordered = true;
    const { index, wid, ok } = parseArgNumber(format.slice(i));
    if (ok && index >= 0 && index < numArgs) return { argNum: index, i: i + wid, found: true };
    this.goodArgNum = false;
    return { argNum, i: i + wid, found: ok };
  }

  doPrintf(format: string, a: FmtArg[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    this.reordered = false;
    formatLoop: for (let i = 0; i < end; ) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.clearflags();
      simpleFormat: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case '#':
            this.sharp = true;
            break;
          case '0':
            this.zero = true;
            break;
          case '+':
            this.plus = true;
            break;
          case '-':
            this.minus = true;
            break;
          case ' ':
            this.space = true;
            break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v' || c === 'w') {
                this.sharpV = this.sharp;
                this.sharp = false;
                this.plusV = this.plus;
                this.plus = false;
              }
              if (c === 'w') this.badVerbW(a[argNum]!);
              else this.printArg(a[argNum]!, c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simpleFormat;
        }
      }
      ({ argNum, i, found: afterIndex } = this.argNumber(argNum, format, i, a.length));
      if (i < end && format[i] === '*') {
        i++;
        const r = this.intFromArg(a, argNum);
        [this.wid, this.widPresent, argNum] = [r.num, r.isInt, r.newArgNum];
        if (!this.widPresent) this.buf += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        const r = parsenum(format, i, end);
        [this.wid, this.widPresent, i] = [r.num, r.isnum, r.newi];
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        ({ argNum, i, found: afterIndex } = this.argNumber(argNum, format, i, a.length));
        if (i < end && format[i] === '*') {
          i++;
          const r = this.intFromArg(a, argNum);
          [this.prec, this.precPresent, argNum] = [r.num, r.isInt, r.newArgNum];
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          const r = parsenum(format, i, end);
          [this.prec, this.precPresent, i] = [r.num, r.isnum, r.newi];
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }
      if (!afterIndex) ({ argNum, i, found: afterIndex } = this.argNumber(argNum, format, i, a.length));
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i)!);
      i += verb.length;
      if (verb === '%') this.buf += '%';
      else if (!this.goodArgNum) this.buf += `%!${verb}(BADINDEX)`;
      else if (argNum >= a.length) this.buf += `%!${verb}(MISSING)`;
      else {
        if (verb === 'v' || verb === 'w') {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        if (verb === 'w') this.badVerbW(a[argNum]!);
        else this.printArg(a[argNum]!, verb);
        argNum++;
      }
    }
    if (!this.reordered && argNum < a.length) {
      this.clearflags();
      this.buf += '%!(EXTRA ';
      a.slice(argNum).forEach((arg, i) => {
        if (i > 0) this.buf += ', ';
        if (arg === null) this.buf += '<nil>';
        else {
          this.buf += `${typeName(arg)}=`;
          this.printArg(arg, 'v');
        }
      });
      this.buf += ')';
    }
  }

  /** `%w` outside Errorf: no value here is an error, so it is always a bad verb. */
  badVerbW(arg: FmtArg): void {
    this.arg = arg;
    this.value = undefined;
    this.badVerb('w');
  }
}

function parseArgNumber(format: string): { index: number; wid: number; ok: boolean } {
  if (format.length < 3) return { index: 0, wid: 1, ok: false };
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const { num, isnum, newi } = parsenum(format, 1, i);
      if (!isnum || newi !== i) return { index: 0, wid: i + 1, ok: false };
      return { index: num - 1, wid: i + 1, ok: true };
    }
  }
  return { index: 0, wid: 1, ok: false };
}

/** fmt.Sprintf. */
export function goSprintf(format: string, args: FmtArg[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/** fmt.Sprint: a space between operands when neither is a string. */
export function goSprint(args: FmtArg[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, argNum) => {
    const isString = typeof arg === 'string';
    if (argNum > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands, a newline after. */
export function goSprintln(args: FmtArg[]): string {
  const p = new Printer();
  args.forEach((arg, argNum) => {
    if (argNum > 0) p.buf += ' ';
    p.printArg(arg, 'v');
  });
  return `${p.buf}\n`;
}

/** fmt's `%v` (or `%s`) of a reflect.Value, as text/template's messages show one: invalid is `<invalid reflect.Value>`. */
export function goSprintValue(v: Value, verb: 'v' | 's' = 'v'): string {
  const p = new Printer();
  p.printValue(v, verb, 0);
  return p.buf;
}
