/**
 * Arguments as `kubectl get` takes them, in lsres and dynget alike, against kubectl on the same
 * objects: TYPE, TYPE NAME…, TYPE/NAME… (one table per run of a type), comma lists, `a,b NAME`,
 * a missing name (reported in kubectl's words while the others print; exit 4 where kubectl
 * exits 1, see README), --ignore-not-found, and the argument forms both refuse.
 */
import test from 'ava';
import { kubectl, serviceAccountKubeconfig } from '../helpers/cluster.ts';
import { sameAsKubectl } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';
import { seededNamespace } from './output-seed.ts';

const seeded = seededNamespace('parity-args');
const { plugin, oracle } = seeded;

const found: string[][] = [
  ['cm', 'alpha'],
  ['cm', 'alpha', 'beta'],
  ['configmaps', 'gamma', 'alpha'],
  ['cm/alpha'],
  ['cm/alpha', 'cm/beta'],
  ['cm/alpha', 'svc/web', 'cm/beta'],
  ['deploy/web', 'svc/web'],
  ['deployments.apps/web', 'service/api', 'secret/creds'],
  ['cm,svc', 'web'],
  ['svc,deploy', 'web'],
  ['cm,svc'],
  ['svc,cm,deploy'],
  ['ns/default'],
];

for (const format of [[], ['-o', 'wide'], ['-o', 'name'], ['-o', 'json'], ['-o', 'yaml'], ['-o', 'jsonpath={.kind}{" "}{.metadata.name}{.items[*].metadata.name}'], ['-o', 'custom-columns=KIND:.kind,NAME:.metadata.name'], ['--no-headers']]) {
  test(`lsres and dynget take kubectl get's argument forms ${format.join(' ')}`, async (t) => {
    for (const args of found) {
      const full = [...args, '-n', seeded.ns, ...format];
      await sameAsKubectl(t, `lsres ${full.join(' ')}`, plugin('lsres', full), oracle(['get', ...full]));
      await sameAsKubectl(t, `dynget ${full.join(' ')}`, plugin('dynget', full), oracle(['get', ...full]), { mask: format.length === 0 || format[0] === '--no-headers' || format[1] === 'wide' ? dropUidColumn : undefined });
    }
  });
}

/** dynget's table adds a UID column (a documented superset): cut it for the comparison. */
function dropUidColumn(text: string): string {
  return text.replace(/ +(UID|[0-9a-f]{8}-[0-9a-f-]{27})$/gm, '').replace(/ +$/gm, '');
}

const missing: string[][] = [
  ['cm', 'alpha', 'nope', 'beta'],
  ['cm/alpha', 'svc/nope', 'cm/beta'],
  ['cm/nope'],
  ['cm', 'nope'],
  ['cm,svc', 'web'],
  ['cm', 'nope', 'nada'],
];

test('a missing name: kubectl\'s "Error from server (NotFound)" line, the others still print, exit 4', async (t) => {
  for (const args of missing) {
    for (const format of [[], ['-o', 'name'], ['-o', 'json'], ['-o', 'jsonpath={.items[*].metadata.name}']]) {
      const full = [...args, '-n', seeded.ns, ...format];
      const [ours, theirs] = await Promise.all([plugin('lsres', full)(), oracle(['get', ...full])()]);
      t.is(theirs.code, 1, full.join(' '));
      t.is(ours.code, 4, full.join(' '));
      t.is(ours.stdout.replace(/\d+[smhd]\b/g, 'AGE'), theirs.stdout.replace(/\d+[smhd]\b/g, 'AGE'), full.join(' '));
      t.is(ours.stderr, theirs.stderr, full.join(' '));
    }
  }
});

test('--ignore-not-found: missing names are no error, nothing at all when nothing is found', async (t) => {
  for (const args of [...missing, ['cm', '-l', 'none=here']]) {
    for (const format of [[], ['-o', 'name'], ['-o', 'json'], ['-o', 'yaml']]) {
      const full = [...args, '-n', seeded.ns, '--ignore-not-found', ...format];
      await sameAsKubectl(t, full.join(' '), plugin('lsres', full), oracle(['get', ...full]));
    }
  }
});

test('argument forms both refuse: ours exit 2 before any request, kubectl exit 1, the same reason', async (t) => {
  for (const args of [['cm', 'alpha', 'cm/beta'], ['cm/a/b'], ['cm,svc/x'], ['/x'], ['cm/']]) {
    const full = [...args, '-n', seeded.ns];
    const [ours, theirs] = await Promise.all([plugin('lsres', full)(), oracle(['get', ...full])()]);
    t.is(theirs.code, 1, args.join(' '));
    t.is(ours.code, 2, args.join(' '));
    t.is(ours.stdout, '');
    const reason = (text: string) => text.replace(/'kubectl (get|lsres) /g, "'kubectl ").replace(/\)$/m, '');
    t.is(reason(ours.stderr), reason(theirs.stderr), args.join(' '));
  }
  const byNameEverywhere = await Promise.all([plugin('lsres', ['cm', 'alpha', '-A'])(), oracle(['get', 'cm', 'alpha', '-A'])()]);
  t.is(byNameEverywhere[0].stderr, byNameEverywhere[1].stderr);
  t.is(byNameEverywhere[0].code, 2);
});

test('refused lists: the same stdout as kubectl in every format (an empty List, the header line, …), exit 3', async (t) => {
  const denied = await serviceAccountKubeconfig(seeded.ns, 'nobody');
  for (const format of [[], ['-o', 'json'], ['-o', 'yaml'], ['-o', 'name'], ['-o', 'jsonpath={.kind}'], ['-o', 'custom-columns=N:.metadata.name'], ['-o', 'custom-columns=N:.metadata.name', '--no-headers']]) {
    const args = ['cm,svc', ...format];
    const [ours, theirs] = await Promise.all([runPlugin('lsres', ['--kubeconfig', denied, ...args]), kubectl(['get', ...args], { kubeconfig: denied })]);
    t.is(theirs.code, 1, args.join(' '));
    t.is(ours.code, 3, args.join(' '));
    t.is(ours.stdout, theirs.stdout, args.join(' '));
    t.regex(ours.stderr, /^error: configmaps is forbidden: .*\nerror: services is forbidden: /);
  }
});
