/**
 * How -o and --template pick a Go template, as kubectl get's print flags do, with kubectl's
 * messages for what they refuse (before any request: exit 2).
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../../../shared/errors.ts';
import { parseOutputSpec } from '../../../../shared/output/output-spec.ts';

const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] };
const names = '{{range .items}}{{.metadata.name}} {{end}}';

function printed(flags: Parameters<typeof parseOutputSpec>[0]): string {
  const spec = parseOutputSpec(flags);
  if (spec.kind !== 'go-template') throw new Error(`not a Go template: ${spec.kind}`);
  return spec.goTemplate.print(list).text;
}

test('go-template=, template=, --template alone and -o go-template --template', (t) => {
  for (const flags of [{ output: `go-template=${names}` }, { output: `template=${names}` }, { template: names }, { output: 'go-template', template: names }, { output: 'template', template: names }]) t.is(printed(flags), 'a b ', JSON.stringify(flags));
});

test('go-template-file= and templatefile=, or the file in --template', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'go-template-spec-'));
  const file = path.join(dir, 't.tmpl');
  fs.writeFileSync(file, names);
  try {
    for (const flags of [{ output: `go-template-file=${file}` }, { output: `templatefile=${file}` }, { output: 'go-template-file', template: file }, { output: 'templatefile', template: file }]) t.is(printed(flags), 'a b ', JSON.stringify(flags));
    t.throws(() => parseOutputSpec({ output: `go-template-file=${path.join(dir, 'absent')}` }), { instanceOf: UsageError, message: `error reading --template ${path.join(dir, 'absent')}, open ${path.join(dir, 'absent')}: no such file or directory` });
    t.throws(() => parseOutputSpec({ output: `templatefile=${dir}` }), { instanceOf: UsageError, message: `error reading --template ${dir}, read ${dir}: is a directory` });
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test("kubectl's refusals: no template, a template twice, one that does not parse", (t) => {
  for (const flags of [{ output: 'go-template=' }, { output: 'go-template' }, { output: 'templatefile' }, { output: 'template=' }]) {
    t.throws(() => parseOutputSpec(flags), { instanceOf: UsageError, message: 'template format specified but no template given' }, JSON.stringify(flags));
  }
  t.throws(() => parseOutputSpec({ output: 'go-template={{.a}}', template: '{{.b}}' }), { instanceOf: UsageError, message: /^unable to match a printer suitable for the output format "go-template=\{\{\.a\}\}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,/ });
  t.throws(() => parseOutputSpec({ output: 'go-template={{.a' }), { instanceOf: UsageError, message: 'error parsing template {{.a, template: output:1: unclosed action' });
  t.throws(() => parseOutputSpec({ output: 'go-template={{nope}}' }), { instanceOf: UsageError, message: 'error parsing template {{nope}}, template: output:1: function "nope" not defined' });
});

test('--allow-missing-template-keys=false: a missing key fails the template', (t) => {
  const spec = parseOutputSpec({ output: 'go-template={{range .items}}{{.metadata.name}}{{.x}}{{end}}', allowMissingTemplateKeys: false });
  if (spec.kind !== 'go-template') return t.fail();
  const { text, error } = spec.goTemplate.print(list);
  t.is(error, 'error executing template "{{range .items}}{{.metadata.name}}{{.x}}{{end}}": template: output:1:36: executing "output" at <.x>: map has no entry for key "x"');
  t.true(text.startsWith('aError executing template: template: output:1:36: executing "output" at <.x>: map has no entry for key "x". Printing more information for debugging the template:\n\ttemplate was:\n\t\t{{range .items}}{{.metadata.name}}{{.x}}{{end}}\n\traw data was:\n\t\t{"apiVersion":"v1","items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}],"kind":"List","metadata":{"resourceVersion":""}}\n\tobject given to template engine was:\n\t\tmap[apiVersion:v1 items:[map[metadata:map[name:a]] map[metadata:map[name:b]]] kind:List metadata:map[resourceVersion:]]\n\n'), text);
});
