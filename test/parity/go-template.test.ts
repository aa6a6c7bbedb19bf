/**
 * `-o go-template=…` against `kubectl get` on the same objects, byte for byte, through lsres AND
 * dynget: templates of real use (cheat-sheet and script style: names, images per container,
 * labels and annotations with dots through `index`, ranges over containers and ports,
 * conditions, printf alignment, base64decode of a Secret's data, len, nested ranges, variables,
 * `else`, whitespace trimming, define/template/block, missing keys), the aliases and file forms
 * (`template=`, `templatefile=`, `go-template-file=`, `--template`), one object by name (the
 * template runs on it, not on a List), --allow-missing-template-keys=false, `-w` (the template on
 * each object listed and each change, with and without --output-watch-events); and templates that
 * fail: the first line of stderr and the exit status as kubectl's (ours 2 where kubectl exits 1
 * for a usage error: a template that does not parse, a missing file), stdout byte for byte (what
 * the template printed, then kubectl's debugging dump of the objects).
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureCluster, kubectlOk } from '../helpers/cluster.ts';
import { forEachLimited, type Outcome } from '../helpers/oracle.ts';
import { pluginPath } from '../helpers/plugin.ts';
import { sideBySide } from '../helpers/side-by-side.ts';
import { startWatching, until } from '../helpers/watching.ts';
import { seededNamespace } from './output-seed.ts';

const seeded = seededNamespace('parity-gotemplate', async (s) => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: s.ns, labels: { run: s.run, app: 'api' }, annotations: { 'example.com/rotated': 'never' } },
    type: 'Opaque',
    stringData: { user: 'postgres', password: 's3cr3t!', url: 'postgres://db:5432/app?sslmode=require', motd: 'héllo\nworld' },
  };
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(secret) });
});
const { plugin, oracle } = seeded;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'go-template-'));
const file = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
const namesFile = file('names.tmpl', '{{- range .items}}\n{{.metadata.name}}\t{{.kind}}\n{{- end}}\n');
const rowFile = file('row.tmpl', '{{define "row"}}{{printf "%-8s %s" .metadata.name .metadata.namespace}}{{end}}{{range .items}}{{template "row" .}}{{"\\n"}}{{end}}');
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

/** [get arguments before the namespace, output flags]: templates that print. */
const corpus: Array<[string[], string[]]> = [];
const go = (types: string[], template: string, ...extra: string[]) => corpus.push([types, ['-o', `go-template=${template}`, ...extra]]);

