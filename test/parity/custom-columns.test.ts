/**
 * `-o custom-columns=…` and `-o custom-columns-file=…` against `kubectl get` on the same
 * objects: relaxed paths (`name`, `.name`, `{.name}`), `<none>`, several values joined by commas,
 * maps and lists as Go prints them, filters and ranges inside a column, --no-headers, one object
 * by name, an empty list (the header alone), several types at once, and specs both refuse.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubectl } from '../helpers/cluster.ts';
import { forEachLimited, sameAsKubectl } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';
import { seededNamespace } from './output-seed.ts';

const seeded = seededNamespace('parity-columns');
const { plugin, oracle } = seeded;

const specs: Array<[string[], string]> = [
  [['cm'], 'NAME:.metadata.name'],
  [['cm'], 'NAME:metadata.name,NS:{.metadata.namespace},APP:{metadata.labels.app}'],
  [['cm'], 'NAME:.metadata.name,LABELS:.metadata.labels,ANNOTATIONS:.metadata.annotations'],
  [['cm'], 'NAME:.metadata.name,DATA:.data'],
  [['cm'], 'NAME:.metadata.name,COUNT:.data.count,MISSING:.data.nothing'],
  [['cm'], 'NAME:.metadata.name,DOTTED:.data.key\\.with\\.dots,OWNER:.metadata.annotations.example\\.com/owner'],
  [['cm'], 'NAME:.metadata.name,TEXT:.data.text,UNICODE:.data.unicode'],
  [['cm'], 'NAME:.metadata.name,EMPTY:'],
  [['cm'], 'NAME:.metadata.name,MANAGER:.metadata.managedFields[*].manager'],
  [['cm'], 'NAME:.metadata.name,KIND:.kind,VERSION:.apiVersion'],
  [['svc'], 'NAME:.metadata.name,PORTS:.spec.ports[*].port,TARGETS:.spec.ports[*].targetPort'],
  [['svc'], 'NAME:.metadata.name,PORTS:.spec.ports,SELECTOR:.spec.selector'],
  [['svc'], 'NAME:.metadata.name,HTTP:.spec.ports[?(@.name=="http")].port,IP:.spec.clusterIP'],
  [['deploy'], 'NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image,REPLICAS:.spec.replicas'],
  [['deploy'], 'CONTAINER:.spec.template.spec.containers[0].name,RESOURCES:.spec.template.spec.containers[0].resources,COMMAND:.spec.template.spec.containers[1].command'],
  [['deploy'], 'NAME:.metadata.name,ENV:.spec.template.spec.containers[*].env'],
  [['cm,svc'], 'KIND:.kind,NAME:.metadata.name'],
  [['cm', '-l', 'none=here'], 'NAME:.metadata.name'],
  [['cm'], 'NAME'],
  [['cm'], 'NAME:.metadata.name,OUT:.data.count[3]'],
];

test(`${specs.length} column specs print as kubectl get prints them, with and without headers`, async (t) => {
  await forEachLimited(specs, 3, async ([typeArgs, spec]) => {
    for (const extra of [[], ['--no-headers']]) {
      const args = [...typeArgs, '-n', seeded.ns, '-o', `custom-columns=${spec}`, ...extra];
      await sameAsKubectl(t, `${spec} ${extra.join(' ')}`, plugin('lsres', args), oracle(['get', ...args]), { stderr: false });
    }
  });
});

test('one object by name (dynget TYPE NAME)', async (t) => {
  const args = ['deploy', 'web', '-n', seeded.ns, '-o', 'custom-columns=NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image'];
  await sameAsKubectl(t, 'deploy web', plugin('dynget', args), oracle(['get', ...args]));
});

test('-o custom-columns-file: headers line and paths line (headers even with --no-headers, as kubectl)', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'columns-'));
  const files = {
    good: 'NAME   APP              COUNT\n.metadata.name   {.metadata.labels.app}   data.count\n',
    crlf: 'NAME\tAPP\r\nmetadata.name\t.metadata.labels.app\r\n',
    mismatch: 'NAME APP\n.metadata.name\n',
    headerOnly: 'NAME\n',
  };
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    for (const extra of [[], ['--no-headers']]) {
      const args = ['cm', '-n', seeded.ns, '-o', `custom-columns-file=${file}`, ...extra];
      await sameAsKubectl(t, `${name} ${extra.join(' ')}`, plugin('lsres', args), oracle(['get', ...args]), { stderr: false });
    }
  }
  fs.rmSync(dir, { recursive: true });
});

test('a path that does not parse: kubectl prints the header, then fails (exit 1); we refuse before any request (exit 2, nothing on stdout)', async (t) => {
  const args = ['cm', '-n', seeded.ns, '-o', 'custom-columns=NAME:.metadata.name,BAD:.items[0'];
  const theirs = await kubectl(['get', ...args]);
  t.is(theirs.code, 1);
  t.is(theirs.stdout, 'NAME   BAD\n');
  const ours = await runPlugin('lsres', ['--kubeconfig', seeded.kubeconfig, ...args]);
  t.is(ours.code, 2);
  t.is(ours.stdout, '');
  t.is(ours.stderr, 'error: error parsing custom column BAD:.items[0, unterminated array\n');
});
