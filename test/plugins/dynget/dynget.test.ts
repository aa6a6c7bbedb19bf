import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, ensureCluster, kubectl, kubectlOk } from '../../helpers/cluster.ts';
import { repoRoot, runPlugin } from '../../helpers/plugin.ts';
import { waitFor } from '../../helpers/wait.ts';

let ns = '';
let kubeconfig = '';
let uid = '';
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dynget-cache-'));
const env = { ...process.env, KUBECACHEDIR: cacheDir, NO_COLOR: '1' };

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('dynget');
  await kubectlOk(['apply', '-f', path.join(repoRoot, 'test/fixtures/seed/crd.yaml')]);
  await kubectlOk(['wait', '--for=condition=Established', 'crd/myresources.aiops.org', '--timeout=30s']);
  await waitFor('the AIOps object to be created', async () => ((await kubectl(['apply', '-n', ns, '-f', path.join(repoRoot, 'test/fixtures/seed/resource.yml')])).code === 0 ? true : undefined));
  uid = await kubectlOk(['get', 'myresources', 'my-first-crd', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
});

const dynget = (args: string[]) => runPlugin('dynget', ['--kubeconfig', kubeconfig, '-n', ns, ...args], { env });

for (const name of ['AIOps', 'aiops', 'myres', 'myresource', 'myresources', 'myresources.aiops.org', 'myresources.v1alpha1.aiops.org', 'AIOps.v1alpha1.aiops.org']) {
  test.serial(`"${name}" reads my-first-crd with its UID`, async (t) => {
    const r = await dynget([name]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /^NAME\s+AGE\s+UID$/m);
    t.regex(r.stdout, new RegExp(`^my-first-crd\\s+\\S+\\s+${uid}$`, 'm'));
  });
}

test.serial('by NAME, -o yaml prints the object alone; -o name', async (t) => {
  const yaml = await dynget(['myres', 'my-first-crd', '-o', 'yaml']);
  t.is(yaml.code, 0, yaml.stderr);
  t.regex(yaml.stdout, /^apiVersion: aiops.org\/v1alpha1\n/);
  t.regex(yaml.stdout, /field1: ExampleValue1/);
  t.is((await dynget(['aiops', '-o', 'name'])).stdout, 'aiops.aiops.org/my-first-crd\n');
});

test.serial('a missing object is exit 4 in kubectl words', async (t) => {
  const r = await dynget(['myres', 'x']);
  t.is(r.code, 4);
  t.is(r.stderr, 'Error from server (NotFound): myresources.aiops.org "x" not found\n');
});

test.serial('an unknown type is exit 4 with a suggestion', async (t) => {
  const r = await dynget(['myresorces']);
  t.is(r.code, 4);
  t.regex(r.stderr, /^error: the server doesn't have a resource type "myresorces"$/m);
  t.regex(r.stderr, /myresources/);
});

test.serial('--raw prints the body of the path', async (t) => {
  const r = await dynget(['--raw', `/apis/aiops.org/v1alpha1/namespaces/${ns}/myresources`]);
  t.is(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout);
  t.is(list.items[0].metadata.uid, uid);
});

test.serial('warm cache: one request for a list; cold: two discovery requests plus the list', async (t) => {
  const cold = fs.mkdtempSync(path.join(os.tmpdir(), 'dynget-cold-'));
  const run = (args: string[]) => runPlugin('dynget', ['--kubeconfig', kubeconfig, '-n', ns, '-v=6', ...args], { env: { ...env, KUBECACHEDIR: cold } });
  const requests = (stderr: string) => stderr.split('\n').filter((l) => / (GET|POST) https:/.test(l));
  const first = await run(['aiops']);
  t.is(first.code, 0, first.stderr);
  const paths = requests(first.stderr).map((l) => l.match(/https:\/\/[^/]+(\/[^ ?]*)/)![1]);
  t.deepEqual(paths.sort(), ['/api', '/apis', `/apis/aiops.org/v1alpha1/namespaces/${ns}/myresources`]);
  const second = await run(['aiops']);
  t.is(requests(second.stderr).length, 1, second.stderr);
});

test.serial('a CRD created after the cache was written is found at once; a deleted one is exit 4', async (t) => {
  await dynget(['pods']); // writes the cache
  const crd = fs.readFileSync(path.join(repoRoot, 'test/fixtures/seed/crd.yaml'), 'utf8').replace(/myresources/g, 'lateones').replace(/myresource/g, 'lateone').replace(/AIOps/g, 'LateOne').replace(/myres/g, 'late');
  await kubectlOk(['apply', '-f', '-'], { input: crd });
  await kubectlOk(['wait', '--for=condition=Established', 'crd/lateones.aiops.org', '--timeout=30s']);
  const found = await dynget(['lateone']);
  t.is(found.code, 0, found.stderr);
  await kubectlOk(['delete', 'crd', 'lateones.aiops.org', '--wait=true']);
  await waitFor('the CRD to leave discovery', async () => ((await kubectl(['get', '--raw', '/apis/aiops.org/v1alpha1'])).stdout.includes('lateones') ? undefined : true));
  const gone = await dynget(['lateone']);
  t.is(gone.code, 4, gone.stderr);
});
