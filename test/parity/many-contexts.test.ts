/**
 * --context a,b,c and --all-contexts (lsres, dynget): a kubeconfig with two admin contexts on the
 * local cluster (each its own namespace), one context of a ServiceAccount with no rights (every
 * list denied) and one unreachable server. Each context's part of our output is compared with
 * what `kubectl --context X get …` prints for that context; the CONTEXT column, the `error:
 * context "x": …` lines and the exit code (the most severe failure) are checked.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk, serviceAccountKubeconfig } from '../helpers/cluster.ts';
import { maskAges } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';

const A = 'mc-admin-a';
const B = 'mc-admin-b';
const DENIED = 'mc-denied';
const DOWN = 'mc-down';
let nsA = '';
let nsB = '';
let kubeconfig = '';
let dir = '';

interface NamedEntry {
  name: string;
  [key: string]: unknown;
}

test.before(async () => {
  await ensureCluster();
  [nsA, nsB] = await Promise.all([createNamespace('mc-a'), createNamespace('mc-b')]);
  // The same types in both (a deployment without pods, a service, a ConfigMap), other names.
  await Promise.all([
    kubectlOk(['create', 'deployment', 'web-a', '--image=nginx', '--replicas=0', '-n', nsA]),
    kubectlOk(['create', 'service', 'clusterip', 'web-a', '--tcp=80', '-n', nsA]),
    kubectlOk(['create', 'configmap', 'conf-a', '--from-literal=k=v', '-n', nsA]),
    kubectlOk(['create', 'deployment', 'web-b', '--image=nginx', '--replicas=0', '-n', nsB]),
    kubectlOk(['create', 'service', 'clusterip', 'web-b', '--tcp=81', '-n', nsB]),
    kubectlOk(['create', 'configmap', 'conf-b', '--from-literal=k=v', '-n', nsB]),
  ]);
  const denied = JSON.parse(await kubectlOk(['config', 'view', '--raw', '--flatten', '-o', 'json'], { kubeconfig: await serviceAccountKubeconfig(nsB, 'nobody') })) as {
    users: NamedEntry[];
  };
  const admin = JSON.parse(await kubectlOk(['config', 'view', '--raw', '--flatten', '-o', 'json'])) as { clusters: NamedEntry[]; users: NamedEntry[]; contexts: Array<{ context: { cluster: string; user: string } }> };
  const adminContext = admin.contexts[0]!.context;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [...admin.clusters, { name: 'mc-unreachable', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [...admin.users, { ...denied.users[0]!, name: 'mc-nobody' }],
    contexts: [
      { name: A, context: { cluster: adminContext.cluster, user: adminContext.user, namespace: nsA } },
      { name: B, context: { cluster: adminContext.cluster, user: adminContext.user, namespace: nsB } },
      { name: DENIED, context: { cluster: adminContext.cluster, user: 'mc-nobody', namespace: nsB } },
      { name: DOWN, context: { cluster: 'mc-unreachable', user: adminContext.user } },
    ],
    'current-context': A,
  };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'many-contexts-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, JSON.stringify(config), { mode: 0o600 });
});

test.after.always(async () => {
  await Promise.all([deleteNamespace(nsA), deleteNamespace(nsB)]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const lsres = (args: string[]) => runPlugin('lsres', ['--kubeconfig', kubeconfig, ...args]);
const dynget = (args: string[]) => runPlugin('dynget', ['--kubeconfig', kubeconfig, ...args]);
const theirs = (context: string, args: string[]) => kubectl(['--context', context, ...args], { kubeconfig });

/** A table's cells (kubectl pads with two or more spaces; no cell here has two in a row). */
const cells = (line: string) => maskAges(line).trimEnd().split(/ {2,}/);

