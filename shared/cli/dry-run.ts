/**
 * kubectl's --dry-run (cmdutil.AddDryRunFlag / GetDryRunStrategy): none, client or server; given
 * bare (`--dry-run`, pflag's NoOptDefVal `unchanged`) or as a boolean it still works, with
 * kubectl's deprecation warning. A client dry run sends nothing.
 */
import { UsageError } from '../errors.ts';
import { parseGoBool } from './go-strconv.ts';
import type { FlagTraits } from './flag-grammar.ts';

export type DryRun = 'none' | 'client' | 'server';

/** What `--dry-run` alone stands for (kubectl's NoOptDefVal). */
export const dryRunBare = 'unchanged';
export const dryRunTraits: Record<string, FlagTraits> = { 'dry-run': { noOptDefault: dryRunBare } };

export const dryRunDescription = 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.';

export function dryRunStrategy(value: string, warn: (message: string) => void): DryRun {
  const asBool = parseGoBool(value);
  if (asBool.value === undefined) {
    if (value === dryRunBare) {
      warn('--dry-run is deprecated and can be replaced with --dry-run=client.');
      return 'client';
    }
    if (value === 'client' || value === 'server' || value === 'none') return value;
    throw new UsageError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
  }
  const replacement = asBool.value ? 'client' : 'none';
  warn(`--dry-run=${value} is deprecated (boolean value) and can be replaced with --dry-run=${replacement}.`);
  return replacement;
}
