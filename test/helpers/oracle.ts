/**
 * kubectl as the expected output: run our plugin and the cluster's kubectl on the same input and
 * compare exit status, stdout and (optionally) stderr. Lists change between two runs only in
 * their ages, so AGE-like cells are masked digit by digit (`5m10s` → `0m00s`, width kept, so
 * alignment is still compared); a run that still differs (an age gained a digit, another test
 * touched a shared object) is tried again a few times before it counts as a divergence.
 */
import type { ExecutionContext } from 'ava';
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sideBySide } from './side-by-side.ts';

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CompareOptions {
  /** Also compare stderr (e.g. "No resources found in x namespace."). Default true. */
  stderr?: boolean;
  /** Extra masking for volatile text, applied to both sides after the age mask. */
  mask?: (text: string) => string;
  attempts?: number;
}

export function maskAges(text: string): string {
  return text.replace(/(?<=^|[ \t])(?:\d+[smhdy]){1,2}(?=[ \t]|$)/gm, (age) => age.replace(/\d/g, '0'));
}

/** Runs both until they agree (up to `attempts` times); fails the test with both outputs side by side. */
export async function sameAsKubectl(t: ExecutionContext, label: string, ours: () => Promise<Outcome>, theirs: () => Promise<Outcome>, options: CompareOptions = {}): Promise<boolean> {
  const mask = (text: string) => (options.mask ?? ((s: string) => s))(maskAges(text));
  const attempts = options.attempts ?? 4;
  let last = '';
  for (let i = 0; i < attempts; i++) {
    const [a, b] = await Promise.all([ours(), theirs()]);
    const problems: string[] = [];
    if ((a.code === 0) !== (b.code === 0)) problems.push(`exit: ours ${a.code}, kubectl ${b.code}; our stderr: ${a.stderr.trim()}; kubectl's: ${b.stderr.trim()}`);
    if (mask(a.stdout) !== mask(b.stdout)) problems.push(`stdout differs:${sideBySide(mask(b.stdout), mask(a.stdout))}`);
    if ((options.stderr ?? true) && b.code === 0 && mask(a.stderr) !== mask(b.stderr)) problems.push(`stderr differs:${sideBySide(mask(b.stderr), mask(a.stderr))}`);
    last = problems.join('\n');
    if (last === '') break;
    await sleep(300);
  }
  t.is(last, '', label);
  return last === '';
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * A random tag for one test file's objects (label values, name parts). It starts with a letter:
 * a bare hex tag such as `123456` or `1e5432` is a number to a YAML reader, and kubectl refuses a
 * number as a label value.
 */
export function runTag(): string {
  return `r${crypto.randomBytes(3).toString('hex')}`;
}
