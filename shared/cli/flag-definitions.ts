/**
 * The flag definitions as a command wrote them (`.option(key, {alias, type, default,
 * description, group})`), recorded while they are handed to yargs: the help (help.ts) is printed
 * from the same definitions yargs parses with and flag-grammar.ts reads by, never written apart.
 */
import type { Argv, Options } from 'yargs';

export interface FlagDefinition {
  key: string;
  options: Options;
}

/** Records every `.option()` made on `y` from now on; returns the live list. */
export function recordDefinitions<T>(y: Argv<T>): FlagDefinition[] {
  const recorded: FlagDefinition[] = [];
  const target = y as unknown as { option(key: string, options?: Options): unknown };
  const original = target.option.bind(target);
  target.option = (key: string, options: Options = {}) => {
    const known = recorded.findIndex((d) => d.key === key);
    if (known >= 0) recorded.splice(known, 1);
    recorded.push({ key, options });
    return original(key, options);
  };
  return recorded;
}

/** The group of kubectl's global flags (common-flags.ts): `kubectl <plugin> options` prints them. */
export const globalGroup = 'Global flags:';
