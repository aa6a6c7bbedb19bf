/**
 * mkdeploy against kubectl create: `mkdeploy NAME --image …` prints what `kubectl create
 * deployment` prints (client dry run byte for byte; server dry run and real creates as the
 * server returned them), --validate as kubectl's flag with the server's warnings on stderr, and
 * the cases a stale discovery cache or objects that already exist used to get wrong.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { sameAsKubectl, type Outcome, runTag } from '../helpers/oracle.ts';
import { repoRoot, runPlugin } from '../helpers/plugin.ts';
import { waitFor } from '../helpers/wait.ts';

const run = runTag();
let ns = '';
let kubeconfig = '';
let dir = '';

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('parity-mkdeploy');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-mkdeploy-'));
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  await kubectl(['delete', 'crd', '-l', `parity=${run}`, '--wait=false']);
  fs.rmSync(dir, { recursive: true, force: true });
});

const mkdeploy = (args: string[], env?: NodeJS.ProcessEnv) => (): Promise<Outcome> => runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, ...args], env ? { env } : {});
const oracle = (args: string[]) => (): Promise<Outcome> => kubectl(args);
/** What the server makes up: ids, times, and the name when two creates must not collide. */
const volatile = (text: string) =>
  text
    .replace(/("?(?:uid|creationTimestamp|resourceVersion)"?: )"?[^"\n,]*"?/g, '$1…')
    .replace(/\b(web|api)-(ours|kubectl)\b/g, '$1-NAME');

const createForms: string[][] = [
  ['web', '--image=nginx:1.27'],
  ['web', '--image', 'nginx', '--replicas', '3', '--port', '8080'],
  ['web', '--image', 'registry.example.test:5000/team/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
  ['web', '--image', 'nginx', '--image', 'redis:7'],
  ['web', '--image', 'busybox', '--', 'sleep', '3600'],
  ['web', '--image', 'nginx', '-n', 'NS'],
];

for (const form of createForms) {
  test(`mkdeploy ${form.join(' ')} --dry-run=client prints what kubectl create deployment prints`, async (t) => {
    const args = form.map((a) => (a === 'NS' ? ns : a));
    const dashed = args.indexOf('--');
    const [before, after] = dashed < 0 ? [args, []] : [args.slice(0, dashed), args.slice(dashed)];
    for (const o of ['yaml', 'json', 'name']) {
      await sameAsKubectl(t, `-o ${o}`, mkdeploy([...before, '--dry-run=client', '-o', o, ...after]), oracle(['create', 'deployment', ...before, '--dry-run=client', '-o', o, ...after]));
    }
    await sameAsKubectl(t, 'no -o', mkdeploy([...before, '--dry-run=client', ...after]), oracle(['create', 'deployment', ...before, '--dry-run=client', ...after]));
  });
}

test('--dry-run=server and a real create print the object the server returned, as kubectl does', async (t) => {
  for (const o of ['yaml', 'json']) {
    await sameAsKubectl(t, `server dry run -o ${o}`, mkdeploy(['web', '--image', 'nginx', '--port', '80', '-n', ns, '--dry-run=server', '-o', o]), oracle(['create', 'deployment', 'web', '--image', 'nginx', '--port', '80', '-n', ns, '--dry-run=server', '-o', o]), { mask: volatile });
  }
  const ours = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, 'api-ours', '--image', 'nginx', '-n', ns, '-o', 'yaml']);
  const theirs = await kubectl(['create', 'deployment', 'api-kubectl', '--image', 'nginx', '-n', ns, '-o', 'yaml']);
  t.is(ours.code, 0, ours.stderr);
  t.is(volatile(ours.stdout), volatile(theirs.stdout));
  t.regex(ours.stdout, /progressDeadlineSeconds: 600/, 'the server\'s defaults');
  t.notRegex(ours.stdout, /managedFields/);
});

