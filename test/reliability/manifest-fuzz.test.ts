/**
 * Manifest parsing end to end (issue 10, property tests): whatever arrives on `mkdeploy -f -`,
 * the command either prints the objects (exit 0) or refuses with exit 2 and one `error:` line:
 * never another code, a stack trace, or "unexpected failure". test/shared/manifests fuzzes the
 * parser alone with short strings; here the inputs are shaped like YAML and JSON (token soup,
 * generated values, mutated manifests, nested Lists, invalid UTF-8) and go through the runner
 * that turns errors into exit codes. `--dry-run=client` needs no cluster, so this runs in-process.
 */
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { stringify } from 'yaml';
import { runPlugin } from '../../shared/cli/run-plugin.ts';
import { splitDocuments } from '../../shared/manifests/split-documents.ts';
import { ExitCode } from '../../shared/errors.ts';
import { maxManifestBytes } from '../../shared/manifests/read-sources.ts';
import { mkdeploy } from '../../plugins/mkdeploy/command.ts';
import { memoryStreams } from '../helpers/streams.ts';
import { stackLine } from './contract.ts';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function mkdeployStdin(input: string | Buffer): Promise<Outcome> {
  const streams = memoryStreams();
  const code = await runPlugin(mkdeploy, ['-f', '-', '--dry-run=client', '-o', 'json'], { ...streams, stdin: Readable.from([Buffer.from(input)]) }, { env: {} });
  return { code, stdout: streams.out(), stderr: streams.err() };
}

/** The property: exit 0 with the objects as JSON, or exit 2 with one error line (and maybe a hint). */
function problem(o: Outcome): string | undefined {
  if (o.code === ExitCode.ok) {
    // Each object printed on its own, one JSON value after another (as kubectl create prints them).
    let objects: unknown[];
    try {
      objects = splitDocuments(o.stdout).map((d) => d.value);
    } catch {
      return `exit 0 but stdout is not JSON: ${o.stdout.slice(0, 200)}`;
    }
    for (const obj of objects as Array<{ apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; generateName?: unknown } }>) {
      const named = typeof obj.metadata?.name === 'string' || typeof obj.metadata?.generateName === 'string';
      if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !named) return `exit 0 with an incomplete object: ${JSON.stringify(obj).slice(0, 200)}`;
    }
    return o.stderr === '' ? undefined : `exit 0 with stderr: ${o.stderr}`;
  }
  if (o.code !== ExitCode.usage) return `exit ${o.code}: ${o.stderr}`;
  if (o.stdout !== '') return `stdout on failure: ${o.stdout.slice(0, 200)}`;
  if (stackLine.test(o.stderr) || /unexpected failure/.test(o.stderr)) return `a crash: ${o.stderr}`;
  const lines = o.stderr.split('\n').filter((l) => l !== '');
  if (!lines[0]?.startsWith('error: ') || lines.length > 2 || (lines[1] !== undefined && !lines[1].startsWith('hint: '))) return `not one error line: ${o.stderr}`;
  return undefined;
}

/** Process warnings (a plugin process prints them on stderr, beside its one error line). */
const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(warning.message));

async function check(t: ExecutionContext, arbitrary: fc.Arbitrary<string | Buffer>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const found = problem(await mkdeployStdin(input));
      if (found) throw new Error(found);
    }),
    { numRuns },
  );
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(warnings, [], 'no process warnings (they would be printed on stderr)');
}

const tokens = [
  '---\n', '...\n', 'apiVersion: v1\n', 'apiVersion: apps/v1\n', 'apiVersion: \n', 'kind: ConfigMap\n', 'kind: List\n', 'kind: PodList\n',
  'items:\n', '- ', 'metadata:\n', '  name: web\n', 'metadata: {name: db}\n', '  ', ': ', '&a ', '*a', '*b', '<<: *a\n', '!!binary ',
  '!!str ', '!!map ', '!!set ', '!!timestamp ', '!local ', '{', '}', '[', ']', ',', '"', "'", '|\n', '>-\n', '# comment\n', '%YAML 1.2\n',
  '%TAG ! tag:example.com,2000:\n', '? ', '\t', '\n', '\r\n', '\ufeff', '\u0000', 'null', '~', '1e999', '0x1F', '.inf', 'true', 'name: ',
  '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}', '\\', 'é', '😀', '\ud800',
];

