import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, ensureCluster, kubectl, kubectlOk } from '../../helpers/cluster.ts';
import { repoRoot, runPlugin } from '../../helpers/plugin.ts';

let ns = '';
let kubeconfig = '';

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('mkdeploy');
});

const mkdeploy = (args: string[], input?: string) => runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-n', ns, ...args], input === undefined ? {} : { input });
const names = async (type: string) => (await kubectlOk(['get', type, '-n', ns, '-o', 'name'])).trim().split('\n').filter(Boolean);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mkdeploy-'));

test.serial("the seed's nginx-deployment is created and --wait returns once its pods run", async (t) => {
  const r = await mkdeploy(['nginx-deployment', '--image', 'nginx:latest', '--replicas', '2', '--wait', '--timeout', '60s']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, 'deployment.apps/nginx-deployment created\n');
  t.regex(r.stderr, /deployment "nginx-deployment" successfully rolled out/);
  const phases = await kubectlOk(['get', 'pods', '-n', ns, '-l', 'app=nginx-deployment', '-o', 'jsonpath={.items[*].status.phase}']);
  t.deepEqual(phases.split(' '), ['Running', 'Running']);
});

test.serial('creating it again is exit 1, already exists, with a hint', async (t) => {
  const r = await mkdeploy(['nginx-deployment', '--image', 'nginx:latest']);
  t.is(r.code, 1);
  t.regex(r.stderr, /^error: deployments.apps "nginx-deployment" already exists$/m);
  t.regex(r.stderr, /--server-side/);
});

test.serial('--dry-run=client sends nothing; --dry-run=server stores nothing', async (t) => {
  const client = await mkdeploy(['dry-a', '--image', 'nginx', '--dry-run=client', '-o', 'json']);
  t.is(client.code, 0);
  t.is(JSON.parse(client.stdout).metadata.name, 'dry-a');
  const server = await mkdeploy(['dry-b', '--image', 'nginx', '--dry-run=server']);
  t.is(server.code, 0, server.stderr);
  t.is(server.stdout, 'deployment.apps/dry-b created (server dry run)\n');
  t.false((await names('deployments')).some((n) => n.includes('dry-')));
});

const invalid: Array<[string, string[], number]> = [
  ['an invalid name', ['Bad_Name', '--image', 'nginx'], 2],
  ['an empty image', ['okname', '--image', ''], 2],
  ['an image with whitespace', ['okname', '--image', 'ngi nx'], 2],
  ['negative replicas', ['okname', '--image', 'nginx', '--replicas', '-1'], 2],
  ['a bad label', ['okname', '--image', 'nginx', '--label', 'a b=c'], 2],
  ['a bad --timeout', ['okname', '--image', 'nginx', '--wait', '--timeout', 'soon'], 2],
];
for (const [what, args, code] of invalid) {
  test.serial(`${what}: exit ${code}, one error line, nothing created`, async (t) => {
    const before = await names('deployments');
    const r = await mkdeploy(args);
    t.is(r.code, code, r.stderr);
    t.is(r.stderr.split('\n').filter((l) => l.startsWith('error: ')).length, 1);
    t.deepEqual(await names('deployments'), before);
  });
}

test.serial("the seed's CRD and AIOps object in one file are both created", async (t) => {
  const dir = tmp();
  // CRDs are cluster-wide: a group of this run's own keeps reruns apart.
  const group = `${ns}.aiops.org`;
  const crd = fs.readFileSync(path.join(repoRoot, 'test/fixtures/seed/crd.yaml'), 'utf8').replace(/aiops\.org/g, group).replace(/AIOps/g, 'MkOps').replace(/- myres/g, '- mkres');
  const obj = fs.readFileSync(path.join(repoRoot, 'test/fixtures/seed/resource.yml'), 'utf8').replace(/aiops\.org/g, group).replace(/AIOps/g, 'MkOps');
  fs.writeFileSync(path.join(dir, 'both.yaml'), `${obj}\n---\n${crd}`);
  t.teardown(() => kubectl(['delete', 'crd', `myresources.${group}`, '--wait=false']));
  const r = await mkdeploy(['-f', path.join(dir, 'both.yaml')]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `customresourcedefinition.apiextensions.k8s.io/myresources.${group} created\nmkops.${group}/my-first-crd created\n`);
  t.deepEqual(await names(`myresources.${group}`), [`mkops.${group}/my-first-crd`]);
});