test('--validate: strict refuses an unknown field, warn prints the server\'s warning, ignore drops it, as kubectl does', async (t) => {
  const file = path.join(dir, 'unknown-field.yaml');
  fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v-${run}}\nfoo: bar\ndata: {a: b}\n`);
  for (const v of ['warn', 'ignore', 'false']) {
    await sameAsKubectl(t, `--validate=${v}`, mkdeploy(['-f', file, '-n', ns, '--dry-run=server', '-o', 'name', `--validate=${v}`]), oracle(['create', '-f', file, '-n', ns, '--dry-run=server', '-o', 'name', `--validate=${v}`]));
  }
  const strict = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-f', file, '-n', ns, '--dry-run=server', '--validate=strict']);
  t.is(strict.code, 1);
  t.regex(strict.stderr, /strict decoding error: unknown field "foo"/);
  const bad = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-f', file, '--validate=maybe']);
  t.is(bad.code, 2);
  t.is(bad.stderr, 'error: invalid - validate option "maybe"; must be one of: strict (or true), warn, ignore (or false)\n');
});

test('a CRD deleted since discovery was cached: the CRD and its object in one file are still created', async (t) => {
  const group = `stale-${run}.example.com`;
  const crd = fs.readFileSync(path.join(repoRoot, 'test/fixtures/seed/crd.yaml'), 'utf8').replace(/aiops\.org/g, group).replace(/- myres/g, `- stale${run}`);
  const labelled = crd.replace('metadata:\n  name:', `metadata:\n  labels: {parity: "${run}"}\n  name:`);
  const instance = fs.readFileSync(path.join(repoRoot, 'test/fixtures/seed/resource.yml'), 'utf8').replace(/aiops\.org/g, group);
  const file = path.join(dir, 'crd-and-object.yaml');
  fs.writeFileSync(file, `${labelled}---\n${instance}`);
  const env = { ...process.env, NO_COLOR: '1', KUBECACHEDIR: path.join(dir, 'cache') };
  await kubectlOk(['apply', '-f', '-'], { input: labelled });
  await kubectlOk(['wait', '--for=condition=Established', `crd/myresources.${group}`, '--timeout=60s']);
  // Our discovery cache now holds the type...
  await waitFor('the type in our discovery cache', async () => ((await runPlugin('dynget', ['--kubeconfig', kubeconfig, `myresources.${group}`, '-n', ns], { env })).code === 0 ? true : undefined));
  // ...and the CRD goes away.
  await kubectlOk(['delete', 'crd', `myresources.${group}`, '--wait=true']);
  const created = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-f', file, '-n', ns], { env });
  t.is(created.code, 0, created.stderr);
  t.is(created.stdout, `customresourcedefinition.apiextensions.k8s.io/myresources.${group} created\naiops.${group}/my-first-crd created\n`);
  t.notRegex(created.stderr, /404/);
});

test('a short name two groups claim: the same choice and the same warning as kubectl', async (t) => {
  const short = `wdg${run}`;
  for (const g of ['a', 'b']) {
    await kubectlOk(['apply', '-f', '-'], {
      input: `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.${g}-${run}.example.com, labels: {parity: "${run}"}}\nspec:\n  group: ${g}-${run}.example.com\n  scope: Namespaced\n  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [${short}]}\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]\n`,
    });
    await kubectlOk(['wait', '--for=condition=Established', `crd/widgets.${g}-${run}.example.com`, '--timeout=60s']);
  }
  // Fresh discovery caches on both sides: a cache warmed by another test file may predate one of the CRDs.
  const cache = path.join(dir, 'short-name-cache');
  const env = { ...process.env, NO_COLOR: '1', KUBECACHEDIR: cache };
  await sameAsKubectl(t, 'lsres', () => runPlugin('lsres', ['--kubeconfig', kubeconfig, short, '-n', ns], { env }), oracle(['get', short, '-n', ns, '--cache-dir', cache]));
  await sameAsKubectl(t, 'dynget -o name', () => runPlugin('dynget', ['--kubeconfig', kubeconfig, short, '-n', ns, '-o', 'name'], { env }), oracle(['get', short, '-n', ns, '-o', 'name', '--cache-dir', cache]));
});

test('objects that all exist already: each one reported, with the --server-side hint, nothing changed', async (t) => {
  const file = path.join(dir, 'existing.yaml');
  const space = `exist-${run}`;
  fs.writeFileSync(file, `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${space}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: one, namespace: ${space}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: two, namespace: ${space}}\n`);
  await kubectlOk(['create', '-f', file]);
  t.teardown(() => kubectl(['delete', 'namespace', space, '--wait=false']));
  const r = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-f', file]);
  t.is(r.code, 1);
  for (const what of [`namespaces "${space}" already exists`, 'configmaps "one" already exists', 'configmaps "two" already exists']) t.true(r.stderr.includes(what), `${what} in ${r.stderr}`);
  // An error line each (#26), then one hint for the run.
  t.regex(r.stderr, /\nhint: nothing was created: 3 of 3 objects were refused; use --server-side to create or update what already exists\n$/);
  t.is(r.stderr.split('\n').filter((l) => l.startsWith('error: error when creating ')).length, 3, r.stderr);
  t.is(r.stderr.split('\n').filter(Boolean).length, 4, 'three error lines and one hint');
});

test('dynget NAME -A is refused before any request, as kubectl refuses it', async (t) => {
  const theirs = await kubectl(['get', 'pods', 'x', '-A']);
  t.not(theirs.code, 0);
  t.regex(theirs.stderr, /a resource cannot be retrieved by name across all namespaces/);
  const ours = await runPlugin('dynget', ['--kubeconfig', kubeconfig, 'pods', 'x', '-A', '-v=6']);
  t.is(ours.code, 2);
  t.is(ours.stderr, 'error: a resource cannot be retrieved by name across all namespaces\n');
});

/** kubectl's `error when creating "FILE": MESSAGE` lines (after `Error from server (Reason): `), by file. */
const kubectlRefusals = (stderr: string): Array<[string, string]> =>
  [...stderr.matchAll(/error when (?:creating|applying patch[^"]*?) "([^"]+)": (.*)$/gm)].map((m) => [path.basename(m[1]!), m[2]!]);
/** Ours: `error: error when creating "FILE" (document N, line L): MESSAGE`. */
const ourRefusals = (stderr: string): Array<[string, string]> =>
  [...stderr.matchAll(/^error: error when (?:creating|applying) "([^"]+)" \(document \d+, line \d+\): (.*)$/gm)].map((m) => [path.basename(m[1]!), m[2]!]);

test('each refused object of -f gets its own error line naming its file, in the order of the files, with kubectl\'s message (#26)', async (t) => {
  const typo = path.join(dir, 'typo.yaml');
  fs.writeFileSync(typo, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo-${run}\nspec:\n  replica: 2\n  selector: {matchLabels: {app: t}}\n  template:\n    metadata: {labels: {app: t}}\n    spec: {containers: [{name: c, image: nginx}]}\n`);
  const bad = path.join(dir, 'bad-name.yaml');
  fs.writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
  const good = path.join(dir, 'good.yaml');
  fs.writeFileSync(good, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good-${run}\n`);
  // One refused object alone: its file is named (the message was bare before).
  const one = await mkdeploy(['-f', typo, '-n', ns])();
  const theirsOne = await oracle(['create', '-f', typo, '-n', ns, '--dry-run=server'])();
  t.is(one.code, 1, one.stderr);
  t.deepEqual(ourRefusals(one.stderr), kubectlRefusals(theirsOne.stderr));
  t.is(ourRefusals(one.stderr).length, 1, one.stderr);
  t.regex(one.stderr, /^hint: nothing was created$/m);
  // Two refused among three files: a line each, in the order given; kubectl's messages.
  const two = await mkdeploy(['-f', bad, '-f', good, '-f', typo, '-n', ns])();
  const theirsTwo = await oracle(['create', '-f', bad, '-f', good, '-f', typo, '-n', ns, '--dry-run=server'])();
  t.is(two.code, 1, two.stderr);
  t.deepEqual(ourRefusals(two.stderr), kubectlRefusals(theirsTwo.stderr));
  t.deepEqual(ourRefusals(two.stderr).map(([file]) => file), ['bad-name.yaml', 'typo.yaml']);
  t.notRegex(two.stderr, /; /, 'no failures joined on one line');
  t.regex(two.stderr, /^hint: nothing was created: 2 of 3 objects were refused$/m);
  t.is((await kubectl(['get', 'cm', `good-${run}`, '-n', ns])).code, 1, 'all or nothing: the good object was not created');
});

test('--force-conflicts is hinted when one object of several conflicts, as for one (#26)', async (t) => {
  const names = [`conflict-a-${run}`, `conflict-b-${run}`];
  const files = names.map((name, i) => {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "${i}"\n`);
    return file;
  });
  // Another manager owns .data.a of the first.
  await kubectlOk(['apply', '--server-side', '--field-manager', 'someone-else', '-n', ns, '-f', files[0]!]);
  fs.writeFileSync(files[0]!, fs.readFileSync(files[0]!, 'utf8').replace('a: "0"', 'a: "changed"'));
  for (const args of [['-f', files[0]!], ['-f', files[0]!, '-f', files[1]!]]) {
    const r = await mkdeploy([...args, '-n', ns, '--server-side'])();
    t.is(r.code, 1, r.stderr);
    t.regex(r.stderr, /^error: error when applying ".*conflict-a-.*\.yaml" \(document 1, line 1\): conflict applying configmaps "conflict-a-.*": Apply failed with 1 conflict: conflict with "someone-else"/m, r.stderr);
    t.regex(r.stderr, /^hint: nothing was applied(: 1 of 2 objects were refused)?; use --force-conflicts to take the fields over$/m, args.join(' '));
  }
});