const tokenSoup = fc.array(fc.constantFrom(...tokens), { maxLength: 40 }).map((parts) => parts.join(''));

/** Objects shaped like manifests, fields sometimes missing or of the wrong type, Lists nested. */
const manifestish = fc.letrec((tie) => ({
  object: fc.oneof(
    { weight: 4, arbitrary: fc.record({ apiVersion: fc.oneof(fc.constantFrom('v1', 'apps/v1', ''), fc.jsonValue()), kind: fc.oneof(fc.constantFrom('ConfigMap', 'Deployment', ''), fc.jsonValue()), metadata: fc.oneof(fc.record({ name: fc.oneof(fc.constantFrom('a', 'b-c', ''), fc.jsonValue()) }, { requiredKeys: [] }), fc.jsonValue()) }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.record({ apiVersion: fc.constant('v1'), kind: fc.constantFrom('List', 'ConfigMapList'), items: fc.array(tie('object'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.jsonValue() },
  ),
})).object;

const asYamlOrJson = (value: unknown) => fc.constantFrom(JSON.stringify(value) ?? 'null', stringify(value), `${stringify(value)}---\n${stringify(value)}`);

const valid = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  k: v\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n';
/** A valid manifest with a slice cut out and something else put in. */
const mutated = fc
  .tuple(fc.nat(valid.length), fc.nat(20), fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 10 })))
  .map(([at, cut, put]) => valid.slice(0, at) + put + valid.slice(at + cut));

test('arbitrary text (any code points) on stdin: objects or exit 2', (t) => check(t, fc.string({ unit: 'binary', maxLength: 200 }), 200));
test('arbitrary bytes (invalid UTF-8 too): objects or exit 2', (t) => check(t, fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)), 200));
test('YAML token soup (anchors, aliases, tags, directives, flow, block scalars): objects or exit 2', (t) => check(t, tokenSoup, 400));
test('manifest-shaped values, as JSON or YAML: objects or exit 2', (t) => check(t, manifestish.chain(asYamlOrJson), 300));
test('a valid manifest, mutated: objects or exit 2', (t) => check(t, mutated, 300));

test('a collection as a mapping key: the object, and no warning printed by the YAML parser', async (t) => {
  const o = await mkdeployStdin('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keys}\ndata:\n  [a, b]: c\n');
  t.is(problem(o), undefined);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(warnings, []);
});

test('a YAML alias bomb is refused quickly (exit 2)', async (t) => {
  const levels = Array.from({ length: 9 }, (_, i) => {
    const name = String.fromCharCode(97 + i);
    const prev = String.fromCharCode(96 + i);
    return i === 0 ? `${name}: &${name} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` : `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
  });
  const started = performance.now();
  const o = await mkdeployStdin(levels.join('\n'));
  t.is(problem(o), undefined);
  t.is(o.code, ExitCode.usage);
  t.regex(o.stderr, /excessive aliasing/);
  t.true(performance.now() - started < 5000);
});

test('Lists nested thousands deep: exit 2, not a stack overflow', async (t) => {
  let value: unknown = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep' } };
  for (let i = 0; i < 5000; i++) value = { apiVersion: 'v1', kind: 'List', items: [value] };
  const o = await mkdeployStdin(JSON.stringify(value));
  t.is(problem(o), undefined, o.stderr);
  // 5000 Lists are 15,000 levels of JSON: refused by the nesting limit before parsing (nesting-limit.ts).
  t.regex(o.stderr, /^error: <stdin>: line 1: nested more than 500 levels deep \(manifests may nest at most 500 levels\)$/m);
});

test('flow collections nested thousands deep: exit 2', async (t) => {
  for (const text of [`a: ${'['.repeat(5000)}${']'.repeat(5000)}`, `${'['.repeat(5000)}${']'.repeat(5000)}`, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`]) {
    const o = await mkdeployStdin(text);
    t.is(problem(o), undefined, o.stderr);
    t.is(o.code, ExitCode.usage);
  }
});

test('more than the limit on stdin (10 MB): exit 2', async (t) => {
  const o = await mkdeployStdin(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "${'x'.repeat(10 * 1024 * 1024)}"\n`);
  t.is(problem(o), undefined, o.stderr);
  t.regex(o.stderr, new RegExp(`^error: <stdin>: more than the ${maxManifestBytes / 1024 / 1024} MiB a manifest may have$`, 'm'));
});
