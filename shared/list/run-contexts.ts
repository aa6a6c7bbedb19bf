/**
 * A listing in one context (runList, today's behaviour) or in several at once (--context a,b,
 * --all-contexts): each context gets its own factory (namespace, credentials, discovery per
 * server), all are fetched concurrently, and the output follows the order of the contexts:
 * one table per type with a CONTEXT column first (aligned across contexts), `context/kind/name`
 * for -o name, one List per context (with `metadata.context`) for -o json|yaml, and templates
 * and custom columns applied per context. A context that fails is reported as
 * `error: context "x": …` while the others print; the exit code is the most severe failure.
 */
import { checkListFlags, type CheckedListFlags, type ListArgs } from '../cli/list-flags.ts';
import { readManifests } from '../manifests/read-sources.ts';
import { checkObjectNamespaces, requestsForObjects } from './get-from-files.ts';
import type { PluginContext } from '../cli/run-plugin.ts';
import { withStdout, type Streams } from '../cli/streams.ts';
import { oneLineMessage } from '../cli/terminal-text.ts';
import { fullyQualifiedName } from '../discovery/api-resource.ts';
import type { Discovery } from '../discovery/discovery-client.ts';
import { ExitCode, mostSevere, PartialFailure, PluginError, UsageError } from '../errors.ts';
import type { RenderOptions } from '../output/server-table.ts';
import { TabWriter } from '../output/tab-writer.ts';
import type { GetRequest } from './get-args.ts';
import { noResourcesMessage, printLists, type SunkTable } from './print-lists.ts';
import { requestedContexts } from './requested-contexts.ts';
import { checkNamesAcrossNamespaces, listPrintOptions, runList } from './run-list.ts';

export interface RunListingOptions {
  flags: CheckedListFlags;
  /** The typed arguments resolved against one context's discovery (a type resolves per cluster). */
  resolve(discovery: Discovery): Promise<GetRequest[]>;
  singleItem?: boolean;
  extraColumns?: RenderOptions['extraColumns'];
  /** -o json|yaml|name|templates print nothing when any named object failed (`get -f`, as kubectl). */
  nothingOnError?: boolean;
}

interface ContextOutcome {
  name: string;
  namespace: string | undefined;
  requests: GetRequest[];
  text: string;
  tables: SunkTable[];
  found: number;
  errors: PluginError[];
}

export async function runListing(ctx: PluginContext<ListArgs>, options: RunListingOptions): Promise<ExitCode> {
  const contexts = requestedContexts(ctx.args, ctx.given, ctx.factory);
  const { resolve, ...rest } = options;
  if (!contexts) return runList(ctx, { ...rest, requests: await resolve(ctx.factory.discovery()) });
  const { args, streams } = ctx;
  if (args.watch || args['watch-only']) throw new UsageError('--watch takes one context, not several');
  const format = options.flags.format;
  const table = format === 'table' || format === 'wide';
  const outcomes = await Promise.all(contexts.map((name) => inContext(ctx, options, name, table)));

  if (table) writeTables(outcomes, Boolean(args['no-headers']), Boolean(args['show-kind']), streams);
  else {
    // YAML documents need their separator; JSON documents follow each other (a stream for jq).
    const parts = outcomes.map((o) => o.text).filter((text) => text !== '');
    streams.stdout.write(parts.join(format === 'yaml' ? '---\n' : ''));
  }
  if (table && !args['ignore-not-found']) {
    for (const o of outcomes) {
      if (o.found === 0 && o.errors.length === 0) streams.stderr.write(`context "${o.name}": ${noResourcesMessage(o.namespace, o.requests.map((r) => r.resource))}\n`);
    }
  }
  const errors = outcomes.flatMap(({ name, errors }) => errors.map((e) => new PluginError(`context "${name}": ${oneLineMessage(e.message)}`, e.exitCode, e.hint ? { hint: e.hint, cause: e } : { cause: e })));
  if (errors.length === 0) return ExitCode.ok;
  throw new PartialFailure(errors, mostSevere(errors.map((e) => e.exitCode)));
}

