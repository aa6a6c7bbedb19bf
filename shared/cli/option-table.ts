/**
 * A command's flags without yargs: its `.option()` calls made on a stand-in that records them in
 * the shape of yargs' `getOptions()` (the parts flag-grammar.ts and the completer read). The
 * completer runs as a fresh process on every TAB and needs only this table and the global flags'
 * values, so it skips loading yargs and building a parser (about a fifth of its time).
 * A test holds the table equal to yargs' own for every plugin.
 */
import type { Argv, Options } from 'yargs';
import type { CommonArgs } from './common-flags.ts';
import { parseGoBool, parseGoInt } from './go-strconv.ts';
import type { ParsedArgs, YargsOptionTable } from './flag-grammar.ts';

/** Runs `declare` on a recorder and returns the table yargs would hold after the same calls. */
export function recordOptionTable(declare: (y: Argv<CommonArgs>) => unknown): YargsOptionTable {
  const table: YargsOptionTable = { key: {}, alias: {}, boolean: [], number: [], array: [], string: [] };
  const recorder = {
    option(key: string, options: Options = {}) {
      table.key[key] = true;
      const aliases = options.alias === undefined ? [] : [options.alias].flat();
      if (aliases.length > 0) table.alias[key] = [...new Set([...(table.alias[key] ?? []), ...aliases])];
      if (options.type === 'boolean' || options.type === 'number' || options.type === 'string') table[options.type].push(key);
      if (options.array) table.array.push(key);
      return recorder;
    },
  };
  declare(recorder as unknown as Argv<CommonArgs>);
  return table;
}

/** The global flags' values as yargs would type them, from argv read by pflag's grammar. */
export function commonArgsFrom(parsed: ParsedArgs): CommonArgs {
  const args: Record<string, unknown> = {};
  for (const { def, value } of parsed.flags) {
    if (def.kind === 'bool') args[def.name] = parseGoBool(value).value;
    else if (def.kind === 'int') args[def.name] = parseGoInt(value, def.base ?? 0, def.bits ?? 64).value;
    else if (def.kind === 'stringArray') args[def.name] = [...((args[def.name] as string[] | undefined) ?? []), value];
    else args[def.name] = value;
  }
  return args as CommonArgs;
}
