/**
 * Help against kubectl's, section by section: the same sections in the same order (description,
 * Examples, Options, Usage, the `options` line), the same shape of each (two-space examples with
 * `  ` between them, `    -x, --name=default:` then the tab-indented description, a `[options]`
 * usage), and the same head line for every flag both have (their defaults and quoting).
 * `kubectl <plugin> options` against `kubectl options`; `completion --help` in the same layout.
 * Only the texts are ours.
 */
import test from 'ava';
import { ensureCluster, kubectl } from '../helpers/cluster.ts';
import { runPlugin } from '../helpers/plugin.ts';

test.before(async () => {
  await ensureCluster();
});

interface Sections {
  description: string;
  /** Headings in order (`Examples`, `Options`, `Usage`), and the last `Use "…"` line. */
  order: string[];
  body: Map<string, string>;
  tip: string;
}

function sections(help: string): Sections {
  const lines = help.replace(/\n$/, '').split('\n');
  const order: string[] = [];
  const body = new Map<string, string[]>();
  const description: string[] = [];
  let current: string[] = description;
  let tip = '';
  for (const line of lines) {
    const heading = line.match(/^([A-Z][A-Za-z ]*):$/);
    if (heading) {
      order.push(heading[1]!);
      current = [];
      body.set(heading[1]!, current);
    } else if (line.startsWith('Use "')) {
      tip = line;
    } else current.push(line);
  }
  return { description: description.join('\n').trim(), order: order.filter((h) => h !== 'Aliases'), body: new Map([...body].map(([k, v]) => [k, v.join('\n').replace(/\n+$/, '')])), tip };
}

/** `    -o, --output='':` → the flag's name and its head line. */
function flagHeads(options: string): Map<string, string> {
  const heads = new Map<string, string>();
  for (const line of options.split('\n')) {
    const m = line.match(/^ {4}(?:-\w, )?--([\w-]+)=.*:$/);
    if (m) heads.set(m[1]!, line);
  }
  return heads;
}