/**
 * `-f FILE|DIR|URL [-R]`: the objects the manifests name, read once (stdin included) before any
 * request, then listed as TYPE/NAME arguments would be, each in its own namespace; one object
 * alone prints without a List around it, as kubectl prints it.
 */
export async function runListingFromFiles(ctx: PluginContext<ListArgs>, options: Pick<RunListingOptions, 'extraColumns'>): Promise<ExitCode> {
  const flags = checkListFlags(ctx.args);
  const objects = await readManifests(ctx.args.filename ?? [], ctx.streams.stdin, ctx.signal, { recursive: Boolean(ctx.args.recursive) });
  const explicit = ctx.factory.flags.namespace;
  if (explicit !== undefined) checkObjectNamespaces(objects, explicit);
  // kubectl prints no object of a structured output when one named in the files is missing.
  return runListing(ctx, { ...options, flags, resolve: (discovery) => requestsForObjects(objects, discovery), singleItem: objects.length === 1, nothingOnError: true });
}

/** One context's part: resolved and fetched with its own factory, its output kept until all are in. */
async function inContext(ctx: PluginContext<ListArgs>, options: RunListingOptions, name: string, table: boolean): Promise<ContextOutcome> {
  const { args } = ctx;
  const factory = ctx.factory.forContext(name);
  let text = '';
  const streams = withStdout(ctx.streams, { write: (chunk: string) => (text += chunk) });
  const tables: SunkTable[] = [];
  const outcome: ContextOutcome = { name, namespace: undefined, requests: [], text: '', tables, found: 0, errors: [] };
  try {
    const configured = args['all-namespaces'] ? undefined : factory.restConfig().namespace;
    outcome.requests = await options.resolve(factory.discovery());
    outcome.namespace = checkNamesAcrossNamespaces(args, outcome.requests) ? undefined : configured;
    const result = await printLists({
      ...listPrintOptions(ctx, options, { transport: factory.transport(), requests: outcome.requests, namespace: outcome.namespace, streams, signal: ctx.signal }),
      context: name,
      ...(table ? { tableSink: (t: SunkTable) => tables.push(t) } : {}),
    });
    outcome.found = result.found;
    outcome.errors = result.errors.map((e) => e.error as PluginError);
  } catch (error) {
    if (!(error instanceof PluginError)) throw error;
    outcome.errors.push(error);
  }
  outcome.text = text;
  return outcome;
}

/**
 * One table per type, in the order types first appear, the rows of each context in the order
 * of the contexts; `kind.group/` prefixes when one context would print them, or more than one
 * type has rows across the contexts.
 */
function writeTables(outcomes: ContextOutcome[], noHeaders: boolean, showKind: boolean, streams: Streams): void {
  const groups = new Map<string, { header: string[]; parts: Array<{ context: string; table: SunkTable }> }>();
  for (const { name, tables } of outcomes) {
    for (const table of tables) {
      const key = fullyQualifiedName(table.resource);
      const group = groups.get(key) ?? { header: table.header, parts: [] };
      group.parts.push({ context: name, table });
      groups.set(key, group);
    }
  }
  // As one context would (several types answered there, even empty), or several types across contexts.
  const withKind = showKind || groups.size > 1 || outcomes.some((o) => o.tables.some((t) => t.withKind));
  let written = false;
  for (const { header, parts } of groups.values()) {
    const lines = parts.flatMap(({ context, table }) => (withKind ? table.rowsWithKind : table.rows).map((row) => [context, ...row]));
    if (!noHeaders) lines.unshift(['CONTEXT', ...header]);
    if (written && !noHeaders) streams.stdout.write('\n');
    streams.stdout.write(new TabWriter().format(lines));
    written = true;
  }
}
