/**
 * The one runner every plugin's main.ts calls: parses flags with yargs (kubectl's global flags
 * included), runs the command, and turns typed errors into one `error: …` line on stderr and
 * the exit code of the common contract. It returns the code; only main.ts touches `process`.
 */
import yargs, { type Argv } from 'yargs';
import { ExitCode, PluginError, UsageError } from '../errors.ts';
import { createFactory, type Factory } from '../kube/factory.ts';
import { version } from '../version.ts';
import { addCommonFlags, configFlagsFrom, type CommonArgs } from './common-flags.ts';
import type { Streams } from './streams.ts';
import { complete, formatCompletion, type OptionTable, type PositionalKind } from '../completion/complete.ts';
import { completionScript } from '../completion/shell-scripts.ts';
import { installKubectlShim } from '../completion/install-shim.ts';
import { outputFormats } from '../output/formats.ts';

export interface PluginContext<A> {
  /** The plugin's name (`lsres`), for messages and RBAC role names. */
  name: string;
  args: A & CommonArgs;
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
  options(y: Argv<CommonArgs>): Argv<A & CommonArgs>;
  run(ctx: PluginContext<A>): Promise<ExitCode | void>;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export async function runPlugin<A>(spec: PluginSpec<A>, rawArgv: string[], streams: Streams, options: RunOptions = {}): Promise<ExitCode> {
  let verbosity = 0;
  const argv = joinDashValues(rawArgv);
  try {
    // `--version` alone needs no parser: answer before yargs is set up (start-up is our cost).
    if (argv.length === 1 && argv[0] === '--version') return printVersion(spec, streams);
    const parser = () => buildParser(spec, argv);
    if (argv[0] === '__complete') return await runCompletion(spec, argv.slice(1), streams, parser(), options);
    if (argv[0] === 'completion') return runCompletionScript(spec, argv.slice(1), streams);
    let helpText = '';
    const parsed = (await parser().parseAsync(argv, {}, (_err, _argv, output) => {
      helpText = output;
    })) as A & CommonArgs & { help?: boolean; version?: boolean };
    if (parsed.help) {
      streams.stdout.write(`${helpText}\n`);
      return ExitCode.ok;
    }
    if (parsed.version) return printVersion(spec, streams);
    if (parsed.v !== undefined && (!Number.isInteger(parsed.v) || parsed.v < 0)) {
      throw new UsageError(`invalid value ${parsed.v} for -v: must be a whole number ≥ 0`, { hint: 'e.g. -v=6 logs every request' });
    }
    verbosity = parsed.v ?? 0;
    const factory = createFactory(configFlagsFrom(parsed), {
      verbosity,
      log: (line) => streams.stderr.write(`${line}\n`),
      userAgent: `kubectl-${spec.name}/${version}`,
      ...(options.env ? { env: options.env } : {}),
    });
    const code = await spec.run({ name: spec.name, args: parsed, streams, factory, signal: options.signal ?? new AbortController().signal });
    return code ?? ExitCode.ok;
  } catch (error) {
    return reportError(error, streams, verbosity);
  }
}

function printVersion<A>(spec: PluginSpec<A>, streams: Streams): ExitCode {
  streams.stdout.write(`kubectl-${spec.name} ${version}\n`);
  return ExitCode.ok;
}

function buildParser<A>(spec: PluginSpec<A>, argv: string[]): Argv<A & CommonArgs> {
  let y = yargs(argv)
    .scriptName(`kubectl ${spec.name}`)
    .usage(`${spec.description}\n\nUsage:\n  ${spec.usage}`)
    .parserConfiguration({ 'camel-case-expansion': false, 'strip-aliased': true, 'boolean-negation': false })
    .strictOptions()
    .version(false)
    .option('version', { type: 'boolean', description: 'Print the version and exit' })
    .help('help')
    .alias('help', 'h')
    .showHelpOnFail(false)
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns || 80))
    .fail((message, error) => {
      throw error instanceof PluginError ? error : new UsageError(usageMessage(message ?? error?.message ?? 'invalid arguments'), { hint: `see 'kubectl ${spec.name} --help'` });
    });
  for (const [cmd, text] of spec.examples ?? []) y = y.example(cmd, text);
  const withOwn = spec.options(y as Argv<CommonArgs>);
  return addCommonFlags(withOwn, { allNamespaces: spec.listsAcrossNamespaces ?? false });
}

