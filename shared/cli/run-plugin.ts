/**
 * The one runner every plugin's main.ts calls: reads the flags by pflag's rules (kubectl's global
 * flags included) and types them without yargs, prints the help pages from yargs' definitions,
 * runs the command, and turns typed errors into one `error: …` line on stderr and the exit code
 * of the common contract. It returns the code; only main.ts touches `process`.
 */
import type { Argv } from 'yargs';
import { ExitCode, ForbiddenError, InterruptedError, PartialFailure, PluginError, UsageError } from '../errors.ts';
import { explainDenials } from '../rbac/explain-denials.ts';
import { writeFailures } from './partial-failure.ts';
import { createFactory, type Factory } from './factory.ts';
import { version } from '../version.ts';
import { addCommonFlags, configFlagsFrom, type CommonArgs } from './common-flags.ts';
import type { Streams } from './streams.ts';
import { complete, formatCompletion, type PositionalKind } from '../completion/complete.ts';
import { completionScript } from '../completion/shell-scripts.ts';
import { installKubectlShim } from '../completion/install-shim.ts';
import { completionHelpPage } from '../completion/completion-help.ts';
import { outputFormats } from '../output/formats.ts';
import { checkRuntimeEnvironment } from './runtime-environment.ts';
import { closeConnections } from '../kube/rest-client.ts';
import { oneLineMessage } from './terminal-text.ts';
import { nameRejectedCredentials } from './credential-hint.ts';
import { recordDefinitions, type FlagDefinition } from './flag-definitions.ts';
import { helpFlags, renderGlobalOptions, renderHelp, wrapWidth } from './help.ts';
import { canonicalArgv, flagTable, MissingValueError, parseFlags, type FlagDef, type FlagTraits, type ParsedArgs, type YargsOptionTable } from './flag-grammar.ts';
import { recordOptionTable, typedArgs } from './option-table.ts';

export interface PluginContext<A> {
  /** The plugin's name (`lsres`), for messages and RBAC role names. */
  name: string;
  args: A & CommonArgs;
  /** The positional arguments, in order (those after `--` included). */
  positional: string[];
  /** The arguments after `--` alone (mkdeploy's container command). */
  command: string[];
  /** The flags given on the command line (long names), defaults aside: to refuse one a mode cannot honour. */
  given: ReadonlySet<string>;
  streams: Streams;
  factory: Factory;
  /** Aborted on SIGINT/SIGTERM (long-running commands drain and stop). */
  signal: AbortSignal;
}

