/** The flags of every command that lists: selectors, chunking and output. */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.ts';
import { parseOutputSpec, type OutputKind, type OutputSpec } from '../output/output-spec.ts';
import { parseSortBy, type SortBy } from '../list/sort-by.ts';

export interface ListArgs {
  selector?: string;
  'field-selector'?: string;
  'chunk-size': number;
  output?: string;
  template?: string;
  'allow-missing-template-keys'?: boolean;
  'no-headers'?: boolean;
  'show-managed-fields'?: boolean;
  'all-namespaces'?: boolean;
  'ignore-not-found'?: boolean;
  'sort-by'?: string;
  'label-columns'?: string[];
  'show-labels'?: boolean;
  'show-kind'?: boolean;
  watch?: boolean;
  'watch-only'?: boolean;
  'output-watch-events'?: boolean;
  'all-contexts'?: boolean;
  filename?: string[];
  recursive?: boolean;
  kustomize?: string;
  raw?: string;
  'server-print'?: boolean;
  subresource?: string;
}

export function addListFlags<T>(y: Argv<T>): Argv<T & ListArgs> {
  return y
    .option('selector', { alias: 'l', type: 'string', description: 'Label selector to filter on, e.g. -l app=nginx' })
    .option('field-selector', { type: 'string', description: 'Field selector to filter on, e.g. --field-selector status.phase=Running' })
    .option('chunk-size', { type: 'number', default: 500, description: 'Return large lists in chunks of this many items (0: all at once)' })
    .option('sort-by', { type: 'string', description: 'Sort by this JSONPath field, e.g. --sort-by=.metadata.creationTimestamp (lists are then fetched whole)' })
    .option('label-columns', { alias: 'L', type: 'string', array: true, description: 'A column for each of these label keys (comma lists, repeatable), e.g. -L app,tier' })
    .option('show-labels', { type: 'boolean', description: 'Show all labels as the last column of a table' })
    .option('show-kind', { type: 'boolean', description: 'Prefix names with their kind, even for one type' })
    .option('output', {
      alias: 'o',
      type: 'string',
      description: 'Output format: table, wide, json, yaml, kyaml, name, jsonpath=TEMPLATE, jsonpath-file=FILE, jsonpath-as-json=TEMPLATE, go-template=TEMPLATE, go-template-file=FILE, custom-columns=SPEC or custom-columns-file=FILE',
    })
    .option('template', { type: 'string', description: 'The template for -o jsonpath|go-template, or the file for -o jsonpath-file|go-template-file' })
    .option('allow-missing-template-keys', { type: 'boolean', default: true, description: 'Ignore a missing field or map key in a template (jsonpath prints nothing for it, go-template <no value>)' })
    .option('ignore-not-found', { type: 'boolean', description: 'A named object that does not exist is not an error (and an empty list prints nothing)' })
    .option('watch', { alias: 'w', type: 'boolean', description: 'After listing, print each change as the server reports it (one type)' })
    .option('watch-only', { type: 'boolean', description: 'Print only the changes, not the current list' })
    .option('output-watch-events', { type: 'boolean', description: 'With --watch: an EVENT column (ADDED, MODIFIED, DELETED) first' })
    .option('all-contexts', { type: 'boolean', description: 'List in every context of the kubeconfig, concurrently (a CONTEXT column first); --context also takes a comma list' })
    .option('no-headers', { type: 'boolean', description: 'Print tables without the header row' })
    .option('show-managed-fields', { type: 'boolean', description: 'Keep metadata.managedFields in -o json|yaml output' })
    .option('filename', { alias: 'f', type: 'string', array: true, default: [], description: 'Get the objects a manifest names: a file, directory, http(s):// URL, or - for stdin; repeat for several' })
    .option('recursive', { alias: 'R', type: 'boolean', description: 'Read the directories given with -f and every directory below them' })
    .option('kustomize', { alias: 'k', type: 'string', description: 'Refused: render a kustomization with kubectl kustomize DIR and pipe it to -f -' })
    .option('raw', { type: 'string', description: 'GET this URL path and print the raw response body' })
    .option('server-print', { type: 'boolean', default: true, description: "Tables from the server's columns; false: NAME and AGE only, made here" })
    .option('subresource', { type: 'string', description: 'Get this subresource of the named objects (status, scale), as kubectl get --subresource' }) as unknown as Argv<T & ListArgs>;
}

export function checkChunkSize(value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new UsageError(`invalid value ${value} for --chunk-size: must be a whole number, 0 for no chunks`);
  }
  return value;
}

export interface CheckedListFlags {
  /** The kind of output (`table`, `json`, `jsonpath`, …). */
  format: OutputKind;
  /** The output with its parsed template or columns. */
  output: OutputSpec;
  /** 0 with --sort-by, as kubectl: the whole list is needed to sort it. */
  chunkSize: number;
  sortBy?: SortBy | undefined;
  labelColumns: string[];
}

/** The list flags a user can get wrong, checked once and before any request. */
export function checkListFlags(args: ListArgs): CheckedListFlags {
  const output = parseOutputSpec({ output: args.output, template: args.template, allowMissingTemplateKeys: args['allow-missing-template-keys'] });
  if (args['show-labels'] && output.kind !== 'table' && output.kind !== 'wide') throw new UsageError(`--show-labels option cannot be used with ${args.output} printer`);
  const watching = Boolean(args.watch || args['watch-only']);
  if (args['output-watch-events'] && !watching) throw new UsageError('--output-watch-events option can only be used with --watch or --watch-only');
  if (watching && args.subresource) throw new UsageError('--subresource cannot be used with --watch');
  const chunkSize = checkChunkSize(args['chunk-size']);
  const sortBy = args['sort-by'] ? parseSortBy(args['sort-by']) : undefined;
  const labelColumns = (args['label-columns'] ?? []).filter((k) => k !== '');
  return { format: output.kind, output, chunkSize: sortBy ? 0 : chunkSize, sortBy, labelColumns };
}