interface ManagedEntry {
  manager: string;
  operation: string;
  fieldsV1?: Record<string, unknown>;
}
const liveObject = async (name: string) => JSON.parse(await kubectlOk(['get', 'cm', name, '-n', ns, '-o', 'json', '--show-managed-fields'])) as { data?: Record<string, string>; metadata: { annotations?: Record<string, string>; managedFields: ManagedEntry[] } };
/** A managed-fields set without metadata (the last-applied annotation's owners differ by design: README). */
const withoutMetadata = (fields: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(fields ?? {}).filter(([k]) => k !== 'f:metadata'));

test('--server-side over an object last written by client-side kubectl apply: migrated as kubectl apply --server-side migrates it (#26)', async (t) => {
  const write = (name: string, data: string) => {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n${data}`);
    return file;
  };
  const [theirsName, oursName] = [`csa-kubectl-${run}`, `csa-ours-${run}`];
  for (const name of [theirsName, oursName]) await kubectlOk(['apply', '-f', write(name, '  a: "1"\n  b: "2"\n')]);
  // The manifest changes a value and drops a key, as a user edits it between two applies.
  const theirs = await kubectl(['apply', '--server-side', '-f', write(theirsName, '  a: "changed"\n')]);
  t.is(theirs.code, 0, theirs.stderr);
  const ours = await mkdeploy(['-f', write(oursName, '  a: "changed"\n'), '--server-side'])();
  t.is(ours.code, 0, ours.stderr);
  t.is(ours.stdout, `configmap/${oursName} serverside-applied\n`);
  const [k, o] = await Promise.all([liveObject(theirsName), liveObject(oursName)]);
  t.deepEqual(o.data, k.data, 'the same data: the changed value, the dropped key gone');
  t.deepEqual(o.data, { a: 'changed' });
  for (const obj of [k, o]) t.false(obj.metadata.managedFields.some((e) => e.manager === 'kubectl-client-side-apply'), 'no client-side apply manager left');
  const kubectlApply = k.metadata.managedFields.find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
  const ourApply = o.metadata.managedFields.find((e) => e.manager === 'kubectl-mkdeploy' && e.operation === 'Apply');
  t.truthy(kubectlApply && ourApply, JSON.stringify([k.metadata.managedFields, o.metadata.managedFields]));
  t.deepEqual(withoutMetadata(ourApply?.fieldsV1), withoutMetadata(kubectlApply?.fieldsV1), 'our Apply entry owns what kubectl\'s does');
  // The deliberate difference: only kubectl's own manager has the server keep the annotation current.
  t.truthy(k.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']);
  t.is(o.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);
  // Applied again: nothing to migrate, nothing conflicts.
  const again = await mkdeploy(['-f', path.join(dir, `${oursName}.yaml`), '--server-side'])();
  t.is(again.code, 0, again.stderr);
});

test('--server-side still refuses a conflict with another manager than client-side apply (#26)', async (t) => {
  const name = `csa-other-${run}`;
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n  a: "1"\n`);
  await kubectlOk(['apply', '-f', file]);
  await kubectlOk(['patch', 'cm', name, '-n', ns, '--field-manager', 'someone-else', '--type', 'merge', '-p', '{"data":{"a":"theirs"}}']);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('a: "1"', 'a: "mine"'));
  const r = await mkdeploy(['-f', file, '--server-side'])();
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /conflict with "someone-else"/);
  t.is((await liveObject(name)).data?.['a'], 'theirs', 'nothing changed');
});