// ConfigMaps: names, data, labels, annotations.
go(['cm'], '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{.metadata.name}}{{"\\t"}}{{.metadata.namespace}}{{"\\n"}}{{end}}');
go(['cm'], '{{len .items}}');
go(['cm'], '{{range $i, $cm := .items}}{{$i}}: {{$cm.metadata.name}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{.metadata.name}}={{.data.count}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{if .data.count}}{{.metadata.name}} has {{.data.count}}{{else}}{{.metadata.name}} none{{end}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{with .metadata.labels}}{{index . "app.kubernetes.io/name"}}{{end}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{if .metadata.annotations}}{{index .metadata.annotations "example.com/owner"}}{{else}}-{{end}};{{end}}');
go(['cm'], '{{range .items}}{{.metadata.name}}:{{range $k, $v := .metadata.labels}} {{$k}}={{$v}}{{end}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{printf "%-10s %5s|\\n" .metadata.name .data.count}}{{end}}');
go(['cm'], '{{range .items}}{{printf "%q\\n" .data.text}}{{end}}');
go(['cm'], '{{range .items}}{{.data.unicode}}|{{.data.html}}|{{html .data.html}}|{{js .data.html}}{{"\\n"}}{{end}}');
go(['cm'], '{{(index .items 0).metadata.name}}');
go(['cm'], '{{with index .items 1}}{{.metadata.name}} {{.metadata.labels.tier}}{{end}}');
go(['cm'], '{{range .items}}{{if eq .metadata.labels.tier "front"}}{{.metadata.name}}{{end}}{{end}}');
go(['cm'], '{{range .items}}{{if and (eq .metadata.labels.app "web") (ne .metadata.labels.tier "front")}}{{.metadata.name}}{{end}}{{end}}');
go(['cm'], '{{range .items}}{{if or .data.empty .data.count}}{{.metadata.name}} {{end}}{{end}}');
go(['cm'], '{{range .items}}{{.metadata.name}}{{if .metadata.annotations}} (annotated){{end}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items -}}\n{{ .metadata.name }}\n{{ end -}}');
go(['cm'], '{{- range .items }}\n  - {{ .metadata.name -}}\n{{ end }}\n');
go(['cm'], '{{range .items}}{{.metadata.name}}{{"\\n"}}{{range $k, $v := .data}}  {{$k}}: {{$v}}{{"\\n"}}{{end}}{{end}}');
go(['cm'], '{{/* the names */}}{{range .items}}{{.metadata.name}} {{end}}');
go(['cm'], '{{.kind}} {{.apiVersion}} {{.metadata}}');
go(['cm'], '{{range .items}}{{.kind}}/{{.metadata.name}} {{.apiVersion}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{.metadata.uid | len}} {{end}}');
go(['cm'], '{{range .items}}{{printf "%s/%s" .metadata.namespace .metadata.name | printf "%-40s|"}}{{"\\n"}}{{end}}');
go(['cm'], '{{range $cm := .items}}{{range $cm.metadata.labels}}{{.}},{{end}};{{end}}');
go(['cm'], '{{range .items}}{{if not .data}}{{.metadata.name}} has no data{{end}}{{end}}');
go(['cm'], '{{$first := index .items 0}}{{$first.metadata.name}} of {{len .items}}');
go(['cm'], '{{range .items}}{{.metadata.name}}{{break}}{{end}}');
go(['cm'], '{{range .items}}{{if eq .metadata.name "beta"}}{{continue}}{{end}}{{.metadata.name}} {{end}}');
go(['cm'], '{{range .items}}{{.data.missing}} {{.nope.deeper}} {{end}}');
go(['cm'], '{{.items}}');
go(['cm'], '{{range .items}}{{len .metadata.managedFields}} {{(index .metadata.managedFields 0).manager}} {{(index .metadata.managedFields 0).operation}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{with .metadata.annotations}}{{urlquery .note}}{{end}}|{{js .data.text}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{if .data}}{{index .data "key.with.dots"}}{{end}}|{{exists .data "key.with.dots"}}|{{exists . "data" "count"}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{with .metadata.labels}}{{printf "%v %T" (len .) (len .)}}{{end}} {{printf "%d" (len .metadata.name)}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{slice .metadata.name 0 2}}{{printf "%.3s" .metadata.name}}{{printf "%x" .metadata.name}} {{end}}');
go(['cm'], '{{range .items}}{{.metadata.labels}}{{"\\n"}}{{end}}');
go(['cm'], '{{range .items}}{{printf "%v|%+v|%s" .data .metadata.labels.app .data.count}}{{"\\n"}}{{end}}');
// Services: ports, selectors, numbers.
go(['svc'], '{{range .items}}{{.metadata.name}}{{range .spec.ports}} {{.port}}/{{.protocol}}{{end}}{{"\\n"}}{{end}}');
go(['svc'], '{{range .items}}{{.metadata.name}}: {{.spec.clusterIP}} {{.spec.type}}{{"\\n"}}{{end}}');
go(['svc'], '{{range .items}}{{range .spec.ports}}{{if eq .port 80}}{{.name}}{{end}}{{end}}{{end}}');
go(['svc'], '{{range .items}}{{range .spec.ports}}{{printf "%s:%d->%v\\n" .name .port .targetPort}}{{end}}{{end}}');
go(['svc'], '{{range .items}}{{range $k, $v := .spec.selector}}{{$k}}={{$v}} {{end}}{{"\\n"}}{{end}}');
go(['svc'], '{{range .items}}{{if gt (len .spec.ports) 1}}{{.metadata.name}} has {{len .spec.ports}} ports{{end}}{{end}}');
go(['svc'], '{{range .items}}{{range .spec.ports}}{{printf "%T " .port}}{{printf "%T " .targetPort}}{{end}}{{end}}');
go(['svc'], '{{range .items}}{{range .spec.ports}}{{if lt .port 1000}}{{.port}} {{end}}{{end}}{{end}}');
go(['svc'], '{{range .items}}{{.spec.ports}}{{"\\n"}}{{end}}');
// Deployments: containers, images, numbers.
go(['deploy'], '{{range .items}}{{.metadata.name}}{{range .spec.template.spec.containers}} {{.name}}={{.image}}{{end}}{{"\\n"}}{{end}}');
go(['deploy'], '{{range .items}}{{.spec.replicas}} {{printf "%d" .spec.replicas}} {{printf "%03d|%-3v|%5.1f" .spec.replicas .spec.replicas 2.5}}{{end}}');
go(['deploy'], '{{range .items}}{{range .spec.template.spec.containers}}{{range .env}}{{.name}}={{.value}}{{end}}{{end}}{{end}}');
go(['deploy'], '{{range .items}}{{range .spec.template.spec.containers}}{{.name}}: {{.resources.requests.cpu}} {{.resources.requests.memory}}{{"\\n"}}{{end}}{{end}}');
go(['deploy'], '{{range .items}}{{range .spec.template.spec.containers}}{{if .command}}{{.name}}:{{range .command}} {{.}}{{end}}{{end}}{{end}}{{end}}');
go(['deploy'], '{{range .items}}{{.spec.strategy.type}} {{.spec.strategy.rollingUpdate.maxSurge}} {{.spec.progressDeadlineSeconds}} {{.spec.revisionHistoryLimit}}{{end}}');
go(['deploy'], '{{range .items}}{{len .spec.template.spec.containers}} containers, first {{(index .spec.template.spec.containers 0).image}}{{end}}');
go(['deploy'], '{{range .items}}{{range $i, $c := .spec.template.spec.containers}}{{if $i}}, {{end}}{{$c.name}}{{end}}{{end}}');
go(['deploy'], '{{range .items}}{{range .spec.template.spec.containers}}{{range .ports}}{{.containerPort}}{{end}}{{end}}{{end}}');
go(['deploy'], '{{range .items}}{{with .spec.template.spec.containers}}{{range .}}{{.image}} {{end}}{{end}}{{end}}');
// Secrets: base64decode of their data.
go(['secret', 'creds'], '{{.data.user | base64decode}}');
go(['secret', 'db'], '{{range $k, $v := .data}}{{$k}}={{$v | base64decode}}{{"\\n"}}{{end}}');
go(['secret', 'db'], '{{with .data}}{{base64decode .password}}{{end}}');
go(['secret', 'db'], '{{printf "%s:%s" (base64decode .data.user) (base64decode .data.password)}}');
go(['secret', 'db'], '{{base64decode .data.motd | printf "%q"}} {{len (base64decode .data.motd)}} {{index .metadata.annotations "example.com/rotated"}}');
go(['secret'], '{{range .items}}{{.metadata.name}}: {{.type}} {{len .data}} keys{{"\\n"}}{{end}}');
// One object by name: the template runs on it.
go(['cm', 'alpha'], '{{.metadata.name}} {{.data.count}} {{.kind}}');
go(['cm', 'alpha'], '{{range $k, $v := .data}}{{printf "%-15s %q\\n" $k $v}}{{end}}');
go(['deploy', 'web'], '{{.spec.replicas}} {{.spec.selector.matchLabels.app}}');
go(['svc', 'web'], '{{(index .spec.ports 0).port}} {{(index .spec.ports 1).targetPort}}');
go(['cm', 'alpha'], '{{define "row"}}{{.metadata.name}}/{{.metadata.labels.tier}}{{end}}{{template "row" .}}');
go(['cm', 'alpha'], '{{.metadata.nope}} {{.spec}} {{.items}}');
// Several names, several types, definitions, blocks, an empty list.
go(['cm', 'alpha', 'beta'], '{{range .items}}{{.metadata.name}} {{end}}{{.kind}}');
go(['cm,svc'], '{{range .items}}{{.kind}}/{{.metadata.name}}{{"\\n"}}{{end}}');
go(['cm'], '{{define "row"}}- {{.metadata.name}}{{"\\n"}}{{end}}{{range .items}}{{template "row" .}}{{end}}');
go(['cm'], '{{block "list" .items}}{{range .}}{{.metadata.name}} {{end}}{{end}}');
go(['cm'], '{{range .items}}{{.metadata.name}}{{else}}none{{end}}|{{len .items}}|{{.items}}', '-l', 'app=nothing');
// The aliases, the file forms and --template.
corpus.push([['cm'], ['-o', 'template={{range .items}}{{.metadata.name}} {{end}}']]);
corpus.push([['cm'], ['--template', '{{range .items}}{{.metadata.name}} {{end}}']]);
corpus.push([['cm'], ['-o', 'go-template', '--template', '{{range .items}}{{.metadata.name}} {{end}}']]);
corpus.push([['cm'], ['-o', `go-template-file=${namesFile}`]]);
corpus.push([['svc'], ['-o', `templatefile=${rowFile}`]]);
corpus.push([['cm'], ['-o', 'go-template-file', '--template', rowFile]]);
corpus.push([['cm'], ['-o', 'templatefile', '--template', namesFile]]);
// Missing keys refused.
go(['cm'], '{{range .items}}{{.metadata.name}} {{end}}', '--allow-missing-template-keys=false');
go(['cm', 'alpha'], '{{.data.count}} {{index .data "absent"}}', '--allow-missing-template-keys=false');

