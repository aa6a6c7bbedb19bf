/**
 * pflag's command-line grammar (spf13/pflag v1.0.9, what kubectl parses with), in front of
 * yargs: every flag is read here, by pflag's rules and with its messages, and handed on to yargs
 * in one unambiguous form (`--name=value`, one token per occurrence, no positionals), so yargs
 * only types, defaults and documents them. The flag table is derived from the yargs option
 * definitions, so flags added later by any command are covered without a change here.
 *
 * The rules (flag.go parseArgs / parseLongArg / parseSingleShortArg):
 * - `--` ends the flags; every later word is positional (and counted: ArgsLenAtDash).
 * - a word not starting with `-`, or `-` alone, is positional; flags and positionals mix.
 * - `--name=value`, `--name value` (the next word, whatever it is), `--name` for a boolean or a
 *   flag with an optional value (its NoOptDefVal: `--dry-run` is `unchanged`).
 * - `-x`, combined booleans `-Ax`, `-x=value`, `-xvalue` (`-ojson`, `-nkube-system`), `-x value`.
 * - `---x`, `--=x` are "bad flag syntax"; `_` in a long name reads as `-` (kubectl's
 *   WordSepNormalizeFunc).
 * - values are checked by type as pflag's Set does: booleans with Go's ParseBool, integers with
 *   ParseInt in base 0 (`0x10`, `1_000`), 64 or 32 bits (klog's -v: base 10, 32 bits).
 */
import { UsageError } from '../errors.ts';
import { readGoCsvRecord } from './go-csv.ts';
import { parseGoDuration } from './go-duration.ts';
import { parseGoInt, parseGoBool } from './go-strconv.ts';

/** stringArray appends each value as given; stringSlice appends each value's comma-separated parts (CSV). */
export type FlagKind = 'bool' | 'string' | 'int' | 'duration' | 'stringArray' | 'stringSlice';

export interface FlagDef {
  name: string;
  shorthand?: string | undefined;
  kind: FlagKind;
  /** pflag's NoOptDefVal: the value of the flag given without one (`true` for booleans). */
  noOptDefault?: string | undefined;
  /** Integers: 64 (default) or 32 bits. */
  bits?: 32 | 64;
  /** Integers: 0 (Go's prefixes, the default) or 10 (klog's -v). */
  base?: 0 | 10;
}

/** What a command adds to the yargs definitions: the parts of a pflag flag yargs has no word for. */
export interface FlagTraits {
  noOptDefault?: string;
  /** A StringSlice in kubectl (`--image`, `-f`, `-L`): each value is a comma-separated list. */
  slice?: true;
  /** A Duration in kubectl (`--timeout`): Go's time.ParseDuration reads it (`30s`, `1m30s`; a bare number is refused). */
  duration?: true;
  bits?: 32 | 64;
  base?: 0 | 10;
}

/** The parts of yargs' `getOptions()` the table is derived from. */
export interface YargsOptionTable {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  boolean: string[];
  number: string[];
  array: string[];
  string: string[];
  /** The flags' defaults (yargs' `default`; the recorder's too). */
  default?: Record<string, unknown>;
}

export interface FlagValue {
  def: FlagDef;
  value: string;
  /** As typed: `-n`, `--namespace`, for messages about the flag. */
  spelled: string;
}

export interface ParsedArgs {
  flags: FlagValue[];
  /** Every positional word, those after `--` included (pflag's Args()). */
  positional: string[];
  /** How many positionals came before `--`, or undefined without one (ArgsLenAtDash). */
  dashAt: number | undefined;
}

/** A flag that needs a value came last: completion completes its value (complete.ts). */
export class MissingValueError extends UsageError {
  readonly flag: FlagDef;
  constructor(message: string, flag: FlagDef, hint?: string) {
    super(message, hint ? { hint } : {});
    this.flag = flag;
  }
}

/** klog's -v and the traits every command shares (kubectl get's -L is a StringSlice). */
export const commonTraits: Record<string, FlagTraits> = {
  v: { bits: 32, base: 10 },
  'label-columns': { slice: true },
  // kubectl get's -f, as mkdeploy's (create's).
  filename: { slice: true },
};

export function flagTable(options: YargsOptionTable, traits: Record<string, FlagTraits> = {}): FlagDef[] {
  // yargs may record an alias one way only (`help: ['h']`): a flag's names are both ways' union.
  const namesOf = (key: string): string[] => [
    ...new Set([key, ...(options.alias[key] ?? []), ...Object.entries(options.alias).filter(([, aliases]) => aliases.includes(key)).flatMap(([k, aliases]) => [k, ...aliases])]),
  ];
  const defs: FlagDef[] = [];
  const seen = new Set<string>();
  for (const key of Object.keys(options.key)) {
    if (seen.has(key)) continue;
    const names = namesOf(key);
    for (const n of names) seen.add(n);
    const long = names.filter((n) => n.length > 1);
    const short = names.filter((n) => n.length === 1);
    // `-v`/`--v` (klog) is a one-letter long name with the same shorthand.
    const name = long[0] ?? short[0]!;
    const shorthand = short[0];
    const all = new Set(names);
    const has = (list: string[]) => list.some((n) => all.has(n));
    const trait = names.map((n) => traits[n] ?? commonTraits[n]).find(Boolean) ?? {};
    const kind: FlagKind = has(options.boolean) ? 'bool' : has(options.number) ? 'int' : trait.slice ? 'stringSlice' : trait.duration ? 'duration' : has(options.array) ? 'stringArray' : 'string';
    defs.push({ name, shorthand, kind, noOptDefault: kind === 'bool' ? 'true' : trait.noOptDefault, bits: trait.bits ?? 64, base: trait.base ?? 0 });
  }
  return defs;
}

