/** The flags of every command that lists: selectors, chunking and output. */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.ts';
import { parseOutputFormat, type OutputFormat } from '../output/formats.ts';

export interface ListArgs {
  selector?: string;
  'field-selector'?: string;
  'chunk-size': number;
  output?: string;
  'no-headers'?: boolean;
  'all-namespaces'?: boolean;
}

export function addListFlags<T>(y: Argv<T>): Argv<T & ListArgs> {
  return y
    .option('selector', { alias: 'l', type: 'string', description: 'Label selector to filter on, e.g. -l app=nginx' })
    .option('field-selector', { type: 'string', description: 'Field selector to filter on, e.g. --field-selector status.phase=Running' })
    .option('chunk-size', { type: 'number', default: 500, description: 'Return large lists in chunks of this many items' })
    .option('output', { alias: 'o', type: 'string', description: 'Output format: table, wide, json, yaml or name' })
    .option('no-headers', { type: 'boolean', description: 'Print tables without the header row' }) as unknown as Argv<T & ListArgs>;
}

export function checkChunkSize(value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new UsageError(`invalid value ${value} for --chunk-size: must be a positive whole number`);
  }
  return value;
}

export interface CheckedListFlags {
  format: OutputFormat;
  chunkSize: number;
}

/** The list flags a user can get wrong, checked once and before any request. */
export function checkListFlags(args: ListArgs): CheckedListFlags {
  return { format: parseOutputFormat(args.output), chunkSize: checkChunkSize(args['chunk-size']) };
}
