/**
 * The documentation's examples run as written: every line of a fenced code block that runs
 * `kubectl lsres|dynget|mkdeploy|watchq` is run, README.md first and then each docs/*.md page (in
 * file-name order), page by page and in page order, by /bin/sh from the repository's root,
 * through the cluster's kubectl (which finds the built plugins on PATH), in a namespace of its
 * own (the kubeconfig's context points at it, so the lines need no -n). Each
 * must exit 0 without an `error:` line; `watchq` lines run until they have synced, `-w` lines for
 * 3 s, and are then stopped with SIGINT, as a user's Ctrl-C (a normal stop: exit 0). The files
 * they name are the repository's own (`examples/`); the objects the `kubectl get`-style lines
 * name are made first. The pages share one namespace: a docs page may use what README's Try it
 * section made (the notes' CRD and object, demo-1), and a line that creates an object must not
 * appear twice.
 *
 * A block whose opening fence is tagged `text` (```text) is left out: synopses, and examples
 * that cannot run here (another cluster or context, a file that is not in the repository). Every
 * other fenced block is read, whatever its tag (```sh, or none).
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk } from '../helpers/cluster.ts';
import { repoRoot } from '../helpers/plugin.ts';

const pluginLine = /\bkubectl (lsres|dynget|mkdeploy|watchq)\b/;

/** The tag of a fenced block this test leaves out. */
const skippedTag = 'text';

/** The lines of a page's fenced code blocks that run one of the plugins (blocks tagged `text` left out). */
export function readmeLines(text: string): string[] {
  const lines: string[] = [];
  let block: 'none' | 'run' | 'skip' = 'none';
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) {
      const tag = line.slice(3).trim().split(/\s+/)[0] ?? '';
      block = block !== 'none' ? 'none' : tag === skippedTag ? 'skip' : 'run';
      continue;
    }
    if (block === 'run' && pluginLine.test(line)) lines.push(line.trim());
  }
  return lines;
}

/** README.md, then docs/*.md by file name, each with its lines. */
const docsDir = path.join(repoRoot, 'docs');
const pages: Array<{ page: string; lines: string[] }> = ['README.md', ...fs.readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)].map((page) => ({
  page,
  lines: readmeLines(fs.readFileSync(path.join(repoRoot, page), 'utf8')),
}));
const lines = pages[0]!.lines;
let ns = '';
let dir = '';
let env: NodeJS.ProcessEnv = {};
let bin = '';

test.before(async () => {
  const cluster = await ensureCluster();
  ns = await createNamespace('readme');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const config = parse(fs.readFileSync(cluster.kubeconfig, 'utf8')) as { 'current-context': string; contexts: Array<{ name: string; context: Record<string, string> }> };
  for (const c of config.contexts) if (c.name === config['current-context']) c.context.namespace = ns;
  // The executables linked into a directory of this test's own: a line that writes beside them
  // (`completion --install-kubectl-shim`) must not change dist/bin under the other tests.
  bin = path.join(repoRoot, 'dist', `readme-bin-${process.pid}`);
  fs.mkdirSync(bin, { recursive: true });
  for (const file of fs.readdirSync(path.join(repoRoot, 'dist', 'bin'))) {
    const from = path.join(repoRoot, 'dist', 'bin', file);
    try {
      fs.linkSync(from, path.join(bin, file));
    } catch {
      fs.copyFileSync(from, path.join(bin, file));
      fs.chmodSync(path.join(bin, file), 0o755);
    }
  }
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, stringify(config), { mode: 0o600 });
  // The objects the `kubectl get`-style examples name (deploy frontend and api, svc frontend).
  await kubectlOk(['create', 'deployment', 'frontend', '--image', 'nginx', '-n', ns]);
  await kubectlOk(['create', 'deployment', 'api', '--image', 'nginx', '-n', ns]);
  await kubectlOk(['create', 'service', 'clusterip', 'frontend', '--tcp', '80', '-n', ns]);
  env = {
    ...process.env,
    NO_COLOR: '1',
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: path.join(dir, 'cache'),
    PATH: [bin, path.dirname(cluster.kubectl), process.env.PATH ?? ''].join(path.delimiter),
  };
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (bin) fs.rmSync(bin, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one line; a watchq line is interrupted once it says it has synced (or after 20 s), a
 * `-w` line after 3 s of watching (Ctrl-C ends a watch with exit 0); `watchq --once` ends by itself.
 */
function runLine(line: string): Promise<Run> {
  const watch = /\s(?:-w|--watch|--watch-only)(?:\s|$)/.test(line);
  const long = (/\bkubectl watchq\b/.test(line) && !/\s--once(?:\s|$)/.test(line)) || watch;
  return new Promise((resolve, reject) => {
    // `exec`: the shell becomes kubectl (which execs the plugin), so Ctrl-C's SIGINT reaches the
    // plugin alone and its exit code is the line's, as on a terminal where the shell stays alive.
    const child = spawn('/bin/sh', ['-c', long ? `exec ${line}` : line], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopping: NodeJS.Timeout | undefined;
    const stop = () => {
      stopping ??= setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 1500);
    };
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (long && /Synced \d+ objects/.test(stderr)) stop();
    });
    const fallback = setTimeout(() => (long ? stop() : process.kill(-child.pid!, 'SIGKILL')), watch ? 3000 : long ? 20_000 : 180_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(fallback);
      clearTimeout(stopping);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

test('README and the docs pages have plugin lines in their code blocks, the Try it section among them', (t) => {
  t.true(lines.length >= 10, `README: ${lines.length} lines`);
  t.true(lines.some((l) => l.startsWith('kubectl mkdeploy -f examples/crd.yaml')));
  for (const plugin of ['lsres', 'dynget', 'mkdeploy', 'watchq']) {
    const page = pages.find((p) => p.page === `docs/${plugin}.md`);
    t.truthy(page, `docs/${plugin}.md exists`);
    t.true((page?.lines ?? []).some((l) => l.startsWith(`kubectl ${plugin}`)), `docs/${plugin}.md has a kubectl ${plugin} example`);
  }
  const all = pages.flatMap((p) => p.lines);
  t.true(all.length >= 40, `${all.length} lines in all`);
  for (const { page, lines: pageLines } of pages) {
    for (const line of pageLines) {
      for (const file of line.match(/examples\/[\w.-]*/g) ?? []) t.true(fs.existsSync(path.join(repoRoot, file)), `${page}: ${line}: ${file} is shipped`);
    }
  }
});

for (const { page, lines: pageLines } of pages) {
  const name = page === 'README.md' ? 'README' : page;
  for (const [i, line] of pageLines.entries()) registerLine(`${name} line ${i + 1}: ${line}`, line);
}

function registerLine(title: string, line: string): void {
  test.serial(title, async (t) => {
    const run = await runLine(line);
    t.is(run.code, 0, `exit ${run.code ?? run.signal}\n${run.stderr}`);
    t.notRegex(run.stderr, /^error:/m);
    // The Try it section's watchq claims, checked.
    if (/^kubectl watchq\s+#/.test(line)) t.regex(run.stdout, /^Sync\/Add\/Update for Deployment demo-1, Replicas: 1$/m);
    if (/^kubectl watchq -A\s/.test(line)) t.regex(run.stdout, new RegExp(`^Sync/Add/Update for Deployment ${ns}/demo-1, Replicas: 1$`, 'm'));
    if (line.includes('--exec examples/reconcile.sh')) t.regex(run.stderr, new RegExp(`reconcile: ${ns}/demo-settings \\(attempt 1`));
  });
}