/** [get arguments before the namespace, output flags, our exit status]: templates that fail. */
const failures: Array<[string[], string[], 1 | 2]> = [
  [['cm'], ['-o', 'go-template={{.metadata.name'], 2],
  [['cm'], ['-o', 'go-template={{range .items}}{{.metadata.name}}'], 2],
  [['cm'], ['-o', 'go-template={{nope .items}}'], 2],
  [['cm'], ['-o', 'go-template={{with $x := 1}}{{$y}}{{end}}'], 2],
  [['cm'], ['-o', 'go-template={{range .items}}{{end}}{{else}}'], 2],
  [['cm'], ['-o', 'go-template={{.items | 3}}'], 2],
  [['cm'], ['-o', 'go-template={{index .items 0 | | len}}'], 2],
  [['cm'], ['-o', 'go-template='], 2],
  [['cm'], ['-o', 'go-template'], 2],
  [['cm'], ['-o', 'go-template={{.kind}}', '--template', '{{.kind}}'], 2],
  [['cm'], ['-o', `go-template-file=${path.join(dir, 'absent.tmpl')}`], 2],
  [['cm'], ['-o', `templatefile=${dir}`], 2],
  [['cm'], ['-o', 'go-template={{index}}'], 1],
  [['cm'], ['-o', 'go-template={{range .items}}{{.metadata.name}} {{index .metadata.labels}}{{index .metadata.labels 1}}{{end}}'], 1],
  [['cm'], ['-o', 'go-template={{range .items}}{{.metadata.name.first}}{{end}}'], 1],
  [['cm'], ['-o', 'go-template={{range .items}}{{printf "%d" (len)}}{{end}}'], 1],
  [['cm'], ['-o', 'go-template={{index .items 10}}'], 1],
  [['cm'], ['-o', 'go-template={{range .items}}{{.metadata.name}} {{base64decode .metadata.name}}{{end}}'], 1],
  [['cm'], ['-o', 'go-template={{template "nope"}}'], 1],
  [['cm'], ['-o', 'go-template={{eq .items 1}}'], 1],
  [['cm'], ['-o', 'go-template={{range .items}}{{.metadata.name}}:{{.data.count}} {{end}}', '--allow-missing-template-keys=false'], 1],
  [['cm', 'alpha'], ['-o', 'go-template={{.data.count.x}}'], 1],
  // kube-root-ca.crt has no labels, gamma no data: what real scripts trip on.
  [['cm'], ['-o', 'go-template={{range .items}}{{index .metadata.labels "app.kubernetes.io/name"}}{{"\\n"}}{{end}}'], 1],
  [['cm'], ['-o', 'go-template={{range .items}}{{.metadata.name}}: {{index .data "key.with.dots"}}{{"\\n"}}{{end}}'], 1],
  [['cm'], ['-o', 'go-template={{range .items}}{{.metadata.name}} {{len .metadata.labels}}{{"\\n"}}{{end}}'], 1],
  [['secret', 'creds'], ['-o', 'go-template={{base64decode .data.nope}}'], 1],
];