/** Our tables as one context would have printed them: its rows, the CONTEXT column dropped. */
function partOf(ours: string, context: string): string[][][] {
  const tables = ours.trimEnd().split('\n\n').map((block) => block.split('\n'));
  const parts: string[][][] = [];
  for (const [header, ...rows] of tables) {
    const mine = rows.filter((row) => cells(row)[0] === context).map((row) => cells(row).slice(1));
    if (mine.length > 0) parts.push([cells(header!).slice(1), ...mine]);
  }
  return parts;
}
const tablesOf = (text: string) => text.trimEnd().split('\n\n').map((block) => block.split('\n').map(cells));

/** Every row starts its second column where the header does: widths aligned across contexts. */
function aligned(text: string): boolean {
  return text
    .trimEnd()
    .split('\n\n')
    .every((block) => {
      const [header, ...rows] = block.split('\n');
      const at = header!.search(/(?<=^CONTEXT +)\S/);
      return at > 0 && rows.every((row) => row[at - 1] === ' ' && row[at] !== ' ' && !row.slice(0, at).trim().includes(' '));
    });
}

test('--context a,b,denied,down: one table per type, each context its kubectl part, errors per context, exit 5', async (t) => {
  const [ours, ofA, ofB, ofDenied] = await Promise.all([
    lsres(['--context', `${A},${B},${DENIED},${DOWN}`]),
    theirs(A, ['get', 'pods,deployments,services']),
    theirs(B, ['get', 'pods,deployments,services']),
    theirs(DENIED, ['get', 'pods,deployments,services']),
  ]);
  t.is(ours.code, 5, ours.stderr);
  t.regex(ours.stdout, /^CONTEXT +NAME +READY +UP-TO-DATE/m);
  t.true(aligned(ours.stdout), ours.stdout);
  t.deepEqual(partOf(ours.stdout, A), tablesOf(ofA.stdout));
  t.deepEqual(partOf(ours.stdout, B), tablesOf(ofB.stdout));
  // The rows of A come before those of B in each table.
  t.true(ours.stdout.indexOf(`${A} `) < ours.stdout.indexOf(`${B} `));
  // kubectl's refusals for the denied context, each as ours with the context's name.
  const refusals = ofDenied.stderr.trim().split('\n').map((line) => line.replace(/^Error from server \(Forbidden\): /, `error: context "${DENIED}": `));
  t.is(ofDenied.code, 1);
  t.is(refusals.length, 3);
  const errLines = ours.stderr.trim().split('\n');
  t.deepEqual(errLines.filter((l) => l.includes(`"${DENIED}"`)), refusals);
  t.deepEqual(
    errLines.filter((l) => l.includes(`"${DOWN}"`)),
    [`error: context "${DOWN}": unable to connect to the server https://127.0.0.1:1: connection refused`],
  );
  t.is(errLines.length, 4, ours.stderr);
  t.notRegex(ours.stderr, /at .*\.ts:\d+|token/i);
});

test('exit code: the most severe failure (denied alone 3, none 0); one context alone is kubectl byte for byte', async (t) => {
  const [denied, fine, one, kubectlOne] = await Promise.all([
    lsres(['--context', `${A},${DENIED}`, 'svc']),
    lsres(['--context', `${B},${A}`, 'svc']),
    lsres(['--context', A]),
    theirs(A, ['get', 'pods,deployments,services']),
  ]);
  t.is(denied.code, 3, denied.stderr);
  t.is(denied.stderr, `error: context "${DENIED}": services is forbidden: User "system:serviceaccount:${nsB}:nobody" cannot list resource "services" in API group "" in the namespace "${nsB}"\n`);
  t.is(fine.code, 0, fine.stderr);
  t.is(fine.stderr, '');
  // The order typed: B's rows first.
  t.deepEqual(
    fine.stdout.trimEnd().split('\n').slice(1).map((l) => cells(l).slice(0, 2)),
    [[B, 'web-b'], [A, 'web-a']],
  );
  t.is(one.code, 0, one.stderr);
  t.is(maskAges(one.stdout), maskAges(kubectlOne.stdout));
});