export interface PluginSpec<A> {
  /** `lsres` → the binary is `kubectl-lsres`, invoked as `kubectl lsres`. */
  name: string;
  usage: string;
  description: string;
  examples?: Array<[string, string]>;
  listsAcrossNamespaces?: boolean;
  /** What positional arguments complete to (default: none). */
  positional?: PositionalKind;
  /** The -o values this command takes, for completion (default: the list commands' formats). */
  outputFormats?: readonly string[];
  options(y: Argv<CommonArgs>): Argv<A & CommonArgs>;
  /** What pflag knows about a flag and yargs cannot say (`dry-run`'s value when given bare, 32-bit integers). */
  flagTraits?: Record<string, FlagTraits>;
  run(ctx: PluginContext<A>): Promise<ExitCode | void>;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export async function runPlugin<A>(spec: PluginSpec<A>, argv: string[], streams: Streams, options: RunOptions = {}): Promise<ExitCode> {
  let verbosity = 0;
  let factory: Factory | undefined;
  try {
    checkRuntimeEnvironment(options.env ?? process.env);
    if (argv[0] === '__complete') return await runCompletion(spec, argv.slice(1), streams, options);
    if (argv[0] === 'completion') return runCompletionScript(spec, argv.slice(1), streams, options);
    const table = optionTableOf(spec);
    const defs = flagTable(table, spec.flagTraits ?? {});
    const words = parseFlags(argv, defs, usageHint(spec));
    const parsed = typedArgs(words, table.default) as A & CommonArgs & { help?: boolean; version?: boolean };
    // `kubectl lsres options` alone: the global flags, as `kubectl options` prints kubectl's.
    const page = argv.length === 1 && argv[0] === 'options' ? 'options' : parsed.help ? 'help' : undefined;
    if (page) return await printPage(spec, page, defs, streams);
    if (parsed.version) return printVersion(spec, streams);
    const positional = words.positional;
    const command = words.dashAt === undefined ? [] : positional.slice(words.dashAt);
    // klog takes any 32-bit level (pflag checked it); below 0 logs nothing more, as 0.
    verbosity = Math.max(0, parsed.v ?? 0);
    factory = createFactory(configFlagsFrom(parsed), {
      verbosity,
      log: (line) => streams.stderr.write(`${line}\n`),
      userAgent: `kubectl-${spec.name}/${version}`,
      ...(options.env ? { env: options.env } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const given = new Set(words.flags.map((f) => f.def.name));
    const code = await spec.run({ name: spec.name, args: parsed, positional, command, given, streams, factory, signal: options.signal ?? new AbortController().signal });
    return code ?? ExitCode.ok;
  } catch (error) {
    // Whatever a signal cut short (a request, a wait) ends as an interruption, not a failure.
    if (options.signal?.aborted && !(error instanceof InterruptedError)) return await reportError(new InterruptedError(options.signal.reason), streams, verbosity);
    return await reportError(error, streams, verbosity, factory && { factory, roleName: spec.name });
  } finally {
    if (factory !== undefined) await closeConnections();
  }
}

function printVersion<A>(spec: PluginSpec<A>, streams: Streams): ExitCode {
  streams.stdout.write(`kubectl-${spec.name} ${version}\n`);
  return ExitCode.ok;
}

const usageHint = <A>(spec: PluginSpec<A>) => `see 'kubectl ${spec.name} --help' for usage`;

/** The help and options pages: the flags as pflag reads them (`defs`), described by yargs' definitions. */
async function printPage<A>(spec: PluginSpec<A>, page: 'help' | 'options', defs: FlagDef[], streams: Streams): Promise<ExitCode> {
  const { definitions } = buildParser(spec, (await import('yargs')).default);
  const width = wrapWidth(streams.columns, streams.stdoutIsTTY);
  const flags = helpFlags(definitions, defs);
  if (page === 'options') streams.stdout.write(renderGlobalOptions(flags, width));
  else streams.stdout.write(renderHelp({ description: spec.description, examples: spec.examples ?? [], usage: spec.usage, flags, optionsCommand: `kubectl ${spec.name} options` }, width));
  return ExitCode.ok;
}

/**
 * yargs holds the flags' definitions (descriptions and groups for help.ts); reading them is
 * flag-grammar.ts's and typing them option-table.ts's. Loaded by the caller: only the pages and
 * the tests that hold typedArgs to yargs' parse need it.
 */
function buildParser<A>(spec: PluginSpec<A>, yargs: typeof import('yargs').default): { parser: Argv<A & CommonArgs>; definitions: FlagDefinition[] } {
  const y = yargs([])
    .scriptName(`kubectl ${spec.name}`)
    .parserConfiguration({ 'camel-case-expansion': false, 'strip-aliased': true, 'boolean-negation': false, 'populate--': true })
    .strictOptions()
    .version(false)
    .option('version', { type: 'boolean', description: 'Print the version and exit' })
    .help('help')
    .alias('help', 'h')
    .showHelpOnFail(false)
    .exitProcess(false);
  const definitions = recordDefinitions(y);
  return { parser: declareFlags(spec, y as Argv<CommonArgs>), definitions };
}

/** The command's own flags and the global ones, on yargs or on option-table.ts's recorder. */
function declareFlags<A>(spec: PluginSpec<A>, y: Argv<CommonArgs>): Argv<A & CommonArgs> {
  return addCommonFlags(spec.options(y), { allNamespaces: spec.listsAcrossNamespaces ?? false });
}

/** The table yargs holds for the command's flags, recorded without yargs (the completer's). */
export function optionTableOf<A>(spec: PluginSpec<A>): YargsOptionTable {
  return recordOptionTable((y) => declareFlags(spec, y.option('version', { type: 'boolean' }).option('help', { alias: 'h', type: 'boolean' })));
}

/** The table yargs itself holds for the command's flags (what optionTableOf must equal). */
export async function parserOptionTable<A>(spec: PluginSpec<A>): Promise<YargsOptionTable> {
  return (buildParser(spec, (await import('yargs')).default).parser as unknown as { getOptions(): YargsOptionTable }).getOptions();
}

/** What yargs' parse makes of argv read by pflag's grammar (what `typedArgs` must equal). */
export async function yargsArgs<A>(spec: PluginSpec<A>, words: ParsedArgs): Promise<Record<string, unknown>> {
  const { _: _positionals, $0: _script, ...args } = (await buildParser(spec, (await import('yargs')).default).parser.parseAsync(canonicalArgv(words), {}, () => undefined)) as Record<string, unknown>;
  return args;
}

/** Completion, without yargs: a fresh process on every TAB (option-table.ts). */
async function runCompletion<A>(spec: PluginSpec<A>, words: string[], streams: Streams, options: RunOptions): Promise<ExitCode> {
  const args = words.slice(0, -1);
  const toComplete = words[words.length - 1] ?? '';
  const table = optionTableOf(spec);
  // Global flags typed before the word (--kubeconfig, --context, -n) shape the answers.
  let parsed: CommonArgs = {};
  let positionals: string[] | undefined;
  let valueOf: string | undefined;
  try {
    const words = parseFlags(args, flagTable(table, spec.flagTraits ?? {}));
    positionals = words.positional;
    parsed = typedArgs(words);
  } catch (error) {
    // `-n <TAB>`: the last word is a flag waiting for its value.
    if (error instanceof MissingValueError) valueOf = error.flag.name;
    parsed = {};
  }
  const completion = await complete({
    args,
    toComplete,
    options: table,
    positional: spec.positional ?? 'none',
    formats: spec.outputFormats ?? outputFormats,
    positionals,
    valueOf,
    factory: () => createFactory(configFlagsFrom({ ...parsed, 'request-timeout': '2s' }), options.env ? { env: options.env } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  streams.stdout.write(formatCompletion(completion));
  return ExitCode.ok;
}

function runCompletionScript<A>(spec: PluginSpec<A>, args: string[], streams: Streams, options: RunOptions): ExitCode {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    streams.stdout.write(renderHelp(completionHelpPage(spec.name), wrapWidth(streams.columns, streams.stdoutIsTTY)));
    return ExitCode.ok;
  }
  if (args[0] === '--install-kubectl-shim') {
    const env = options.env ?? process.env;
    const file = installKubectlShim(spec.name, { execPath: process.execPath, argv0: process.argv0, path: env['PATH'] ?? '' });
    streams.stderr.write(`wrote ${file}: 'kubectl ${spec.name} <TAB>' now completes (kubectl >= 1.26)\n`);
    return ExitCode.ok;
  }
  if (args.length !== 1) throw new UsageError(`usage: kubectl ${spec.name} completion bash|zsh|fish, or completion --install-kubectl-shim`, { hint: `see 'kubectl ${spec.name} completion --help'` });
  streams.stdout.write(completionScript(args[0]!, `kubectl-${spec.name}`));
  return ExitCode.ok;
}

/**
 * The one place failures become messages and exit codes: a typed error's line (and hint), each
 * failure of a partial one, the commands that grant what a 403 refused (when the run knows its
 * cluster), an interruption's line if it has one, and for anything else a bug report.
 */
export async function reportError(error: unknown, streams: Streams, verbosity = 0, explain?: { factory: Factory; roleName: string }): Promise<ExitCode> {
  if (error instanceof InterruptedError && error.message === '') return error.exitCode;
  if (error instanceof PluginError) {
    const all = (error instanceof PartialFailure ? error.errors : [error]).map((e) => nameRejectedCredentials(e, explain?.factory.flags));
    writeFailures(all, streams);
    if (error instanceof PartialFailure && error.hint) streams.stderr.write(`hint: ${oneLineMessage(error.hint)}\n`);
    const denied = all.flatMap((e) => (e instanceof ForbiddenError ? e.denied : []));
    if (denied.length > 0 && explain) await explainDenials(explain.factory, denied, explain.roleName, streams).catch(() => undefined);
    return error.exitCode;
  }
  const e = error as Error;
  streams.stderr.write(`error: unexpected failure: ${oneLineMessage(e?.message ?? String(error))}\n`);
  streams.stderr.write(`hint: this is a bug in the plugin; rerun with -v=9 and report it\n`);
  if (verbosity >= 9 && e?.stack) streams.stderr.write(`${e.stack}\n`);
  return ExitCode.api;
}