const args = (types: string[], flags: string[]) => [...types, '-n', seeded.ns, ...flags];

/**
 * Both plugins against kubectl: stdout byte for byte; then, when kubectl succeeds, our exit 0 and
 * the same stderr; when it fails, the same first stderr line and our exit status. Tried again
 * a few times before a difference counts (another test may touch the shared objects). Returns
 * the differences, each with its plugin and flags.
 */
async function compare(label: string, argv: string[], ourExit?: 1 | 2): Promise<string[]> {
  const differences: string[] = [];
  for (const name of ['lsres', 'dynget']) {
    let last = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const [ours, theirs]: Outcome[] = await Promise.all([plugin(name, argv)(), oracle(['get', ...argv])()]);
      const problems: string[] = [];
      if (ours.stdout !== theirs.stdout) problems.push(`stdout differs:${sideBySide(theirs.stdout, ours.stdout)}`);
      if (theirs.code === 0) {
        if (ours.code !== 0 || ours.stderr !== theirs.stderr) problems.push(`exit ${ours.code}, stderr ${JSON.stringify(ours.stderr)}; kubectl's ${JSON.stringify(theirs.stderr)}`);
      } else {
        if (ours.code !== (ourExit ?? theirs.code)) problems.push(`exit: ours ${ours.code}, want ${ourExit} (kubectl ${theirs.code})`);
        const first = (s: string) => s.split('\n')[0];
        if (first(ours.stderr) !== first(theirs.stderr)) problems.push(`stderr: ours ${JSON.stringify(first(ours.stderr))}, kubectl's ${JSON.stringify(first(theirs.stderr))}`);
      }
      if (ourExit !== undefined && theirs.code === 0) problems.push('kubectl did not fail');
      if (ourExit === undefined && theirs.code !== 0) problems.push(`kubectl failed: ${theirs.stderr}`);
      last = problems.join('\n');
      if (last === '') break;
      await sleep(300);
    }
    if (last !== '') differences.push(`${name} ${label}\n${last}`);
  }
  return differences;
}

