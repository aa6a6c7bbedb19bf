/**
 * A parsed Go template as kubectl builds it (text/template's Template): `template.New("output")`
 * with kubectl's functions, parsed once (its `{{define}}`s and `{{block}}`s beside it), executed
 * on each object with missingkey=default or, for --allow-missing-template-keys=false, error.
 */
import { executeTemplate, type TemplateExecError } from './exec.ts';
import { goTemplateFuncs } from './funcs.ts';
import { parseTemplate, type Tree } from './parser.ts';
import type { Value } from './values.ts';

export { TemplateParseError } from './parser.ts';
export { TemplateExecError } from './exec.ts';

export interface GoTemplate {
  /** The output for one value, with the error that stopped it (after what it had written). */
  execute(data: Value): { output: string; error?: TemplateExecError };
}

const funcNames: ReadonlySet<string> = new Set(goTemplateFuncs.keys());

/** Parses (throws TemplateParseError with Go's message). */
export function parseGoTemplate(text: string, options: { name?: string; missingKeyError?: boolean } = {}): GoTemplate {
  const name = options.name ?? 'output';
  const trees: Map<string, Tree> = parseTemplate(name, text, funcNames);
  const templates = {
    lookup: (n: string) => trees.get(n)?.root,
    missingKeyError: options.missingKeyError ?? false,
  };
  return {
    execute(data) {
      return executeTemplate(templates, name, trees.get(name)!.root!, data);
    },
  };
}