test('-o name: context/kind/name lines, each context its kubectl part', async (t) => {
  const [ours, ofA, ofB] = await Promise.all([
    lsres(['--context', `${A},${DOWN},${B}`, '-o', 'name']),
    theirs(A, ['get', 'pods,deployments,services', '-o', 'name']),
    theirs(B, ['get', 'pods,deployments,services', '-o', 'name']),
  ]);
  t.is(ours.code, 5);
  t.is(ours.stdout, [...ofA.stdout.trim().split('\n').map((l) => `${A}/${l}`), ...ofB.stdout.trim().split('\n').map((l) => `${B}/${l}`)].join('\n') + '\n');
  t.regex(ours.stderr, new RegExp(`^error: context "${DOWN}": `));
});

test('-o json|yaml: one List per context in order, metadata.context, otherwise kubectl\'s List', async (t) => {
  const [json, yaml, ofA, ofB] = await Promise.all([
    lsres(['--context', `${A},${B},${DENIED}`, 'deploy,cm', '-o', 'json']),
    lsres(['--context', `${A},${B}`, 'deploy,cm', '-o', 'yaml']),
    theirs(A, ['get', 'deploy,cm', '-o', 'json']),
    theirs(B, ['get', 'deploy,cm', '-o', 'json']),
  ]);
  t.is(json.code, 3, json.stderr);
  // Pretty JSON documents one after another (jq reads them as a stream); the denied context's List is empty.
  const docs = json.stdout.split(/(?<=^\})\n/m).filter((d) => d.trim() !== '').map((d) => JSON.parse(d) as { metadata: Record<string, unknown>; items: unknown[] });
  t.deepEqual(docs.map((d) => d.metadata['context']), [A, B, DENIED]);
  const withoutContext = (d: { metadata: Record<string, unknown> }) => ({ ...d, metadata: Object.fromEntries(Object.entries(d.metadata).filter(([k]) => k !== 'context')) });
  t.deepEqual(withoutContext(docs[0]!), JSON.parse(ofA.stdout));
  t.deepEqual(withoutContext(docs[1]!), JSON.parse(ofB.stdout));
  t.deepEqual(docs[2]!.items, []);
  t.is(yaml.code, 0, yaml.stderr);
  const { parseAllDocuments } = await import('yaml');
  const yamlDocs = parseAllDocuments(yaml.stdout).map((d) => d.toJSON() as { metadata: Record<string, unknown> });
  t.deepEqual(yamlDocs.map((d) => d.metadata['context']), [A, B]);
  t.deepEqual(withoutContext(yamlDocs[1]!), JSON.parse(ofB.stdout));
});

test('--all-contexts: every context of the kubeconfig in its order, as --context with all of them', async (t) => {
  const [all, listed] = await Promise.all([lsres(['--all-contexts', '-o', 'name']), lsres(['--context', `${A},${B},${DENIED},${DOWN}`, '-o', 'name'])]);
  t.is(all.code, 5);
  t.is(all.stdout, listed.stdout);
  t.is(all.stderr, listed.stderr);
  t.true(all.stdout.startsWith(`${A}/`));
});

test('dynget --context a,b -A cm: CONTEXT before NAMESPACE, UID kept, each part as kubectl', async (t) => {
  const [ours, ofA] = await Promise.all([dynget(['--context', `${A},${B}`, 'cm', '-A', '--field-selector', `metadata.name=conf-a`]), theirs(A, ['get', 'cm', '-A', '--field-selector', 'metadata.name=conf-a'])]);
  t.is(ours.code, 0, ours.stderr);
  const [header, ...rows] = ours.stdout.trimEnd().split('\n').map(cells);
  t.deepEqual(header, ['CONTEXT', 'NAMESPACE', 'NAME', 'DATA', 'AGE', 'UID']);
  t.deepEqual(rows.map((r) => r.slice(0, 3)), [[A, nsA, 'conf-a'], [B, nsA, 'conf-a']]);
  // Both contexts see the same cluster: the same object, kubectl's cells before our UID.
  t.deepEqual(rows.map((r) => r.slice(1, -1)), [cells(ofA.stdout.trimEnd().split('\n')[1]!), cells(ofA.stdout.trimEnd().split('\n')[1]!)]);
  t.regex(rows[0]!.at(-1)!, /^[0-9a-f-]{36}$/);
});

