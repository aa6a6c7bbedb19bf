/**
 * Bun's runtime reads environment variables that would change what a kubectl plugin does before
 * any of our code runs, and no build flag turns them off (Bun 1.4's sources: src/runtime/cli,
 * src/bun.js, ZigGlobalObject.cpp; the table in README's Security section):
 *
 * - `BUN_BE_BUN` makes the executable the `bun` CLI (it runs files and package.json scripts);
 * - `BUN_OPTIONS` is parsed as Bun's flags: `--preload`/`--require`/`--import` run code before
 *   ours, `--inspect`, `--cwd`, `--heap-prof` (a heap snapshot holds tokens), `--use-system-ca`…;
 * - `BUN_INSPECT`, `BUN_INSPECT_CONNECT_TO`, `BUN_INSPECT_PRELOAD`, `BUN_INSPECT_NOTIFY` start the
 *   debugger or connect it out;
 * - `BUN_CONFIG_VERBOSE_FETCH=curl` prints fetch requests with their Authorization header;
 * - `BUN_GARBAGE_COLLECTOR_LEVEL`, `BUN_FEATURE_FLAG_*` (IPv4/IPv6 off, orphans killed, a
 *   synthetic memory limit that panics on a bad value…);
 * - `BUN_INTERNAL_WEBVIEW_HOST` (macOS) turns the process into a WebView host;
 * - on a crash, Bun reports to https://bun.report (by default on macOS and Windows), or to
 *   `BUN_CRASH_REPORT_URL`.
 *
 * Each name is a string literal in the runtime's read-only data, compared with the environment's
 * names by length and bytes. The runtime every executable is built from is a copy of the pinned
 * one in which each of these literals starts with `$` instead (`$UN_OPTIONS`): no shell can
 * assign such a variable, so the environment a user has set for their Bun tools changes nothing.
 * (`$` because some of the names also stand in the runtime's built-in JavaScript, as
 * `process.env.BUN_…`: `$` keeps that valid JavaScript, as an identifier character.) The
 * crash report URL becomes http://127.0.0.1:0 (the same length): a crash sends nothing anywhere.
 * Every literal must be found as often as recorded for its platform: a Bun upgrade that moved or
 * renamed one fails the build here instead of leaving a hook open.
 *
 * Not closed here: `BUN_JSC_*` (JavaScriptCore's options; the prefix is not a literal in the
 * binary, renaming its messages changed nothing). The plugins refuse to start when one is set
 * (shared/cli/runtime-environment.ts), before they read a kubeconfig.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './tasks.ts';
import type { Target } from './targets.ts';

export interface RuntimeHook {
  /** The literal in the runtime (a whole name, or the prefix of a family of names). */
  literal: string;
  replacement: string;
  /** How often it occurs in each platform's runtime (Bun 1.4.4). */
  count: Partial<Record<Target['os'], number>> & { default: number };
}

const renamed = (literal: string, count: RuntimeHook['count']): RuntimeHook => ({ literal, replacement: `$${literal.slice(1)}`, count });

export const runtimeHooks: readonly RuntimeHook[] = [
  renamed('BUN_BE_BUN', { default: 1 }),
  renamed('BUN_OPTIONS', { default: 2 }),
  renamed('BUN_INSPECT', { default: 11 }),
  renamed('BUN_CONFIG_VERBOSE_FETCH', { default: 2 }),
  renamed('BUN_GARBAGE_COLLECTOR_LEVEL', { default: 2 }),
  renamed('BUN_FEATURE_FLAG_', { default: 38, darwin: 37, windows: 31 }),
  renamed('BUN_INTERNAL_WEBVIEW_HOST', { default: 0, darwin: 3 }),
  renamed('BUN_CRASH_REPORT_URL', { default: 1 }),
  { literal: 'https://bun.report', replacement: 'http://127.0.0.1:0', count: { default: 1 } },
];

/** Replaces every hook's literal in `image` (in place); throws when a count differs from the record. */
export function hardenImage(image: Buffer, os: Target['os']): Record<string, number> {
  const found: Record<string, number> = {};
  for (const hook of runtimeHooks) {
    const literal = Buffer.from(hook.literal, 'latin1');
    const replacement = Buffer.from(hook.replacement, 'latin1');
    if (literal.length !== replacement.length) throw new Error(`${hook.literal}: the replacement must keep its length`);
    let n = 0;
    for (let at = image.indexOf(literal); at !== -1; at = image.indexOf(literal, at + literal.length)) {
      replacement.copy(image, at);
      n++;
    }
    const expected = hook.count[os] ?? hook.count.default;
    if (n !== expected) {
      throw new Error(`the ${os} runtime has ${n} × "${hook.literal}", ${expected} recorded: check Bun's sources for this hook and update scripts/sea/harden-runtime.ts`);
    }
    found[hook.literal] = n;
  }
  return found;
}

/**
 * The hardened copy of a (checked) runtime binary, kept beside it for this list of hooks. It is
 * made again from the checked binary on every call and compared with the copy in the cache, so a
 * copy changed there is replaced, never built on; an unchanged one keeps its mtime, so the
 * executables built on it stay up to date.
 */
export async function hardenedRuntime(runtime: string, target: Target): Promise<string> {
  const recipe = createHash('sha256').update(JSON.stringify(runtimeHooks)).digest('hex').slice(0, 12);
  const dir = join(runtime, '..', '..', `hardened-${recipe}`);
  const out = join(dir, runtime.split(/[\\/]/).pop()!);
  const image = await readFile(runtime);
  hardenImage(image, target.os);
  if (existsSync(out) && (await readFile(out)).equals(image)) return out;
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(out, image, 0o755);
  return out;
}
