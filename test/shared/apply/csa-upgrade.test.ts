/**
 * client-go's own cases for util/csaupgrade, read from its test file in the Go module cache
 * (TestUpgradeCSA: an object before and after UpgradeManagedFields), run through our port; and
 * FindFieldsOwners' basics.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { clientSideApplyManagers, findFieldsOwners, hasPath, lastAppliedPath, unionFields, upgradeManagedFields, upgradeManagedFieldsPatch, type ManagedFieldsEntry } from '../../../shared/apply/csa-upgrade.ts';

function goModCache(): string | undefined {
  try {
    return execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
const source = path.join(goModCache() ?? '/nonexistent', 'k8s.io', 'client-go@v0.36.3', 'util', 'csaupgrade', 'upgrade_test.go');
const present = fs.existsSync(source);

interface Case {
  name: string;
  csa: string[];
  ssa: string;
  subresource: string;
  original: { metadata: { managedFields: ManagedFieldsEntry[]; resourceVersion?: string } };
  expected: { metadata: { managedFields?: ManagedFieldsEntry[] } };
}

function cases(): Case[] {
  const text = fs.readFileSync(source, 'utf8');
  const body = text.slice(text.indexOf('func TestUpgradeCSA'));
  const re = /Name:\s+"([^"]+)",\s*CSAManagers:\s+\[\]string\{([^}]*)\},\s*SSAManager:\s+"([^"]+)",\s*(?:Options:\s+\[\]csaupgrade\.Option\{csaupgrade\.Subresource\("([^"]+)"\)\},\s*)?OriginalObject:\s+\[\]byte\(`([^`]*)`\),\s*ExpectedObject:\s+\[\]byte\(`([^`]*)`\)/g;
  return [...body.matchAll(re)].map((m) => ({
    name: m[1]!,
    csa: [...m[2]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!),
    ssa: m[3]!,
    subresource: m[4] ?? '',
    original: parse(m[5]!) as Case['original'],
    expected: parse(m[6]!) as Case['expected'],
  }));
}

(present ? test : test.skip)(`client-go's TestUpgradeCSA cases give the same managed fields${present ? '' : ` (skipped: ${source} is missing; the first cluster build fetches it)`}`, (t) => {
  const all = cases();
  const text = fs.readFileSync(source, 'utf8');
  const named = text.slice(text.indexOf('func TestUpgradeCSA')).match(/^\t\t\tName:/gm)?.length ?? 0;
  t.true(all.length >= 9 && all.length === named, `${all.length} of ${named} cases read`);
  for (const c of all) {
    const upgraded = upgradeManagedFields(c.original.metadata.managedFields, c.csa, c.ssa, c.subresource);
    t.deepEqual(upgraded, c.expected.metadata.managedFields ?? [], c.name);
    if (c.subresource === '') {
      const patch = upgradeManagedFieldsPatch(c.original, c.csa, c.ssa);
      const changed = JSON.stringify(upgraded) !== JSON.stringify(c.original.metadata.managedFields);
      t.is(patch !== undefined, changed, `${c.name}: a patch exactly when something moves`);
      if (patch) t.deepEqual(JSON.parse(patch), [
        { op: 'replace', path: '/metadata/managedFields', value: upgraded },
        { op: 'replace', path: '/metadata/resourceVersion', value: c.original.metadata.resourceVersion ?? '' },
      ]);
    }
  }
});

test('sets: membership, union, the owners of the last-applied annotation', (t) => {
  const csa: ManagedFieldsEntry = { manager: 'kubectl-client-side-apply', operation: 'Update', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } } };
  const other: ManagedFieldsEntry = { manager: 'someone', operation: 'Update', fieldsV1: { 'f:data': { 'f:b': {} } } };
  t.true(hasPath(csa.fieldsV1, ['f:data']));
  t.true(hasPath(csa.fieldsV1, ['f:data', 'f:a']));
  t.false(hasPath(other.fieldsV1, ['f:data']), 'a parent of members is not a member itself');
  t.true(hasPath(csa.fieldsV1, lastAppliedPath));
  t.deepEqual(unionFields(other.fieldsV1, { 'f:data': {} }), { 'f:data': { '.': {}, 'f:b': {} } });
  t.deepEqual(findFieldsOwners([csa, other], 'Update', lastAppliedPath), [csa]);
  t.deepEqual(findFieldsOwners([csa, other], 'Apply', lastAppliedPath), []);
  t.deepEqual(clientSideApplyManagers([csa, other, { ...csa }]), ['kubectl-client-side-apply']);
});
