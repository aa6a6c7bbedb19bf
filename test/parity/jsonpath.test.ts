/**
 * `-o jsonpath=…` against `kubectl get` on the same objects, byte for byte: templates of real use
 * (kubectl's cheat sheet and docs: names, ranges with tabs and newlines, filters with every
 * operator, existence, unions, slices, recursive descent, escaped dots, missing keys, whole
 * objects as compact JSON with managedFields), jsonpath-file, jsonpath-as-json,
 * --allow-missing-template-keys=false, and templates both refuse. Outputs whose order kubectl
 * leaves to Go's random map order (`*` over a map) are compared line by line as sorted words.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forEachLimited, sameAsKubectl } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';
import { seededNamespace } from './output-seed.ts';

const seeded = seededNamespace('parity-jsonpath');
const { plugin, oracle } = seeded;
// Line by line (one object each), the words between spaces, commas and colons in sorted order.
const sortedWords = (text: string) =>
  text
    .split('\n')
    .map((line) => line.split(/[\s,:]+/).filter(Boolean).sort().join(' '))
    .join('\n');

/** [type args, template, compare sorted words] */
const templates: Array<[string[], string, boolean?]> = [
  [['cm'], '{.items[*].metadata.name}'],
  [['cm'], '{range .items[*]}{.metadata.name}{"\\n"}{end}'],
  [['cm'], '{range .items[*]}{.metadata.name}{"\\t"}{.metadata.namespace}{"\\n"}{end}'],
  [['cm'], '{.items[0].metadata.name}'],
  [['cm'], '{.items[-1].metadata.name}'],
  [['cm'], '{.items[0:2].metadata.name}'],
  [['cm'], '{.items[::2].metadata.name}'],
  [['cm'], '{.items[1:].metadata.name}'],
  [['cm'], '{.items[*].metadata.labels}'],
  [['cm'], '{.items[*].metadata.labels.app}'],
  [['cm'], '{.items[?(@.metadata.labels.tier=="front")].metadata.name}'],
  [['cm'], '{.items[?(@.metadata.labels.tier!="front")].metadata.name}'],
  [['cm'], "{.items[?(@.metadata.labels.app=='web')].metadata.name}"],
  [['cm'], '{.items[?(@.metadata.annotations)].metadata.name}'],
  [['cm'], '{.items[?(@.data.count=="3")].metadata.name}'],
  [['cm'], '{.items[?(@.data.count<"2")].metadata.name}'],
  [['cm'], '{.items[*].data}'],
  [['cm'], '{.items[0].data.text}'],
  [['cm'], '{.items[0].data.unicode}{"|"}{.items[0].data.html}'],
  [['cm'], '{.items[0].data.key\\.with\\.dots}'],
  [['cm'], "{.items[0].data['key.with.dots']}"],
  [['cm'], '{.items[0].metadata.labels.app\\.kubernetes\\.io/name}'],
  [['cm'], '{.items[*].metadata.annotations.example\\.com/owner}'],
  [['cm'], "{.items[*].metadata['name','namespace']}"],
  [['cm'], "{.items[*]['metadata.name']}"],
  [['cm'], '{.kind} {.apiVersion} {.metadata}'],
  [['cm'], '{.items[*].kind}{"/"}{.items[*].apiVersion}'],
  [['cm'], '{.items[0].metadata.managedFields[0].manager}'],
  [['cm'], '{.items[?(@.metadata.name=="alpha")]}'],
  [['cm'], '{.items[1]}'],
  [['cm'], '{range .items[*]}[{.metadata.name}, {.data}] {end}'],
  [['cm'], '{range .items[*]}{@.metadata.name}{":"}{range @.metadata.labels.*}{@}{","}{end}{"\\n"}{end}', true],
  [['cm'], '{$.items[0].metadata.name}'],
  [['cm'], '{.nonexistent}'],
  [['cm'], 'before {.nope} after'],
  [['cm'], '{.items[*].missing.deep}'],
  [['cm'], '{.items[5].metadata.name}'],
  [['cm'], 'plain text, no braces'],
  [['cm'], '{"literal"}{"\\t"}{"{"}'],
  [['cm'], '{.items[*].metadata.name'],
  [['cm'], '{hello}'],
  [['cm'], '{.items[?(@.metadata.name>5)].metadata.name}'],
  [['svc'], '{.items[*].spec.ports[*].port}'],
  [['svc'], '{.items[*].spec.ports[?(@.name=="http")].port}'],
  [['svc'], '{.items[?(@.spec.ports[0].port>100)].metadata.name}'],
  [['svc'], '{.items[?(@.spec.ports[0].port<=80)].metadata.name}'],
  [['svc'], '{.items[?(@.spec.ports[0].port>=9090)].metadata.name}'],
  [['svc'], '{.items[*].spec.ports[*].targetPort}'],
  [['svc'], '{.items[*].spec.selector}'],
  [['svc'], '{.items[*].spec.ports}'],
  [['svc'], '{range .items[*]}{.metadata.name}{"\\t"}{.spec.clusterIP}{"\\t"}{range .spec.ports[*]}{.port}/{.protocol} {end}{"\\n"}{end}'],
  [['deploy'], '{.items[*].spec.template.spec.containers[*].image}'],
  [['deploy'], '{range .items[*]}{.metadata.name}{":"}{range .spec.template.spec.containers[*]}{.name}={.image}{","}{end}{"\\n"}{end}'],
  [['deploy'], '{..image}'],
  [['deploy'], '{.items[*].spec.replicas}'],
  [['deploy'], '{.items[?(@.spec.replicas>=0)].metadata.name}'],
  [['deploy'], '{.items[0].spec.template.spec.containers[0].resources}'],
  [['deploy'], '{.items[0].spec.template.spec.containers[?(@.command)].name}'],
  [['deploy'], '{.items[0].spec.template.spec.containers[0].env[?(@.name=="MODE")].value}'],
  [['deploy'], '{.items[0].spec.template.spec.containers[1].command}'],
  [['deploy', 'web'], '{.metadata.name}{" "}{.spec.replicas}{" "}{.kind}'],
  [['deploy', 'web'], '{.items[*].metadata.name}'],
  [['cm', 'alpha'], '{.data}'],
  [['cm', 'alpha'], '{.data.count}'],
  [['cm', 'alpha'], '{..count}'],
  [['secret', 'creds'], '{.data.user}'],
  [['cm,svc'], '{range .items[*]}{.kind}/{.metadata.name}{"\\n"}{end}'],
];

