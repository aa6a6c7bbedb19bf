/**
 * Every name of every served resource, typed as users type them, resolves in dynget to what
 * kubectl get resolves it to: plural, singular, short names, Kind, `plural.group`,
 * `plural.version.group`, `Kind.version.group`, `singular.group`. Each name runs through both
 * with `-o name`; where kubectl refuses a name we must refuse it too, except for our one
 * documented superset (supersets.ts).
 */
import test from 'ava';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl, kubectlOk } from '../helpers/cluster.ts';
import { forEachLimited } from '../helpers/oracle.ts';
import { repoRoot, runPlugin } from '../helpers/plugin.ts';
import { supersetReason } from './supersets.ts';

interface Served {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  shortNames: string[];
  namespaced: boolean;
}

let ns = '';
let kubeconfig = '';
let served: Served[] = [];

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  await kubectlOk(['apply', '-f', path.join(repoRoot, 'test/fixtures/seed/crd.yaml')]);
  await kubectlOk(['wait', '--for=condition=Established', 'crd/myresources.aiops.org', '--timeout=60s']);
  ns = await createNamespace('parity-names');
  await kubectlOk(['apply', '-n', ns, '-f', path.join(repoRoot, 'test/fixtures/seed/resource.yml')]);
  await kubectlOk(['create', 'configmap', 'probe', '-n', ns]);
  // The preferred version of every group, from the server's own discovery documents.
  const groups = JSON.parse(await kubectlOk(['get', '--raw', '/apis'])) as { groups: Array<{ name: string; preferredVersion: { version: string } }> };
  const versions = [{ group: '', version: 'v1', url: '/api/v1' }, ...groups.groups.map((g) => ({ group: g.name, version: g.preferredVersion.version, url: `/apis/${g.name}/${g.preferredVersion.version}` }))]
    // Groups that other test files create and delete while this one runs.
    .filter((gv) => gv.group === '' || gv.group.endsWith('k8s.io') || !gv.group.includes('.') || gv.group === 'aiops.org');
  for (const gv of versions) {
    const list = JSON.parse(await kubectlOk(['get', '--raw', gv.url])) as { resources: Array<{ name: string; singularName: string; kind: string; shortNames?: string[]; namespaced: boolean; verbs: string[] }> };
    for (const r of list.resources) {
      if (r.name.includes('/') || !r.verbs.includes('list') || r.name === 'componentstatuses') continue;
      served.push({ group: gv.group, version: gv.version, plural: r.name, singular: r.singularName || r.kind.toLowerCase(), kind: r.kind, shortNames: r.shortNames ?? [], namespaced: r.namespaced });
    }
  }
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
});

function namesOf(r: Served): string[] {
  const dotted = r.group === '' ? [] : [`${r.plural}.${r.group}`, `${r.singular}.${r.group}`, `${r.kind}.${r.group}`];
  const versioned = [`${r.plural}.${r.version}.${r.group}`, `${r.kind}.${r.version}.${r.group}`];
  return [...new Set([r.plural, r.singular, ...r.shortNames, r.kind, r.kind.toLowerCase(), r.kind.toUpperCase(), ...dotted, ...versioned])];
}

test('every name of every served resource resolves as kubectl resolves it', async (t) => {
  t.true(served.length >= 40, `${served.length} resources`);
  const names = [...new Set(served.flatMap(namesOf))];
  const diverged: string[] = [];
  const supersets: string[] = [];
  await forEachLimited(names, 4, async (name) => {
    // Narrowed to nothing but the test's objects so that both print the same, small list.
    const args = [name, '-n', ns, '-o', 'name', '--field-selector', 'metadata.namespace!=kube-system'];
    const [ours, theirs] = await Promise.all([runPlugin('dynget', ['--kubeconfig', kubeconfig, ...args]), kubectl(['get', ...args])]);
    const resolved = theirs.code === 0 || !/doesn't have a resource type|the server could not find the requested resource/.test(theirs.stderr);
    if (theirs.code !== 0 && ours.code !== 0) return;
    if (theirs.code !== 0 && ours.code === 0 && !resolved) {
      const reason = supersetReason(name, served);
      if (reason) supersets.push(name);
      else diverged.push(`${name}: kubectl refuses (${theirs.stderr.trim()}), we print ${ours.stdout.trim() || '(nothing)'}`);
      return;
    }
    if ((ours.code === 0) !== (theirs.code === 0) || ours.stdout !== theirs.stdout) {
      diverged.push(`${name}: kubectl exit ${theirs.code} ${JSON.stringify(theirs.stdout + theirs.stderr)}, ours exit ${ours.code} ${JSON.stringify(ours.stdout + ours.stderr)}`);
    }
  });
  t.deepEqual(diverged, [], `${names.length} names`);
  t.true(supersets.includes('aiops'), 'the seed\'s `get aiops` is our superset');
  t.log(`${names.length} names compared; superset: ${supersets.length} (${supersets.slice(0, 8).join(', ')}…)`);
});