/** Reads argv by pflag's rules; a mistake is a UsageError with pflag's message. */
export function parseFlags(argv: string[], defs: FlagDef[], hint?: string): ParsedArgs {
  const byName = new Map<string, FlagDef>();
  const byShort = new Map<string, FlagDef>();
  for (const d of defs) {
    byName.set(d.name, d);
    if (d.shorthand) byShort.set(d.shorthand, d);
  }
  const fail = (message: string): never => {
    throw new UsageError(message, hint ? { hint } : {});
  };
  const flags: FlagValue[] = [];
  const positional: string[] = [];
  let dashAt: number | undefined;
  const set = (def: FlagDef, value: string, spelled: string) => {
    checkValue(def, value, fail);
    flags.push({ def, value, spelled });
  };
  let args = argv.slice();
  while (args.length > 0) {
    const s = args.shift()!;
    if (s.length < 2 || s[0] !== '-') {
      positional.push(s);
      continue;
    }
    if (s === '--') {
      dashAt = positional.length;
      positional.push(...args);
      break;
    }
    if (s[1] === '-') {
      const body = s.slice(2);
      if (body[0] === '-' || body[0] === '=') fail(`bad flag syntax: ${s}`);
      const eq = body.indexOf('=');
      const name = (eq < 0 ? body : body.slice(0, eq)).replace(/_/g, '-');
      const def = byName.get(name);
      if (!def) fail(`unknown flag: --${name}`);
      if (eq >= 0) set(def!, body.slice(eq + 1), `--${name}`);
      else if (def!.noOptDefault !== undefined) set(def!, def!.noOptDefault, `--${name}`);
      else if (args.length > 0) set(def!, args.shift()!, `--${name}`);
      else throw new MissingValueError(`flag needs an argument: --${name}`, def!, hint);
      continue;
    }
    let shorthands = s.slice(1);
    while (shorthands.length > 0) {
      const c = shorthands[0]!;
      const def = byShort.get(c);
      if (!def) fail(`unknown shorthand flag: '${c}' in -${shorthands}`);
      if (shorthands.length > 2 && shorthands[1] === '=') {
        set(def!, shorthands.slice(2), `-${c}`);
        shorthands = '';
      } else if (def!.noOptDefault !== undefined) {
        set(def!, def!.noOptDefault, `-${c}`);
        shorthands = shorthands.slice(1);
      } else if (shorthands.length > 1) {
        set(def!, shorthands.slice(1), `-${c}`);
        shorthands = '';
      } else if (args.length > 0) {
        set(def!, args.shift()!, `-${c}`);
        shorthands = '';
      } else {
        throw new MissingValueError(`flag needs an argument: '${c}' in -${shorthands}`, def!, hint);
      }
    }
  }
  return { flags, positional, dashAt };
}

function checkValue(def: FlagDef, value: string, fail: (message: string) => never): void {
  const flagName = def.shorthand ? `-${def.shorthand}, --${def.name}` : `--${def.name}`;
  let problem: string | undefined;
  if (def.kind === 'bool') problem = parseGoBool(value).error;
  if (def.kind === 'int') problem = parseGoInt(value, def.base ?? 0, def.bits ?? 64).error;
  if (def.kind === 'stringSlice') problem = readGoCsvRecord(value).error;
  if (def.kind === 'duration') problem = parseGoDuration(value).error;
  if (problem) fail(`invalid argument ${goQuote(value)} for ${goQuote(flagName)} flag: ${problem}`);
}

/**
 * The flags in the one form yargs reads without guessing: `--name=value`, integers in decimal,
 * booleans as true/false; no positionals (they are returned by parseFlags). A flag given twice
 * counts once, with its last value, as pflag's Set overwrites (yargs would make an array of
 * them); list flags keep every occurrence.
 */
export function canonicalArgv(parsed: ParsedArgs): string[] {
  const last = new Map(parsed.flags.map((f, i) => [f.def.name, i]));
  const counted = parsed.flags.filter((f, i) => f.def.kind === 'stringArray' || f.def.kind === 'stringSlice' || last.get(f.def.name) === i);
  return counted.flatMap(({ def, value }) => {
    if (def.kind === 'stringSlice') return readGoCsvRecord(value).fields!.map((part) => `--${def.name}=${part}`);
    if (def.kind === 'bool') return `--${def.name}=${parseGoBool(value).value}`;
    if (def.kind === 'int') return `--${def.name}=${parseGoInt(value, def.base ?? 0, def.bits ?? 64).value}`;
    return `--${def.name}=${value}`;
  });
}

/** The last value given for a flag, or undefined. */
export function lastValue(parsed: ParsedArgs, name: string): FlagValue | undefined {
  return parsed.flags.filter((f) => f.def.name === name).pop();
}

/** Go's %q for the plain strings of flag messages. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