test(`at least 40 templates (${templates.length}) print as kubectl get prints them`, async (t) => {
  t.true(templates.length >= 40);
  await forEachLimited(templates, 3, async ([typeArgs, template, unordered]) => {
    const args = [...typeArgs, '-n', seeded.ns, '-o', `jsonpath=${template}`];
    // Both must fail for a template kubectl refuses; kubectl's message is several lines with a dump of the objects (see README).
    // Named objects through dynget, lists through lsres: both share one printer.
    await sameAsKubectl(t, template, plugin(typeArgs.length > 1 ? 'dynget' : 'lsres', args), oracle(['get', ...args]), { stderr: false, ...(unordered ? { mask: sortedWords } : {}) });
  });
});

test('dynget prints the same templates as lsres (one shared printer)', async (t) => {
  for (const [typeArgs, template] of templates.filter(([a]) => !a[0]!.includes(',')).slice(0, 12)) {
    const args = [...typeArgs, '-n', seeded.ns, '-o', `jsonpath=${template}`];
    await sameAsKubectl(t, `dynget ${template}`, plugin('dynget', args), oracle(['get', ...args]), { stderr: false });
  }
});

test('-o jsonpath-as-json prints what kubectl prints', async (t) => {
  for (const template of ['{.items[*].metadata.name}', '{.items[0].data}', '{range .items[*]}{.metadata.name}{end}', 'names: {.items[*].metadata.name}', '{.nothing}', '{.items[?(@.metadata.name=="alpha")].metadata.labels}']) {
    const args = ['cm', '-n', seeded.ns, '-o', `jsonpath-as-json=${template}`];
    await sameAsKubectl(t, template, plugin('lsres', args), oracle(['get', ...args]));
  }
});

test('-o jsonpath-file and --template print what kubectl prints', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsonpath-'));
  const file = path.join(dir, 'template.txt');
  fs.writeFileSync(file, '{range .items[*]}{.metadata.name}{"\\t"}{.data.count}{"\\n"}{end}');
  for (const args of [['-o', `jsonpath-file=${file}`], ['-o', 'jsonpath-file', '--template', file], ['-o', 'jsonpath', '--template', '{.items[*].metadata.name}']]) {
    await sameAsKubectl(t, args.join(' '), plugin('lsres', ['cm', '-n', seeded.ns, ...args]), oracle(['get', 'cm', '-n', seeded.ns, ...args]));
  }
  fs.rmSync(dir, { recursive: true });
});

test('--allow-missing-template-keys=false: a missing key fails in both, present keys print the same', async (t) => {
  for (const template of ['{.items[*].metadata.name}', '{.items[*].nope}', '{.items[?(@.metadata.annotations.note)].metadata.name}', '{.items[?(@.metadata.labels.tier=="front")].metadata.name}']) {
    const args = ['cm', '-n', seeded.ns, '--allow-missing-template-keys=false', '-o', `jsonpath=${template}`];
    await sameAsKubectl(t, template, plugin('lsres', args), oracle(['get', ...args]), { stderr: false });
  }
});

test('across namespaces, narrowed by label', async (t) => {
  const args = ['cm,svc', '-A', '-l', `run=${seeded.run}`, '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}'];
  await sameAsKubectl(t, 'cm,svc -A', plugin('lsres', args), oracle(['get', ...args]));
});

test('our errors: one line, exit 2 for a template that does not parse, 1 for one that fails on the objects', async (t) => {
  const bad = await runPlugin('lsres', ['--kubeconfig', seeded.kubeconfig, 'cm', '-n', seeded.ns, '-o', 'jsonpath={.items[*'], {});
  t.is(bad.code, 2);
  t.is(bad.stderr, 'error: error parsing jsonpath {.items[*, unterminated array\n');
  const failing = await runPlugin('lsres', ['--kubeconfig', seeded.kubeconfig, 'cm', '-n', seeded.ns, '-o', 'jsonpath={.items[7].metadata.name}'], {});
  t.is(failing.code, 1);
  t.is(failing.stdout, '');
  t.is(failing.stderr, 'error: error executing jsonpath "{.items[7].metadata.name}": array index out of bounds: index 7, length 4\n');
  const empty = await runPlugin('lsres', ['--kubeconfig', seeded.kubeconfig, 'cm', '-n', seeded.ns, '-o', 'jsonpath='], {});
  t.is(empty.code, 2);
  t.regex(empty.stderr, /^error: template format specified but no template given\n/);
});