test(`at least 60 templates (${corpus.length}) print as kubectl get prints them, through lsres and dynget`, async (t) => {
  t.true(corpus.length >= 60);
  const differences: string[] = [];
  await forEachLimited(corpus, 2, async ([types, flags]) => void differences.push(...(await compare(flags.join(' '), args(types, flags)))));
  t.deepEqual(differences, []);
});

test(`at least 8 failing templates (${failures.length}): kubectl's stdout, first stderr line and exit status (ours 2 for a usage error)`, async (t) => {
  t.true(failures.length >= 8);
  const differences: string[] = [];
  await forEachLimited(failures, 2, async ([types, flags, ourExit]) => void differences.push(...(await compare(flags.join(' '), args(types, flags), ourExit))));
  t.deepEqual(differences, []);
});

const start = (binary: string, argv: string[]) => startWatching(binary, seeded.kubeconfig, argv);

// Serial: it runs before the others, and its object is gone when they list.
for (const extra of [['-o', 'go-template={{.metadata.name}} {{.metadata.labels.step}} {{len .data}}{{"\\n"}}'], ['--output-watch-events', '-o', 'go-template={{.type}} {{.object.metadata.name}} {{.object.metadata.labels.step}}{{"\\n"}}']]) {
  test.serial(`-w ${extra.join(' ')}: the template runs on each object listed, then on each change`, async (t) => {
    const argv = ['cm', '-n', seeded.ns, '-l', 'watched=yes', '-w', ...extra];
    await kubectlOk(['create', 'configmap', 'watched', '-n', seeded.ns, '--from-literal=a=1']);
    await kubectlOk(['label', 'configmap', 'watched', 'watched=yes', 'step=1', '-n', seeded.ns]);
    const ours = start(pluginPath('lsres'), argv);
    const theirs = start((await ensureCluster()).kubectl, ['get', ...argv]);
    try {
      await until('both to print the list and watch', () => ours.watching() && theirs.watching());
      await kubectlOk(['label', 'configmap', 'watched', 'step=2', '--overwrite', '-n', seeded.ns]);
      await kubectlOk(['delete', 'configmap', 'watched', '-n', seeded.ns]);
      await until('both to print the changes', () => ours.out().split('\n').length >= 4 && theirs.out().split('\n').length >= 4);
      await sleep(500);
    } finally {
      ours.child.kill('SIGINT');
      theirs.child.kill('SIGINT');
      await Promise.all([ours.done, theirs.done]);
      await kubectlOk(['delete', 'configmap', 'watched', '-n', seeded.ns, '--ignore-not-found']);
    }
    t.is(ours.out(), theirs.out());
    t.is(ours.out().split('\n').length, 4, ours.out());
  });
}
