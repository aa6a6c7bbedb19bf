import test from 'ava';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { dropYargsVersionGuess, makeStringWidthLazy, makeYargsAssertLazy, startUpPatches } from '../../../scripts/sea/start-up-patches.ts';
import { repoRoot } from '../../helpers/plugin.ts';

const samples = ['', 'abc', 'naïve', '古池や', '👍', '👨‍👩‍👧', '1️⃣', '\u001b[31mred\u001b[0m', 'e\u0301', '한국어', 'ｶﾀｶﾅ', '\u200b', 'a\tb'];

// Each copy of string-width the bundles contain: yargs', cliui's, wrap-ansi's.
const copies = ['yargs', 'cliui', 'wrap-ansi'].map((owner) => join(dirname(createRequire(join(repoRoot, 'node_modules', owner, 'package.json')).resolve('string-width')), 'index.js'));

async function widthsThrough(entry: string, plugins: esbuild.Plugin[]): Promise<number[]> {
  const out = await esbuild.build({
    stdin: { contents: `import w from ${JSON.stringify(entry)}; export default ${JSON.stringify(samples)}.map((s) => w(s));`, resolveDir: repoRoot },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
    plugins,
  });
  const text = out.outputFiles[0]!.text;
  return ((await import(`data:text/javascript,${encodeURIComponent(text)}`)) as { default: number[] }).default;
}

for (const file of copies) {
  test(`${file.slice(repoRoot.length + 1)}: made lazy, same widths as the original`, async (t) => {
    const before = await widthsThrough(file, []);
    const after = await widthsThrough(file, [startUpPatches]);
    t.deepEqual(after, before);
    const out = await esbuild.build({ entryPoints: [file], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent', plugins: [startUpPatches] });
    t.notRegex(out.outputFiles[0]!.text, /^(?:const|var|let) \w+ = new Intl\.Segmenter\(\)/m);
  });
}

test('a Segmenter or emoji RegExp in a form it does not know fails the build', (t) => {
  const failure = (source: string) => (makeStringWidthLazy(source, 'x.js') as { error?: string }).error ?? '';
  t.regex(failure('const s = new Intl.Segmenter("en");'), /no longer declares/);
  t.regex(failure('const r = new RegExp("\\\\p{RGI_Emoji}", "v");'), /does not know/);
  t.is(makeStringWidthLazy('// \\p{RGI_Emoji} in a comment\nexport default 1;', 'x.js'), '// \\p{RGI_Emoji} in a comment\nexport default 1;');
});

test('the lazy RegExp behaves as the literal for test, search and match', async (t) => {
  const source = makeStringWidthLazy('const rgi = /^\\p{RGI_Emoji}$/v;\nexport const r = rgi;', 'x.js') as string;
  const { r } = (await import(`data:text/javascript,${encodeURIComponent(source)}`)) as { r: RegExp };
  t.true(r.test('👍'));
  t.false(r.test('a'));
  t.is('👍'.search(r), 0);
  t.is('a'.search(r), -1);
  t.deepEqual([...('👍'.match(r) ?? [])], ['👍']);
});

test("yargs' factory no longer guesses a version from package.json; a parser still has --help and no --version", async (t) => {
  const factory = join(repoRoot, 'node_modules', 'yargs', 'build', 'lib', 'yargs-factory.js');
  const { readFile } = await import('node:fs/promises');
  const patched = dropYargsVersionGuess(await readFile(factory, 'utf8'), factory);
  t.is(typeof patched, 'string');
  t.notRegex(patched as string, /yargs\.version\(\);/);
  t.regex((dropYargsVersionGuess('nothing to see', 'x.js') as { error: string }).error, /no longer calls yargs\.version\(\)/);

  const out = await esbuild.build({
    stdin: {
      contents: "import yargs from 'yargs'; const y = yargs([]).exitProcess(false); export default { help: y.getOptions().boolean.includes('help'), version: y.getOptions().boolean.includes('version') };",
      resolveDir: repoRoot,
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
    plugins: [startUpPatches],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const text = out.outputFiles[0]!.text;
  const file = join(repoRoot, 'dist', `.yargs-patch-${process.pid}.mjs`);
  const { mkdir, rm, writeFile } = await import('node:fs/promises');
  await mkdir(join(repoRoot, 'dist'), { recursive: true });
  await writeFile(file, text);
  try {
    const { default: options } = (await import(file)) as { default: { help: boolean; version: boolean } };
    t.deepEqual(options, { help: true, version: false });
  } finally {
    await rm(file, { force: true });
  }
});

test("yargs' shim loads node:assert only when a check fails, and the checks still throw", async (t) => {
  const shim = join(repoRoot, 'node_modules', 'yargs', 'lib', 'platform-shims', 'esm.mjs');
  const { readFile } = await import('node:fs/promises');
  const patched = makeYargsAssertLazy(await readFile(shim, 'utf8'), shim);
  t.is(typeof patched, 'string');
  t.notRegex(patched as string, /from 'assert'/);
  t.regex((makeYargsAssertLazy('nothing to see', 'x.js') as { error: string }).error, /no longer imports assert/);
  // The two replacements, evaluated on their own, behave as node:assert's.
  const definitions = (patched as string).split('\n').filter((line) => /^const (not)?[sS]trictEqual = /.test(line));
  t.is(definitions.length, 2);
  const checks = new Function(`${definitions.join('\n')}\nreturn { notStrictEqual, strictEqual };`)() as { notStrictEqual(a: unknown, b: unknown): void; strictEqual(a: unknown, b: unknown): void };
  t.notThrows(() => checks.strictEqual(1, 1));
  t.notThrows(() => checks.notStrictEqual(1, 2));
  t.throws(() => checks.strictEqual(1, 2), { name: 'AssertionError' });
  t.throws(() => checks.notStrictEqual(1, 1), { name: 'AssertionError' });
  t.notThrows(() => checks.strictEqual(Number.NaN, Number.NaN));
  t.throws(() => checks.strictEqual(0, -0), { name: 'AssertionError' });
});
