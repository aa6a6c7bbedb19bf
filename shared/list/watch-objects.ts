/**
 * `-w` with `-o json|yaml|name|jsonpath|go-template|custom-columns`, as kubectl get prints it: the listed objects one by one
 * (not a List), then the object of every change; YAML documents separated by `---`; managedFields
 * left out unless --show-managed-fields (a template sees them); a template runs on each object. One object by name: its state, then its changes (the
 * server's first ADDED is that state). Ctrl-C ends it, exit 0.
 */
import { apiVersionOf, namePrefix } from '../discovery/api-resource.ts';
import { ExitCode, PluginError } from '../errors.ts';
import { formatObject, withTypeMeta, type KubeObject } from '../output/object-output.ts';
import type { Page } from '../listwatch/list-pages.ts';
import { currentState, followTarget, type WatchTarget } from './watch-stream.ts';
import { JsonPathExecutionError } from '../output/jsonpath/evaluate.ts';
import { goJsonValue, type JsonPath } from '../output/jsonpath/print.ts';
import { goJsonString } from '../output/go-json.ts';
import { goYaml } from '../output/go-yaml.ts';
import { kyaml } from '../output/kyaml.ts';
import { customColumnsRow, type CustomColumns } from '../output/custom-columns.ts';
import type { GoTemplatePrinter } from '../output/go-template/print.ts';
import { goTabwriter } from '../output/go-tabwriter.ts';

export interface WatchObjectsOptions extends WatchTarget {
  format: 'json' | 'yaml' | 'kyaml' | 'name' | 'jsonpath' | 'go-template' | 'custom-columns';
  /** For -o custom-columns. */
  columns?: CustomColumns | undefined;
  noHeaders?: boolean | undefined;
  /** For -o jsonpath. */
  jsonPath?: JsonPath | undefined;
  template?: string | undefined;
  /** For -o go-template. */
  goTemplate?: GoTemplatePrinter | undefined;
  showManagedFields: boolean;
}

export async function watchObjects(options: WatchObjectsOptions): Promise<ExitCode> {
  const { resource } = options;
  let printed = 0;
  // Custom columns: kubectl's printer writes its header before its first row, and the watch's
  // one tabwriter (flushed after the list, then after each event) remembers column widths.
  const widths: number[] = [];
  let pendingRows: string[][] = [];
  const flush = () => {
    if (pendingRows.length === 0) return;
    options.streams.stdout.write(goTabwriter(pendingRows.map((row) => `${row.join('\t')}\n`).join(''), widths));
    pendingRows = [];
  };
  const addRow = (object: unknown) => {
    const spec = options.columns!;
    if (printed === 0 && (spec.alwaysHeaders || !options.noHeaders)) pendingRows.push(spec.columns.map((c) => c.header));
    try {
      pendingRows.push(customColumnsRow(spec, object));
    } catch (error) {
      flush();
      if (error instanceof JsonPathExecutionError) throw new PluginError(error.message, ExitCode.api, { cause: error });
      throw error;
    }
    printed++;
  };
  const print = (object: KubeObject, type: string) => {
    if (options.format === 'custom-columns') return addRow(options.outputWatchEvents ? { type, object } : object);
    const separator = options.format === 'yaml' && printed > 0 ? '---\n' : '';
    let text: string;
    if (options.format === 'name') text = `${namePrefix(resource)}/${object.metadata?.name ?? ''}\n`;
    else if (options.outputWatchEvents) {
      // kubectl prints its typed WatchEvent: type first, one line of JSON, YAML keys sorted.
      if (options.format === 'json') text = `{"type":${goJsonString(type)},"object":${goJsonValue(object, '', '')}}\n`;
      else if (options.format === 'yaml') text = separator + goYaml({ object, type });
      else if (options.format === 'kyaml') text = kyaml({ type, object }, { keepOrder: true });
      else if (options.format === 'go-template') text = runGoTemplate(options, { type, object });
      else text = runTemplate(options, { type, object });
    } else if (options.format === 'jsonpath') text = runTemplate(options, object);
    else if (options.format === 'go-template') text = runGoTemplate(options, object);
    else text = separator + formatObject(object, options.format, { showManagedFields: options.showManagedFields });
    printed++;
    options.streams.stdout.write(text);
  };

  const { pages, resourceVersion } = await currentState<Page & { items?: KubeObject[] }>(options, 'application/json');
  // A list's pages hold items; the one object by name is its own page.
  const objects = options.name === undefined ? pages.flatMap((page) => page.items ?? []) : (pages as KubeObject[]);
  if (!options.watchOnly) for (const object of objects) print(withTypeMeta(object, apiVersionOf(resource), resource.kind), 'ADDED');
  flush();
  let output = options.name === undefined;

  await followTarget(options, 'application/json', resourceVersion, (event) => {
    const object = event.object as KubeObject;
    if (output) print(object, event.type);
    flush();
    output = true;
    return (object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  });
  return ExitCode.ok;
}

function runTemplate(options: WatchObjectsOptions, object: unknown): string {
  try {
    return options.jsonPath!.execute(object);
  } catch (error) {
    if (error instanceof JsonPathExecutionError) throw new PluginError(`error executing jsonpath ${JSON.stringify(options.template)}: ${error.message}`, ExitCode.api, { cause: error });
    throw error;
  }
}

/** A Go template on one object (kubectl's printer per event): on failure, what it printed, then the error. */
function runGoTemplate(options: WatchObjectsOptions, object: unknown): string {
  const { text, error } = options.goTemplate!.print(object);
  if (error === undefined) return text;
  options.streams.stdout.write(text);
  throw new PluginError(error, ExitCode.api);
}
