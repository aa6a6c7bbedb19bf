/**
 * Help as kubectl prints it (k8s.io/kubectl pkg/util/templates: MainUsageTemplate,
 * help_flags_printer.go), from the same flag definitions yargs parses with:
 *
 *   <description>
 *
 *   Examples:
 *     # what it does
 *     kubectl lsres ...          (each command on its own line, never wrapped)
 *
 *   Options:
 *       -n, --namespace='':      (strings quoted; `=[]` for lists, `=false`, `=500`)
 *   	<description, wrapped only on a terminal>
 *
 *   Usage:
 *     kubectl lsres [TYPE ...] [options]
 *
 *   Use "kubectl lsres options" for a list of global command-line options (applies to all commands).
 *
 * Options are the command's own flags, sorted by name as pflag visits them; the global ones
 * (common-flags.ts) are printed by the `options` subcommand, as `kubectl options` prints kubectl's.
 */
import type { FlagDef } from './flag-grammar.ts';
import { globalGroup, type FlagDefinition } from './flag-definitions.ts';

export interface HelpFlag {
  def: FlagDef;
  description: string;
  defaultValue: unknown;
  global: boolean;
}

export interface HelpPage {
  description: string;
  examples: Array<[string, string]>;
  usage: string;
  flags: HelpFlag[];
  /** `kubectl lsres options`, for the last line; none for the `options` page itself. */
  optionsCommand?: string;
}

/** yargs' own flags, which kubectl's help does not list (its -h/--help is hidden). */
const unlisted = new Set(['help', 'version']);

/** The definitions joined to the parsed flag table (kinds, shorthands). */
export function helpFlags(definitions: FlagDefinition[], table: FlagDef[]): HelpFlag[] {
  const byName = new Map<string, FlagDef>();
  for (const def of table) {
    byName.set(def.name, def);
    if (def.shorthand) byName.set(def.shorthand, def);
  }
  const out: HelpFlag[] = [];
  for (const { key, options } of definitions) {
    const def = byName.get(key);
    if (!def || unlisted.has(def.name)) continue;
    out.push({ def, description: String(options.description ?? options.describe ?? options.desc ?? ''), defaultValue: options.default, global: options.group === globalGroup });
  }
  return out;
}

/**
 * kubectl wraps flag descriptions only on a terminal: at 120, 100 or 80 columns (the widest that
 * fits), less the 10 of the tab; 0 (a pipe, or narrower than 80) does not wrap.
 */
export function wrapWidth(columns: number | undefined, isTTY: boolean): number {
  if (!isTTY || !columns) return 0;
  const limit = columns >= 120 ? 120 : columns >= 100 ? 100 : columns >= 80 ? 80 : 0;
  return limit === 0 ? 0 : limit - 10;
}

/** go-wordwrap's WrapString: a break before a word that would pass the limit; a word longer than it stays whole on its own line. */
export function wordWrap(text: string, limit: number): string {
  if (limit <= 0) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** pflag's DefValue: what the flag holds when not given. */
function defaultText(flag: HelpFlag): string {
  const value = flag.defaultValue;
  switch (flag.def.kind) {
    case 'bool':
      return String(value === true);
    case 'int':
      return String(typeof value === 'number' ? value : 0);
    case 'stringArray':
    case 'stringSlice':
      return `[${Array.isArray(value) ? value.join(',') : ''}]`;
    default:
      return `'${value === undefined ? '' : String(value)}'`;
  }
}

/** One flag: `    -n, --namespace='':` then the description after a tab, each wrapped line too. */
export function flagUsage(flag: HelpFlag, width: number): string {
  const head = `    ${flag.def.shorthand ? `-${flag.def.shorthand}, ` : ''}--${flag.def.name}=${defaultText(flag)}:`;
  const body = wordWrap(flag.description.replace(/\s*\n\s*/g, ' '), width);
  return `${head}\n\t${body.replace(/\n/g, '\n\t')}\n\n`;
}

export function flagUsages(flags: HelpFlag[], width: number): string {
  return [...flags].sort((a, b) => (a.def.name < b.def.name ? -1 : a.def.name > b.def.name ? 1 : 0)).map((f) => flagUsage(f, width)).join('');
}

function usageLines(usage: string): string {
  return usage
    .split('\n')
    .map((line) => {
      const text = line.trim().replace(/\s*\[flags\]/, ' [options]');
      return `  ${text.includes('[options]') ? text : `${text} [options]`}`;
    })
    .join('\n');
}

export function renderHelp(page: HelpPage, width: number): string {
  const sections: string[] = [page.description.trim()];
  if (page.examples.length > 0) {
    sections.push(`Examples:\n${page.examples.map(([command, text]) => `  # ${text}\n  ${command}`).join('\n  \n')}`);
  }
  const own = page.flags.filter((f) => !f.global);
  if (own.length > 0) sections.push(`Options:\n${flagUsages(own, width).trimEnd()}`);
  sections.push(`Usage:\n${usageLines(page.usage)}`);
  if (page.optionsCommand) sections.push(`Use "${page.optionsCommand}" for a list of global command-line options (applies to all commands).`);
  return `${sections.join('\n\n')}\n`;
}

/** `kubectl <plugin> options`, as `kubectl options`: every global flag. */
export function renderGlobalOptions(flags: HelpFlag[], width: number): string {
  return `The following options can be passed to any command:\n\n${flagUsages(flags.filter((f) => f.global), width)}`;
}
