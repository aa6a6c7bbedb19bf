/**
 * What `-o` asks a listing command for, as kubectl get reads it: the plain formats, the
 * templates (`jsonpath=T`, `jsonpath-file=F`, `jsonpath-as-json=T`, or `-o jsonpath
 * --template T`), custom columns (`custom-columns=SPEC`, `custom-columns-file=F`); Go templates
 * are refused (use jsonpath). Checked before any request: a template that does not parse is
 * exit 2.
 */
import { UsageError } from '../errors.ts';
import { JsonPathSyntaxError } from './jsonpath/parser.ts';
import { createJsonPath, type JsonPath } from './jsonpath/print.ts';
import { readTemplateFile } from './template-file.ts';
import { parseCustomColumns, parseCustomColumnsFile, type CustomColumns } from './custom-columns.ts';

export type OutputSpec =
  | { kind: 'table' | 'wide' | 'json' | 'yaml' | 'name' }
  | { kind: 'jsonpath'; jsonPath: JsonPath; template: string }
  | { kind: 'custom-columns'; columns: CustomColumns };

export type OutputKind = OutputSpec['kind'];

export const listOutputFormats = ['custom-columns', 'custom-columns-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'wide', 'yaml'] as const;

const goTemplateFormats = ['go-template', 'go-template-file', 'template', 'templatefile'];

export interface OutputFlags {
  output?: string | undefined;
  template?: string | undefined;
  allowMissingTemplateKeys?: boolean | undefined;
}

export function parseOutputSpec(flags: OutputFlags): OutputSpec {
  const output = flags.output ?? '';
  const eq = output.indexOf('=');
  const format = eq >= 0 ? output.slice(0, eq) : output;
  const inline = eq >= 0 ? output.slice(eq + 1) : undefined;
  if (output === '' && flags.template) throw refusedGoTemplate('go-template');
  if (goTemplateFormats.includes(format)) throw refusedGoTemplate(format);
  if (eq < 0 && ['', 'table', 'wide', 'json', 'yaml', 'name'].includes(format)) return { kind: (format || 'table') as 'table' };
  const argument = inline !== undefined ? inline : flags.template;
  switch (format) {
    case 'jsonpath':
    case 'jsonpath-file':
    case 'jsonpath-as-json': {
      if (!argument) throw new UsageError('template format specified but no template given', { hint: `e.g. -o ${format}=${format === 'jsonpath-file' ? 'FILE' : "'{.items[*].metadata.name}'"}` });
      const template = format === 'jsonpath-file' ? readTemplateFile(argument, '--template') : argument;
      try {
        return { kind: 'jsonpath', template, jsonPath: createJsonPath(template, { allowMissingKeys: flags.allowMissingTemplateKeys ?? true, outputJson: format === 'jsonpath-as-json' }) };
      } catch (error) {
        if (error instanceof JsonPathSyntaxError) throw new UsageError(`error parsing jsonpath ${template}, ${error.message}`);
        throw error;
      }
    }
    case 'custom-columns':
      if (!argument) throw new UsageError('custom-columns format specified but no custom columns given', { hint: 'e.g. -o custom-columns=NAME:.metadata.name,KIND:.kind' });
      return { kind: 'custom-columns', columns: parseCustomColumns(argument) };
    case 'custom-columns-file':
      if (!argument) throw new UsageError('custom-columns-file format specified but no file given', { hint: 'e.g. -o custom-columns-file=columns.txt' });
      return { kind: 'custom-columns', columns: parseCustomColumnsFile(readTemplateFile(argument, 'custom-columns-file')) };
  }
  throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${listOutputFormats.join(',')}`);
}

function refusedGoTemplate(format: string): UsageError {
  return new UsageError(`-o ${format} is not supported: Go templates are not implemented, use -o jsonpath=TEMPLATE instead`);
}
