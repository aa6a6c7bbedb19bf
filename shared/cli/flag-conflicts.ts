/**
 * No flag silently ignored: a mode that cannot honour some flags (lsres --access prints a verb
 * matrix, not objects) refuses them by name, before any request.
 */
import { UsageError } from '../errors.ts';
import { globalFlagNames } from './common-flags.ts';

/** `conflicts`: [how the user typed it, whether it was given]; the first given one is refused. */
export function refuseWith(mode: string, conflicts: Array<[string, boolean]>, hint?: string): void {
  const given = conflicts.filter(([, present]) => present).map(([flag]) => flag);
  if (given.length === 0) return;
  throw new UsageError(`${given.join(', ')} cannot be used with ${mode}`, hint ? { hint } : {});
}

/**
 * A mode that honours only some flags (and the global ones) refuses every other flag given,
 * whoever defined it: flags added to the command later are covered too.
 */
export function refuseAllBut(mode: string, given: ReadonlySet<string>, honoured: readonly string[], hint?: string): void {
  const keep = new Set([...globalFlagNames, ...honoured, 'help', 'version']);
  refuseWith(mode, [...given].filter((flag) => !keep.has(flag)).sort().map((flag) => [`--${flag}`, true]), hint);
}