test('refused with exit 2 and one line, before any request: --all-contexts with --context, --server/--token/--user/--cluster, empty or repeated names, -w', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['--all-contexts', '--context', A], /^error: --all-contexts and --context cannot be used together$/],
    [['--context', `${A},${B}`, '--server', 'https://127.0.0.1:2'], /^error: --server cannot be used with several contexts: it would apply to every context alike$/],
    [['--all-contexts', '--token', 'x'], /^error: --token cannot be used with --all-contexts: it would apply to every context alike$/],
    [['--context', `${A},${B}`, '--user', 'u'], /^error: --user cannot be used/],
    [['--context', `${A},${B}`, '--cluster', 'c'], /^error: --cluster cannot be used/],
    [['--context', `${A},,${B}`], /^error: invalid --context "[^"]+": an empty name in the list$/],
    [['--context', `${A},${A}`], /^error: invalid --context "[^"]+": context "mc-admin-a" is given twice$/],
    [['--context', `${A},${B}`, 'pods', '-w'], /^error: --watch takes one context, not several$/],
  ];
  for (const [args, message] of cases) {
    const r = await lsres(args);
    t.is(r.code, 2, args.join(' '));
    t.is(r.stdout, '');
    t.regex(r.stderr.split('\n')[0]!, message, args.join(' '));
    t.false(/\n.+\n.+/.test(r.stderr.trim()), r.stderr);
  }
});

test('completion: contexts after --context, the next one after a comma (not those already given)', async (t) => {
  const complete = (plugin: string, words: string[]) => runPlugin(plugin, ['__complete', '--kubeconfig', kubeconfig, ...words]);
  const [first, next, attached] = await Promise.all([complete('lsres', ['--context', 'mc-admin']), complete('dynget', ['--context', `${A},`]), complete('lsres', [`--context=${A},${B},mc-d`])]);
  t.deepEqual(first.stdout.trim().split('\n'), [A, B, ':4']);
  t.deepEqual(next.stdout.trim().split('\n'), [`${A},${B}`, `${A},${DENIED}`, `${A},${DOWN}`, ':4']);
  t.deepEqual(attached.stdout.trim().split('\n'), [`--context=${A},${B},${DENIED}`, `--context=${A},${B},${DOWN}`, ':4']);
});

test('the kind prefix as one context prints it (several types asked, one answered with rows); "No resources found" per context as kubectl says it', async (t) => {
  const [ours, ofA, empty, emptyA, emptyB] = await Promise.all([
    lsres(['--context', `${A},${B}`, 'pods,svc']),
    theirs(A, ['get', 'pods,svc']),
    lsres(['--context', `${A},${B}`, 'cm', '--field-selector', 'metadata.name=mc-none']),
    theirs(A, ['get', 'cm', '--field-selector', 'metadata.name=mc-none']),
    theirs(B, ['get', 'cm', '--field-selector', 'metadata.name=mc-none']),
  ]);
  t.is(ours.code, 0, ours.stderr);
  t.regex(ofA.stdout, /^service\/web-a /m);
  t.deepEqual(partOf(ours.stdout, A), tablesOf(ofA.stdout));
  t.is(empty.code, 0);
  t.is(empty.stdout, '');
  t.is(empty.stderr, `context "${A}": ${emptyA.stderr}context "${B}": ${emptyB.stderr}`);
});

test('-o jsonpath: the template runs on each context\'s List in turn, which carries metadata.context', async (t) => {
  const [ours, ofA] = await Promise.all([lsres(['--context', `${A},${DOWN},${B}`, 'svc', '-o', 'jsonpath={.metadata.context}: {.items[*].metadata.name}{"\\n"}']), theirs(A, ['get', 'svc', '-o', 'jsonpath={.items[*].metadata.name}{"\\n"}'])]);
  t.is(ours.code, 5);
  t.is(ours.stdout, `${A}: ${ofA.stdout}${B}: web-b\n`);
});
