/**
 * The docs keep up with the executables and with themselves:
 * - every long flag (`--name`) that `kubectl <plugin> --help` prints (flag lines, usage,
 *   examples, descriptions) appears on docs/<plugin>.md;
 * - every global flag that `kubectl <plugin> options` prints appears on docs/flags.md;
 * - every relative markdown link of README.md, CHANGELOG.md and docs/*.md (outside code blocks
 *   and code spans) leads to a file or directory that exists and, with a `#anchor`, to a heading
 *   of that file, by GitHub's anchor rules (lowercase, spaces to `-`, punctuation other than `-`
 *   and `_` dropped, `-1`, `-2`, … for a repeated heading).
 * The help pages come from the built executables (`dist/bin`), as a user sees them; they read no
 * kubeconfig.
 */
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, runPlugin } from '../helpers/plugin.ts';

const plugins = ['lsres', 'dynget', 'mkdeploy', 'watchq'] as const;

/** Every long flag a help page names, without its dashes, sorted, once each. */
export function longFlags(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*[a-z0-9]|[a-z])(?![\w-])/g)].map((m) => m[1]!))].sort();
}

/** Whether a page names `--flag` (not as the start of a longer flag: `--as` is not `--as-group`). */
export function namesFlag(page: string, flag: string): boolean {
  return new RegExp(`(?<![\\w-])--${flag}(?![\\w-])`).test(page);
}

/** GitHub's anchor for a heading's text (github-slugger), before duplicates are numbered. */
export function githubAnchor(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link counts by its text
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** The text with fenced blocks and code spans blanked out (line breaks kept, so lines still count). */
function prose(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const lines = text.split('\n');
  let fenced = false;
  const out = lines.map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
  return out.join('\n').replace(/(`+)[\s\S]*?\1/g, blank);
}

/** The anchors of a markdown file's headings (ATX headings outside fenced blocks). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && line.match(/^#{1,6}\s+(.*?)(?:\s+#+)?\s*$/);
    if (!heading) continue;
    const base = githubAnchor(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

export interface Link {
  line: number;
  target: string;
}

/** The inline links and images of a page (`[text](target)`), outside code. */
export function markdownLinks(text: string): Link[] {
  const body = prose(text);
  const out: Link[] = [];
  for (const m of body.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    out.push({ line: body.slice(0, m.index).split('\n').length, target: m[1]! });
  }
  return out;
}

/** What is wrong with a link of `file` (relative to the repository), or undefined when it leads somewhere. */
function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:: not ours to check
  const hash = target.indexOf('#');
  const pathPart = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = pathPart === '' ? path.join(repoRoot, file) : path.resolve(path.dirname(path.join(repoRoot, file)), decodeURIComponent(pathPart));
  if (!resolved.startsWith(repoRoot)) return `${target}: outside the repository`;
  if (!fs.existsSync(resolved)) return `${target}: ${path.relative(repoRoot, resolved)} does not exist`;
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith('.md') || !fs.statSync(resolved).isFile()) return `${target}: an anchor into a file that is not markdown`;
  if (!anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) return `${target}: ${path.relative(repoRoot, resolved)} has no heading #${anchor}`;
  return undefined;
}

const docsDir = path.join(repoRoot, 'docs');
const pages = ['README.md', 'CHANGELOG.md', ...fs.readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');

test("GitHub's anchors, as the README's old links spelled them", (t) => {
  t.is(githubAnchor('What `kubectl get` prints (lsres and dynget alike)'), 'what-kubectl-get-prints-lsres-and-dynget-alike');
  t.is(githubAnchor('`kubectl watchq [TYPE]`'), 'kubectl-watchq-type');
  t.is(githubAnchor("The runtime's environment variables and files"), 'the-runtimes-environment-variables-and-files');
  t.is(githubAnchor('[0.1.0] - 2026-12-02'), '010---2026-12-02');
  t.deepEqual([...anchors('# A\n## B\n```\n# not a heading\n```\n## B\n')], ['a', 'b', 'b-1']);
  t.deepEqual(
    markdownLinks('[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n![d](img.png "t") [e](#f)').map((l) => l.target),
    ['x.md', 'img.png', '#f'],
  );
});

for (const plugin of plugins) {
  test(`docs/${plugin}.md names every flag of kubectl ${plugin} --help`, async (t) => {
    const help = await runPlugin(plugin, ['--help']);
    t.is(help.code, 0, help.stderr);
    const flags = longFlags(help.stdout);
    t.true(flags.length >= 5, `--help printed ${flags.join(', ')}`);
    const page = read(`docs/${plugin}.md`);
    const missing = flags.filter((flag) => !namesFlag(page, flag));
    t.deepEqual(missing, [], `on kubectl ${plugin} --help, not on docs/${plugin}.md: ${missing.map((f) => `--${f}`).join(', ')}`);
  });

  test(`docs/flags.md names every global flag of kubectl ${plugin} options`, async (t) => {
    const options = await runPlugin(plugin, ['options']);
    t.is(options.code, 0, options.stderr);
    const flags = longFlags(options.stdout);
    t.true(flags.length >= 10, `options printed ${flags.join(', ')}`);
    t.true(flags.includes('kubeconfig') && flags.includes('namespace'), options.stdout);
    const page = read('docs/flags.md');
    const missing = flags.filter((flag) => !namesFlag(page, flag));
    t.deepEqual(missing, [], `on kubectl ${plugin} options, not on docs/flags.md: ${missing.map((f) => `--${f}`).join(', ')}`);
    // Each plugin page sends its reader there for them.
    t.true(read(`docs/${plugin}.md`).includes('(flags.md#global-flags)'), `docs/${plugin}.md links docs/flags.md#global-flags`);
  });
}

for (const file of pages) {
  test(`every relative link of ${file} leads to a file and heading that exist`, (t) => {
    const links = markdownLinks(read(file));
    if (file.startsWith('docs/') || file === 'README.md') t.true(links.length > 0, `${file} has links`);
    const broken = links.flatMap(({ line, target }) => {
      const problem = brokenLink(file, target);
      return problem ? [`${file}:${line}: ${problem}`] : [];
    });
    t.deepEqual(broken, []);
  });
}
