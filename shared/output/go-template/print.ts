/**
 * kubectl's Go template printer (cli-runtime's GoTemplatePrinter): the template runs on the
 * object as kubectl hands it over (JSON decoded into map[string]interface{}: whole numbers as
 * int64, others float64). When it fails, kubectl writes to stdout what the template printed,
 * then "Error executing template: … Printing more information for debugging the template:" with
 * the template, the object as JSON and as Go prints the map; and returns
 * `error executing template "T": reason`. We print the same and return the same line.
 */
import { goJsonNumber, goJsonString, sortedKeys } from '../go-json.ts';
import { goSprintf, type FmtArg } from './go-fmt.ts';
import { goQuote } from './go-string.ts';
import { parseGoTemplate, type GoTemplate } from './template.ts';
import { isInt64, type Value } from './values.ts';

export interface GoTemplatePrinter {
  /** Stdout for one object (or List), and kubectl's error line when the template failed on it. */
  print(object: unknown): { text: string; error?: string };
}

export interface GoTemplatePrinterOptions {
  /** --allow-missing-template-keys (default true). */
  allowMissingKeys?: boolean;
}

/** Parses once (throws TemplateParseError with Go's message), runs on each call. */
export function createGoTemplatePrinter(rawTemplate: string, options: GoTemplatePrinterOptions = {}): GoTemplatePrinter {
  const template: GoTemplate = parseGoTemplate(rawTemplate, { missingKeyError: options.allowMissingKeys === false });
  return {
    print(object) {
      const data = object as Value;
      const { output, error } = template.execute(data);
      if (!error) return { text: output };
      const debug =
        `Error executing template: ${error.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${rawTemplate}\n` +
        `\traw data was:\n\t\t${marshal(object)}\n` +
        `\tobject given to template engine was:\n\t\t${goSprintf('%+v', [data as FmtArg])}\n\n`;
      return { text: output + debug, error: `error executing template ${goQuote(rawTemplate)}: ${error.message}` };
    },
  };
}

/** json.Marshal of the object as kubectl holds it: keys sorted, `<>&` escaped, whole numbers as int64. */
function marshal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return isInt64(value) ? BigInt(value).toString() : goJsonNumber(value);
    case 'string':
      return goJsonString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(marshal).join(',')}]`;
      const o = value as Record<string, unknown>;
      return `{${sortedKeys(o)
        .map((k) => `${goJsonString(k)}:${marshal(o[k])}`)
        .join(',')}}`;
    }
    default:
      return 'null';
  }
}
