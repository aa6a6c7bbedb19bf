/**
 * The manifest corpus (test/fixtures/parity/manifests/): `mkdeploy -f F --dry-run=server -o json`
 * beside `kubectl create -f F --dry-run=server -o json`, in the same namespace. Where kubectl
 * accepts a file we accept it and print the same objects as the server returned them; where it
 * refuses, we refuse, and a real (not dry) run of ours creates nothing. Deliberate differences
 * are named in `documented` below (README "Parity with kubectl").
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl } from '../helpers/cluster.ts';
import { runTag } from '../helpers/oracle.ts';
import { sideBySide } from '../helpers/side-by-side.ts';
import { repoRoot, runPlugin } from '../helpers/plugin.ts';

const corpus = path.join(repoRoot, 'test/fixtures/parity/manifests');
const run = runTag();

/**
 * Our superset: a CRD or Namespace and the objects that need it, in one file. kubectl's server
 * dry run refuses the dependants (their kind or namespace does not exist yet); we create the
 * CRD or Namespace first and check the dependants on our side (mkdeploy's all-or-nothing plan).
 */
const documented: Record<string, { superset: true; withoutNamespaceFlag?: true }> = {
  '23-crd-and-instance.yaml': { superset: true },
  // With -n, kubectl and we both refuse the ConfigMap that names another namespace.
  '47-namespace-and-objects.yaml': { superset: true, withoutNamespaceFlag: true },
};

let ns = '';
let kubeconfig = '';
let dir = '';

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('parity-manifests');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-manifests-'));
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  await kubectl(['delete', 'namespace', `m47-${run}`, '--ignore-not-found', '--wait=false']);
  await kubectl(['delete', 'crd', `gadgets.m23-${run}.example.com`, '--ignore-not-found', '--wait=false']);
  fs.rmSync(dir, { recursive: true, force: true });
});

const mask = (text: string) =>
  text
    .replace(/("(?:uid|creationTimestamp)": )"[^"]*"/g, '$1"…"')
    // Names the server generates: the object's own, and its projected token volume's.
    .replace(/(gen-m20-|kube-api-access-)[a-z0-9]{5}/g, '$1…');

const snapshot = async () => (await kubectl(['get', 'cm,secrets,deploy,pods,svc', '-n', ns, '-o', 'name'])).stdout;

const files = fs.readdirSync(corpus).sort();

test('the corpus has at least 40 manifests', (t) => {
  t.true(files.length >= 40, `${files.length}`);
});

for (const name of files) {
  test(`${name}: mkdeploy -f accepts what kubectl create -f accepts, with the same objects`, async (t) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, fs.readFileSync(path.join(corpus, name), 'utf8').replace(/\bNS\b/g, ns).replace(/\bRUN\b/g, run));
    const args = ['-f', file, '--dry-run=server', '-o', 'json', ...(documented[name]?.withoutNamespaceFlag ? [] : ['-n', ns])];
    const theirs = await kubectl(['create', ...args]);
    const ours = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, ...args]);
    t.notRegex(ours.stderr, /at .*\.(ts|js):\d+|404 page not found/, 'no stack trace, no raw 404');
    if (documented[name]?.superset) {
      t.not(theirs.code, 0, 'kubectl refuses it');
      t.is(ours.code, 0, ours.stderr);
      return;
    }
    if (theirs.code === 0) {
      t.is(ours.code, 0, `kubectl accepts it; we said: ${ours.stderr}`);
      t.is(mask(ours.stdout), mask(theirs.stdout), sideBySide(mask(theirs.stdout), mask(ours.stdout)));
      return;
    }
    t.not(ours.code, 0, `kubectl refuses it (${theirs.stderr.trim()}); we printed ${ours.stdout}`);
    t.is(ours.stdout, '', 'all or nothing: no object printed');
    t.regex(ours.stderr, /^error: [^\n]+\n(hint: [^\n]+\n)?$/, 'one error line');
    // A real run refuses it too, and leaves nothing behind.
    const before = await snapshot();
    const real = await runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-f', file, '-n', ns]);
    t.not(real.code, 0, real.stdout);
    t.is(await snapshot(), before, 'nothing created');
  });
}
