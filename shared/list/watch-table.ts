/**
 * `-w/--watch`, `--watch-only`, `--output-watch-events` for a table, as kubectl get prints them:
 * the list first (unless --watch-only), then a row for every change the server streams as a
 * server-side Table (deletes too, with the object's last state), aligned with what came before
 * (widths never shrink); the header again only when the columns change; `--output-watch-events`
 * puts an EVENT column first (`ADDED`, `MODIFIED`, `DELETED`). One object by name is watched
 * from "now": the server's first ADDED for it is the state already printed. A watch the server
 * closes is reopened from the last version seen (kubectl ends there); Ctrl-C ends it, exit 0.
 */
import { ExitCode } from '../errors.ts';
import type { Streams } from '../cli/streams.ts';
import { bodyRows, headerRow, tableAccept, type RenderOptions, type Table, type TableColumn } from '../output/server-table.ts';
import { TabWriter } from '../output/tab-writer.ts';
import { currentState, followTarget, watchNamespace, type WatchTarget } from './watch-stream.ts';

export interface WatchTableOptions extends WatchTarget {
  render: Omit<RenderOptions, 'withNamespace' | 'namePrefix'>;
  noHeaders: boolean;
}

const eventNames: Record<string, string> = { ADDED: 'ADDED   ', MODIFIED: 'MODIFIED', DELETED: 'DELETED ', ERROR: 'ERROR   ' };

export async function watchTable(options: WatchTableOptions): Promise<ExitCode> {
  const { resource } = options;
  const namespace = watchNamespace(options);
  const render: RenderOptions = { ...options.render, withNamespace: namespace === undefined && resource.namespaced, namePrefix: '' };
  const printer = new WatchPrinter(render, options.noHeaders, options.outputWatchEvents, options.streams);
  const { pages: tables, resourceVersion } = await currentState<Table>(options, tableAccept);
  let output = !options.watchOnly;
  printer.print(mergeTables(tables), 'ADDED', output);
  // kubectl starts printing with the first change after a list; after one object, with the
  // second event (the first is the server's ADDED for the state just printed).
  output = options.name === undefined;

  await followTarget(options, tableAccept, resourceVersion, (event) => {
    const table = event.object as unknown as Table;
    printer.print(table, event.type, output);
    output = true;
    const rows = table.rows ?? [];
    return (rows.at(-1)?.object?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  });
  return ExitCode.ok;
}

function mergeTables(tables: Table[]): Table {
  const first = tables[0];
  return { kind: 'Table', columnDefinitions: first?.columnDefinitions ?? [], rows: tables.flatMap((t) => t.rows ?? []), ...(first?.metadata ? { metadata: first.metadata } : {}) };
}

/** cli-runtime's HumanReadablePrinter over one tabwriter, as kubectl get --watch keeps it. */
class WatchPrinter {
  private readonly writer = new TabWriter();
  private printedHeaders = false;
  private lastColumns: TableColumn[] = [];
  private readonly render: RenderOptions;
  private readonly noHeaders: boolean;
  private readonly withEvents: boolean;
  private readonly streams: Streams;

  constructor(render: RenderOptions, noHeaders: boolean, withEvents: boolean, streams: Streams) {
    this.render = render;
    this.noHeaders = noHeaders;
    this.withEvents = withEvents;
    this.streams = streams;
  }

  /** `output` false prints no rows (kubectl's skip printer), but the columns still count. */
  print(table: Table, eventType: string, output: boolean): void {
    let noHeaders = this.noHeaders;
    const columns = table.columnDefinitions ?? [];
    if (this.printedHeaders && (columns.length === 0 || sameColumns(columns, this.lastColumns))) noHeaders = true;
    if (columns.length === 0) table = { ...table, columnDefinitions: this.lastColumns };
    else if (!sameColumns(columns, this.lastColumns)) {
      this.lastColumns = columns;
      this.printedHeaders = false;
    }
    const rows = output ? (table.rows ?? []) : [];
    if (rows.length > 0) this.printedHeaders = true;
    if (rows.length === 0) return;
    const shown = { ...table, rows };
    const event = this.withEvents ? [eventNames[eventType] ?? eventType] : [];
    const lines = bodyRows(shown, this.render).map((cells) => [...event, ...cells]);
    if (!noHeaders) lines.unshift([...(this.withEvents ? ['EVENT'] : []), ...headerRow(shown, this.render)]);
    this.streams.stdout.write(this.writer.format(lines));
  }
}

function sameColumns(a: TableColumn[], b: TableColumn[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