/** Every Options entry: its head line, then one or more tab-indented lines, then a blank line. */
const entryShape = /^(?: {4}(?:-\w, )?--[\w-]+=[^\n]*:\n(?:\t[^\n]*\n)+\n)+$/;
/** Examples: `  # text`, `  command`, entries separated by a line of two spaces. */
const exampleShape = /^(?: {2}# [^\n]+\n(?: {2}[^#\s][^\n]*\n)+(?: {2}\n)?)+$/;

const pairs: Array<{ plugin: 'lsres' | 'dynget' | 'mkdeploy' | 'watchq'; kubectl: string[]; shared: string[] }> = [
  { plugin: 'lsres', kubectl: ['get', '--help'], shared: ['all-namespaces', 'chunk-size', 'field-selector', 'no-headers', 'output', 'selector', 'show-managed-fields'] },
  { plugin: 'dynget', kubectl: ['get', '--help'], shared: ['all-namespaces', 'chunk-size', 'field-selector', 'no-headers', 'output', 'raw', 'selector', 'show-managed-fields'] },
  { plugin: 'mkdeploy', kubectl: ['create', 'deployment', '--help'], shared: ['dry-run', 'image', 'output', 'port', 'replicas', 'validate'] },
  { plugin: 'watchq', kubectl: ['get', '--help'], shared: ['all-namespaces', 'selector'] },
];

for (const pair of pairs) {
  test(`${pair.plugin} --help has kubectl ${pair.kubectl.slice(0, -1).join(' ')}'s layout`, async (t) => {
    const [ours, theirs] = await Promise.all([runPlugin(pair.plugin, ['--help']), kubectl(pair.kubectl)]);
    t.is(ours.code, 0, ours.stderr);
    t.is(ours.stderr, '');
    const a = sections(ours.stdout);
    const b = sections(theirs.stdout);
    t.deepEqual(a.order, b.order, 'the same sections in the same order');
    t.deepEqual(a.order, ['Examples', 'Options', 'Usage']);
    t.not(a.description, '');
    t.regex(`${a.body.get('Examples')}\n`, exampleShape, 'examples');
    t.regex(`${b.body.get('Examples')}\n`, exampleShape, 'kubectl examples, the same shape');
    t.regex(`${a.body.get('Options')}\n\n`, entryShape, 'options');
    t.regex(`${b.body.get('Options')}\n\n`, entryShape, 'kubectl options, the same shape');
    const ourHeads = flagHeads(a.body.get('Options')!);
    const theirHeads = flagHeads(b.body.get('Options')!);
    for (const flag of pair.shared) {
      if (theirHeads.has(flag)) t.is(ourHeads.get(flag), theirHeads.get(flag), `--${flag}`);
      else t.true(ourHeads.has(flag), `--${flag} (ours only)`);
    }
    t.false(ourHeads.has('namespace'), 'global flags are left to the options command, as kubectl leaves them');
    for (const line of a.body.get('Usage')!.split('\n')) t.regex(line, /^ {2}kubectl \w+ .*\[options\]/);
    t.regex(b.body.get('Usage')!, /^ {2}kubectl .*\[options\]$/);
    t.is(a.tip, `Use "kubectl ${pair.plugin} options" for a list of global command-line options (applies to all commands).`);
    t.is(b.tip, 'Use "kubectl options" for a list of global command-line options (applies to all commands).');
    // Not wrapped on a pipe, as kubectl: each description one line.
    for (const entry of a.body.get('Options')!.split('\n\n')) t.is(entry.split('\n').length, 2, entry);
  });
}

test('-h is --help, anywhere on the line', async (t) => {
  const [long, short] = await Promise.all([runPlugin('lsres', ['--help']), runPlugin('lsres', ['pods', '-n', 'x', '-h'])]);
  t.is(short.code, 0);
  t.is(short.stdout, long.stdout);
});

test("kubectl lsres options prints the global flags as kubectl options prints kubectl's", async (t) => {
  const [ours, theirs] = await Promise.all([runPlugin('lsres', ['options']), kubectl(['options'])]);
  t.is(ours.code, 0, ours.stderr);
  const [ourTitle, ...ourRest] = ours.stdout.split('\n\n');
  const [theirTitle] = theirs.stdout.split('\n\n');
  t.is(ourTitle, theirTitle);
  t.regex(ourRest.join('\n\n'), entryShape);
  t.true(ours.stdout.endsWith('\n\n') && theirs.stdout.endsWith('\n\n'), 'both end with the blank line after the last entry');
  const ourHeads = flagHeads(ours.stdout);
  const theirHeads = flagHeads(theirs.stdout);
  const globals = ['as', 'as-group', 'cluster', 'context', 'insecure-skip-tls-verify', 'kubeconfig', 'namespace', 'request-timeout', 'server', 'token', 'user', 'v'];
  for (const flag of globals) t.is(ourHeads.get(flag), theirHeads.get(flag), `--${flag}`);
  t.deepEqual([...ourHeads.keys()].sort(), [...globals].sort(), 'only the global flags');
});

test('completion --help: the same layout as kubectl completion --help', async (t) => {
  const [ours, theirs] = await Promise.all([runPlugin('watchq', ['completion', '--help']), kubectl(['completion', '--help'])]);
  t.is(ours.code, 0, ours.stderr);
  const a = sections(ours.stdout);
  const b = sections(theirs.stdout);
  t.deepEqual(a.order.filter((h) => h !== 'Options'), b.order);
  t.deepEqual(a.order, ['Examples', 'Options', 'Usage']);
  t.regex(`${a.body.get('Examples')}\n`, exampleShape);
  t.regex(a.body.get('Usage')!, /^ {2}kubectl watchq completion SHELL \[options\]/);
  t.regex(b.body.get('Usage')!, /^ {2}kubectl completion SHELL \[options\]$/);
  t.is(a.tip, 'Use "kubectl watchq options" for a list of global command-line options (applies to all commands).');
});

test('completion with no shell is a usage error pointing at completion --help', async (t) => {
  const r = await runPlugin('lsres', ['completion']);
  t.is(r.code, 2);
  t.regex(r.stderr, /^error: usage: kubectl lsres completion bash\|zsh\|fish.*\nhint: see 'kubectl lsres completion --help'\n$/);
});