async function runCompletion<A>(spec: PluginSpec<A>, words: string[], streams: Streams, parser: Argv<A & CommonArgs>, options: RunOptions): Promise<ExitCode> {
  const args = words.slice(0, -1);
  const toComplete = words[words.length - 1] ?? '';
  // Global flags typed before the word (--kubeconfig, --context, -n) shape the answers.
  let parsed: CommonArgs = {};
  try {
    parsed = (await parser.parseAsync(args)) as CommonArgs;
  } catch {
    parsed = {};
  }
  const completion = await complete({
    args,
    toComplete,
    options: (parser as unknown as { getOptions(): OptionTable }).getOptions(),
    positional: spec.positional ?? 'none',
    formats: outputFormats,
    factory: () => createFactory(configFlagsFrom({ ...parsed, 'request-timeout': '2s' }), options.env ? { env: options.env } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  streams.stdout.write(formatCompletion(completion));
  return ExitCode.ok;
}

function runCompletionScript<A>(spec: PluginSpec<A>, args: string[], streams: Streams): ExitCode {
  if (args[0] === '--install-kubectl-shim') {
    const file = installKubectlShim(spec.name);
    streams.stderr.write(`wrote ${file}: 'kubectl ${spec.name} <TAB>' now completes (kubectl >= 1.26)\n`);
    return ExitCode.ok;
  }
  if (args.length !== 1) throw new UsageError(`usage: kubectl ${spec.name} completion bash|zsh|fish, or completion --install-kubectl-shim`);
  streams.stdout.write(completionScript(args[0]!, `kubectl-${spec.name}`));
  return ExitCode.ok;
}

/** `-f -` (stdin): yargs would read a lone `-` as a positional; keep it with its flag. */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const prev = out[out.length - 1];
    if (arg === '-' && prev !== undefined && /^--?[A-Za-z][\w-]*$/.test(prev)) out[out.length - 1] = `${prev}=-`;
    else out.push(arg);
  }
  return out;
}

export function reportError(error: unknown, streams: Streams, verbosity = 0): ExitCode {
  if (error instanceof PluginError) {
    streams.stderr.write(`error: ${oneLine(error.message)}\n`);
    if (error.hint) streams.stderr.write(`hint: ${oneLine(error.hint)}\n`);
    return error.exitCode;
  }
  const e = error as Error;
  streams.stderr.write(`error: unexpected failure: ${oneLine(e?.message ?? String(error))}\n`);
  streams.stderr.write(`hint: this is a bug in the plugin; rerun with -v=9 and report it\n`);
  if (verbosity >= 9 && e?.stack) streams.stderr.write(`${e.stack}\n`);
  return ExitCode.api;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** yargs' messages in kubectl's words. */
function usageMessage(message: string): string {
  const unknown = message.match(/^Unknown arguments?: (.+)$/);
  if (unknown) {
    const names = unknown[1]!.split(', ');
    const flag = names[0]!;
    return flag.length === 1 ? `unknown shorthand flag: '${flag}' in -${flag}` : `unknown flag: --${flag}`;
  }
  const invalid = message.match(/Argument: (\S+), Given: "([^"]*)", Choices: (.+)/);
  if (invalid) return `invalid argument "${invalid[2]}" for "--${invalid[1]}": allowed values are ${invalid[3]!.replace(/"/g, '')}`;
  return message.replace(/\s*\n\s*/g, ' ');
}
