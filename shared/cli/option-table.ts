/**
 * A command's flags without yargs: its `.option()` calls made on a stand-in that records them in
 * the shape of yargs' `getOptions()` (the parts flag-grammar.ts reads, and the defaults). The
 * completer (a fresh process on every TAB) and every call that asks for no help page read their
 * flags with this table and type them here, so they never load yargs nor build its parser
 * (about a tenth of the everyday call). Tests hold the table equal to yargs' own and the typed
 * values equal to what yargs' parse makes of the same argv, for every plugin.
 */
import type { Argv, Options } from 'yargs';
import type { CommonArgs } from './common-flags.ts';
import { readGoCsvRecord } from './go-csv.ts';
import { parseGoBool, parseGoInt } from './go-strconv.ts';
import type { ParsedArgs, YargsOptionTable } from './flag-grammar.ts';

/** Runs `declare` on a recorder and returns the table yargs would hold after the same calls. */
export function recordOptionTable(declare: (y: Argv<CommonArgs>) => unknown): YargsOptionTable & { default: Record<string, unknown> } {
  const table: YargsOptionTable & { default: Record<string, unknown> } = { key: {}, alias: {}, boolean: [], number: [], array: [], string: [], default: {} };
  const recorder = {
    option(key: string, options: Options = {}) {
      table.key[key] = true;
      const aliases = options.alias === undefined ? [] : [options.alias].flat();
      if (aliases.length > 0) table.alias[key] = [...new Set([...(table.alias[key] ?? []), ...aliases])];
      if (options.type === 'boolean' || options.type === 'number' || options.type === 'string') table[options.type].push(key);
      if (options.array) table.array.push(key);
      if ('default' in options) table.default[key] = options.default;
      return recorder;
    },
  };
  declare(recorder as unknown as Argv<CommonArgs>);
  return table;
}

/**
 * The flags' values as yargs types them, from argv read by pflag's grammar: booleans and integers
 * in Go's syntax, list flags gathered (a StringSlice's values split as CSV), any other flag's last
 * value; then the defaults of the flags not given (a fresh copy of each, lists included).
 */
export function typedArgs(parsed: ParsedArgs, defaults: Record<string, unknown> = {}): CommonArgs {
  const args: Record<string, unknown> = {};
  for (const { def, value } of parsed.flags) {
    if (def.kind === 'bool') args[def.name] = parseGoBool(value).value;
    else if (def.kind === 'int') args[def.name] = parseGoInt(value, def.base ?? 0, def.bits ?? 64).value;
    else if (def.kind === 'stringArray') args[def.name] = [...((args[def.name] as string[] | undefined) ?? []), value];
    else if (def.kind === 'stringSlice') args[def.name] = [...((args[def.name] as string[] | undefined) ?? []), ...readGoCsvRecord(value).fields!];
    else args[def.name] = value;
  }
  for (const [key, value] of Object.entries(defaults)) if (!(key in args)) args[key] = Array.isArray(value) ? [...value] : value;
  return args as CommonArgs;
}