test.serial('a multi-document file with one bad document creates none', async (t) => {
  const manifest = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good-1}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good-2}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad-one}\ndata: {x: [not, a, string]}',
  ].join('\n---\n');
  const r = await mkdeploy(['-f', '-'], manifest);
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, /^error: error when creating "<stdin>" \(document 3, line \d+\): ConfigMap in version "v1" cannot be handled/m);
  t.regex(r.stderr, /^hint: nothing was created$/m);
  t.false((await names('configmaps')).some((n) => n.includes('good-')));
});

const badManifests: Array<[string, string, number, RegExp]> = [
  ['malformed YAML', 'apiVersion: v1\nkind: [ConfigMap\n', 2, /invalid YAML/],
  ['a missing kind', 'apiVersion: v1\nmetadata: {name: x1}\n', 2, /kind not set/],
  ['a missing name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', 2, /metadata.name/],
  ['an unknown kind', 'apiVersion: v1\nkind: Bogus\nmetadata: {name: x2}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x3}\n', 4, /no matches for kind "Bogus"/],
];
for (const [what, text, code, message] of badManifests) {
  test.serial(`manifest with ${what}: exit ${code}, nothing created`, async (t) => {
    const before = await names('configmaps');
    const r = await mkdeploy(['-f', '-'], text);
    t.is(r.code, code, r.stderr);
    t.regex(r.stderr, message);
    t.deepEqual(await names('configmaps'), before);
  });
}

test.serial('a directory with one bad file among good ones creates nothing', async (t) => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dir-a}\n');
  fs.writeFileSync(path.join(dir, 'b.json'), '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dir-b"}}{"kind": ');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
  const r = await mkdeploy(['-f', dir]);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /b\.json: document 2 \(line 1\): invalid (JSON|YAML)/);
  t.false((await names('configmaps')).some((n) => n.includes('dir-')));
});

test.serial('--server-side twice is idempotent; a conflict names the manager', async (t) => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {k: v1}\n';
  const first = await mkdeploy(['-f', '-', '--server-side'], cm);
  t.is(first.code, 0, first.stderr);
  t.is(first.stdout, 'configmap/ssa serverside-applied\n');
  const second = await mkdeploy(['-f', '-', '--server-side'], cm);
  t.is(second.code, 0, second.stderr);
  await kubectlOk(['apply', '--server-side', '--field-manager=someone-else', '--force-conflicts', '-n', ns, '-f', '-'], { input: cm.replace('v1}', 'v2}') });
  const conflict = await mkdeploy(['-f', '-', '--server-side'], cm);
  t.is(conflict.code, 1);
  t.regex(conflict.stderr, /someone-else/);
  t.regex(conflict.stderr, /--force-conflicts/);
  const forced = await mkdeploy(['-f', '-', '--server-side', '--force-conflicts'], cm);
  t.is(forced.code, 0, forced.stderr);
  t.is(await kubectlOk(['get', 'cm', 'ssa', '-n', ns, '-o', 'jsonpath={.data.k}']), 'v1');
});

test.serial('a ServiceAccount with no rights: exit 3, nothing created, the fix commands', async (t) => {
  const { serviceAccountKubeconfig } = await import('../../helpers/cluster.ts');
  const sa = await serviceAccountKubeconfig(ns, 'no-create');
  const r = await runPlugin('mkdeploy', ['--kubeconfig', sa, 'sa-made', '--image', 'nginx']);
  t.is(r.code, 3, r.stderr);
  t.regex(r.stderr, /deployments.apps is forbidden/);
  t.false((await kubectl(['get', 'deploy', 'sa-made', '-n', ns])).code === 0);
});
