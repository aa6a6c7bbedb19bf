/**
 * What `-o` asks a listing command for, as kubectl get reads it: the plain formats, the
 * templates (`jsonpath=T`, `jsonpath-file=F`, `jsonpath-as-json=T`, or `-o jsonpath
 * --template T`), Go templates (`go-template=T`, `go-template-file=F`, their aliases
 * `template=T`, `templatefile=F`, `-o go-template --template T`, or `--template T` alone),
 * custom columns (`custom-columns=SPEC`, `custom-columns-file=F`). Checked before any request:
 * a template that does not parse is exit 2.
 */
import { UsageError } from '../errors.ts';
import { JsonPathSyntaxError } from './jsonpath/parser.ts';
import { createJsonPath, type JsonPath } from './jsonpath/print.ts';
import { createGoTemplatePrinter, type GoTemplatePrinter } from './go-template/print.ts';
import { TemplateParseError } from './go-template/template.ts';
import { readGoTemplateFile, readTemplateFile } from './template-file.ts';
import { parseCustomColumns, parseCustomColumnsFile, type CustomColumns } from './custom-columns.ts';

export type OutputSpec =
  | { kind: 'table' | 'wide' | 'json' | 'yaml' | 'kyaml' | 'name' }
  | { kind: 'jsonpath'; jsonPath: JsonPath; template: string }
  | { kind: 'go-template'; goTemplate: GoTemplatePrinter; template: string }
  | { kind: 'custom-columns'; columns: CustomColumns };

export type OutputKind = OutputSpec['kind'];

export const listOutputFormats = ['custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'kyaml', 'name', 'template', 'templatefile', 'wide', 'yaml'] as const;

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
  // kubectl get: --template alone means -o go-template.
  if (output === '' && flags.template) return goTemplate('go-template', flags.template, flags);
  if (goTemplateFormats.includes(format)) {
    // kubectl's GoTemplatePrintFlags: with --template, only the bare format names match.
    if (flags.template && inline !== undefined) throw unmatched(output);
    return goTemplate(format, inline ?? flags.template, flags);
  }
  if (eq < 0 && ['', 'table', 'wide', 'json', 'yaml', 'kyaml', 'name'].includes(format)) return { kind: (format || 'table') as 'table' };
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
  throw unmatched(output);
}

function unmatched(output: string): UsageError {
  return new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${listOutputFormats.join(',')}`);
}

/** cli-runtime's GoTemplatePrintFlags.ToPrinter: kubectl's messages, and missingkey=error unless keys may be missing. */
function goTemplate(format: string, argument: string | undefined, flags: OutputFlags): OutputSpec {
  if (!argument) throw new UsageError('template format specified but no template given', { hint: `e.g. -o ${format}=${format.endsWith('file') ? 'FILE' : "'{{range .items}}{{.metadata.name}} {{end}}'"}` });
  const template = format === 'go-template-file' || format === 'templatefile' ? readGoTemplateFile(argument) : argument;
  try {
    return { kind: 'go-template', template, goTemplate: createGoTemplatePrinter(template, { allowMissingKeys: flags.allowMissingTemplateKeys ?? true }) };
  } catch (error) {
    if (error instanceof TemplateParseError) throw new UsageError(`error parsing template ${template}, ${error.message}`);
    throw error;
  }
}
