/**
 * esbuild plugin: work that dependencies do when their modules load, on every start-up, for
 * things the plugins rarely or never need, moved to first use or dropped. Each patch matches an
 * exact piece of source; a copy that no longer has it fails the build, so an upgrade cannot
 * silently undo a patch.
 *
 * - string-width (yargs', cliui's and wrap-ansi's copies) builds two costly things at its top
 *   level, although only help text and completion descriptions ever measure a string:
 *   `new Intl.Segmenter()` (the first one loads ICU's break-iterator data, 10–15 ms) and RegExp
 *   literals with Unicode property escapes (V8 builds each from ICU's data when it is evaluated:
 *   `/^\p{RGI_Emoji}$/v` alone 18–40 ms in a single executable, the others 22 ms together).
 *   They become objects made on first use.
 * - yargs' factory calls `.version()` on every new parser, which looks for a package.json from
 *   the executable's directory up to `/` (a directory listing per level, 2–4 ms) to guess a
 *   version. Every plugin turns that option off and declares its own `--version`: the call goes.
 * - yargs' platform shim imports node:assert (with its diff and error-source modules, 2 ms) for
 *   two invariant checks that hold: it is loaded when a check fails (both compare with Object.is,
 *   as node:assert does).
 */
import { readFile } from 'node:fs/promises';
import type * as esbuild from 'esbuild';

const eagerSegmenter = 'const segmenter = new Intl.Segmenter();';
const lazySegmenter = 'let segmenterOnce; const segmenter = { segment: (text) => (segmenterOnce ??= new Intl.Segmenter()).segment(text) };';

/**
 * `const NAME = /…\p{…}…/flags;` at the start of a line: a RegExp with Unicode property escapes,
 * which V8 builds from ICU's property data when the literal is evaluated (in a single executable
 * the seven of string-width took 22 ms at start-up; `\p{RGI_Emoji}` alone 18–40 ms).
 */
const eagerUnicodeRegExp = /^const (\w+) = (\/.*\\p\{.*\/[a-z]*);$/gm;

/**
 * A RegExp made on first use: methods are called on the real one, so `re.test(s)`,
 * `s.search(re)` and `s.match(re)` behave as with the literal.
 */
const lazyRegExpHelper = `function lazyRegExp(make) {
  let re;
  const real = () => (re ??= make());
  return new Proxy({}, { get(_, key) { const r = real(); const value = Reflect.get(r, key, r); return typeof value === 'function' ? value.bind(r) : value; } });
}
`;

export function makeStringWidthLazy(source: string, file: string): string | { error: string } {
  if (!source.includes('Intl.Segmenter') && !source.includes('\\p{')) return source;
  let out = source;
  if (out.includes('Intl.Segmenter')) {
    if (!out.includes(eagerSegmenter)) return { error: `${file} no longer declares "${eagerSegmenter}": update scripts/sea/start-up-patches.ts` };
    out = out.replace(eagerSegmenter, lazySegmenter);
  }
  let lazy = false;
  out = out.replace(eagerUnicodeRegExp, (_, name: string, literal: string) => {
    lazy = true;
    // From a string, not a literal: V8 checks a literal's pattern when it parses the function
    // around it, which costs the same as building it.
    const end = literal.lastIndexOf('/');
    return `const ${name} = lazyRegExp(() => new RegExp(${JSON.stringify(literal.slice(1, end))}, ${JSON.stringify(literal.slice(end + 1))}));`;
  });
  const code = out.replace(/^\s*\/\/.*$/gm, '');
  if (code.includes('RGI_Emoji') && !lazy) return { error: `${file} uses \\p{RGI_Emoji} in a form scripts/sea/start-up-patches.ts does not know` };
  return lazy ? `${out}\n${lazyRegExpHelper}` : out;
}

const versionGuess = '        yargs.help();\n        yargs.version();\n';

/** yargs-factory.js without the `.version()` call that guesses a version from package.json. */
export function dropYargsVersionGuess(source: string, file: string): string | { error: string } {
  if (!source.includes(versionGuess)) return { error: `${file} no longer calls yargs.version() as scripts/sea/start-up-patches.ts expects: update it` };
  return source.replace(versionGuess, '        yargs.help();\n');
}

const eagerAssert = "import { notStrictEqual, strictEqual } from 'assert'\n";
const lazyAssert = [
  "const notStrictEqual = (a, b, ...rest) => { if (Object.is(a, b)) process.getBuiltinModule('node:assert').notStrictEqual(a, b, ...rest) }",
  "const strictEqual = (a, b, ...rest) => { if (!Object.is(a, b)) process.getBuiltinModule('node:assert').strictEqual(a, b, ...rest) }",
  '',
].join('\n');

/** yargs' ESM platform shim with node:assert loaded by the checks themselves. */
export function makeYargsAssertLazy(source: string, file: string): string | { error: string } {
  if (!source.includes(eagerAssert)) return { error: `${file} no longer imports assert as scripts/sea/start-up-patches.ts expects: update it` };
  return source.replace(eagerAssert, lazyAssert);
}

const patches: Array<{ filter: RegExp; patch: (source: string, file: string) => string | { error: string } }> = [
  { filter: /[\\/]node_modules[\\/](?:.+[\\/])?string-width[\\/]index\.js$/, patch: makeStringWidthLazy },
  { filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/, patch: dropYargsVersionGuess },
  { filter: /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/, patch: makeYargsAssertLazy },
];

export const startUpPatches: esbuild.Plugin = {
  name: 'start-up-patches',
  setup(build) {
    for (const { filter, patch } of patches) {
      build.onLoad({ filter }, async (args) => {
        const result = patch(await readFile(args.path, 'utf8'), args.path);
        return typeof result === 'string' ? { contents: result, loader: 'js' } : { errors: [{ text: result.error }] };
      });
    }
  },
};
