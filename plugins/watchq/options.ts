/**
 * watchq's own flags and their checks. Everything a user can get wrong is checked here, before
 * any request, and fails with exit 2.
 */
import type { Argv } from 'yargs';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';
import { parseDuration } from '../../shared/cli/duration.ts';
import { UsageError } from '../../shared/errors.ts';
import { checkDns1123Subdomain, checkLabelKey } from '../../shared/validation/names.ts';
import { resolveExecCommand } from './exec-handler.ts';
import { JsonPathSyntaxError } from '../../shared/output/jsonpath/parser.ts';
import { createJsonPath, type JsonPath } from '../../shared/output/jsonpath/print.ts';

export interface WatchqArgs {
  selector?: string;
  'field-selector'?: string;
  workers: number;
  'max-retries': number;
  resync: string;
  'fail-on'?: string;
  exec?: string;
  'exec-timeout': string;
  output: string;
  'metrics-addr'?: string;
  'all-namespaces'?: boolean;
  'leader-elect'?: boolean;
  'lease-name'?: string;
  backoff?: string;
  changes?: string;
  finalizer?: string;
  owns?: string;
  'record-handled'?: string;
  once?: boolean;
  events?: boolean;
  shards?: number;
  'metadata-only'?: boolean;
}

/** What -o takes here: parsed and completed (command.ts) from this one list. */
export const watchqFormats = ['text', 'json'] as const;
export type OutputFormat = (typeof watchqFormats)[number];

export interface ListenAddress {
  /** Empty: every interface (`:9090`). */
  host: string;
  port: number;
}

export interface WatchqOptions {
  type: string;
  allNamespaces: boolean;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  workers: number;
  /** Infinity: never drop (`--max-retries -1`). */
  maxRetries: number;
  /** The per-key exponential retry delay (`--backoff BASE,MAX`): client-go's 5 ms doubling to 1000 s by default. */
  backoff: { baseMs: number; maxMs: number };
  /** 0: no resync. */
  resyncMs: number;
  failOn: RegExp | undefined;
  exec: string | undefined;
  /** 0: no limit. */
  execTimeoutMs: number;
  output: OutputFormat;
  metricsAddr: ListenAddress | undefined;
  leaderElect: boolean;
  /** Undefined: `watchq-<plural>`. */
  leaseName: string | undefined;
  /** `--changes TEMPLATE`: what an update must change to run the handler (a JSONPath template). */
  changes: JsonPath | undefined;
  /** `--shards N`: the key space cut into N hash ranges, each owned by one replica through a Lease (1: not sharded). */
  shards: number;
  /** `--metadata-only`: cache and hand the hook only PartialObjectMetadata. */
  metadataOnly: boolean;
  /** `--events`: record a Kubernetes Event on the object for each retry and drop. */
  events: boolean;
  /** `--once`: handle the current state, then exit (0, or 1 naming the keys that failed). */
  once: boolean;
  /** `--record-handled ANNOTATION`: the annotation that keeps a digest of what each key's last successful run saw. */
  recordHandled: string | undefined;
  /** `--owns TYPE[,TYPE]`: types whose objects' changes run their controller owner again (resolved by the command). */
  owns: string[];
  /** `--finalizer NAME`: a domain-qualified finalizer held on every handled object until its `finalize` run succeeds. */
  finalizer: string | undefined;
}

export const defaultType = 'deployments';

export function addWatchqFlags(y: Argv<CommonArgs>): Argv<CommonArgs & WatchqArgs> {
  return y
    .option('selector', { alias: 'l', type: 'string', description: 'Label selector to filter on, e.g. -l app=nginx' })
    .option('field-selector', { type: 'string', description: 'Field selector to filter on, as kubectl get takes it, e.g. --field-selector metadata.name=web' })
    .option('workers', { type: 'number', default: 1, description: 'Keys handled at the same time (never two workers on one key)' })
    .option('max-retries', { type: 'number', default: 5, description: 'Retries of a failing key (with growing delays) before it is dropped; -1 = never drop' })
    .option('changes', { type: 'string', description: "Run an update only when this JSONPath template's output differs from the last successful run's, e.g. --changes '{.spec}{.metadata.labels}' (a hook writing status or annotations does not wake itself)" })
    .option('owns', { type: 'string', description: 'Also watch these types (TYPE[,TYPE], same namespaces): a change to an object whose controller owner is a watched object runs the owner again (WATCHQ_EVENT=resync)' })
    .option('shards', { type: 'number', default: 1, description: 'Cut the objects into N shards by the hash of their UID, each handled by one replica at a time through a Lease <lease-name>-<i>-of-<N> (the API server filters them when it can: KEP-5866); replicas share the shards out among themselves' })
    .option('metadata-only', { type: 'boolean', description: "Cache and hand the hook only each object's metadata (PartialObjectMetadata: names, labels, annotations, owners, finalizers), for much less memory" })
    .option('events', { type: 'boolean', description: 'Record a Warning Event on the object for each retry (reason HookFailed) and drop (HookDropped), so kubectl describe shows why' })
    .option('once', { type: 'boolean', description: 'Handle every object once (retries included), then exit: 0 when every key succeeded, 1 naming those that did not (for CronJobs and CI)' })
    .option('record-handled', { type: 'string', description: "Record on each object, in this annotation (a domain-qualified key, e.g. example.com/handled), a digest of what its last successful run saw: after a restart or a leader change, unchanged objects run nothing" })
    .option('finalizer', { type: 'string', description: 'Hold this finalizer (a domain-qualified name, e.g. example.com/cleanup) on every handled object: a deletion runs --exec with WATCHQ_EVENT=finalize, even one made while watchq was down, and the object goes once it succeeds' })
    .option('backoff', { type: 'string', default: '5ms,1000s', description: 'Per-key retry delay BASE,MAX: BASE doubled on each failure up to MAX (with a 10 qps, burst 100 bucket for all keys)' })
    .option('resync', { type: 'string', default: '0', description: 'Hand every cached object to the handler again this often (e.g. 10m); 0 = never' })
    .option('fail-on', { type: 'string', description: 'Simulate a handler error for keys (namespace/name) matching this regular expression' })
    .option('exec', { type: 'string', description: 'Run this shell command per key: object JSON on stdin; WATCHQ_KEY, WATCHQ_EVENT (sync|add|update|resync|delete), WATCHQ_ATTEMPT, WATCHQ_OLD, WATCHQ_RESULT, KUBECONFIG in the environment; exit 0 = done' })
    .option('exec-timeout', { type: 'string', default: '30s', description: 'Kill an --exec command running longer than this (a failure); 0 = no limit' })
    .option('output', { alias: 'o', type: 'string', default: 'text', description: 'Output format: text or json (one object per line)' })
    .option('metrics-addr', { type: 'string', description: 'Serve Prometheus metrics on HOST:PORT at /metrics (e.g. 127.0.0.1:9090, :9090)' })
    .option('leader-elect', { type: 'boolean', description: 'Run handlers only while holding a coordination.k8s.io Lease (one leader among replicas)' })
    .option('lease-name', { type: 'string', description: 'The Lease for --leader-elect, in the namespace (default watchq-<type>)' }) as unknown as Argv<CommonArgs & WatchqArgs>;
}

function wholeNumber(value: number, flag: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new UsageError(`invalid value ${value} for ${flag}: must be a whole number ≥ ${min}`);
  return value;
}

/** `127.0.0.1:9090`, `localhost:0`, `[::1]:9090`, `:9090` (every interface). */
export function parseListenAddress(value: string, flag = '--metrics-addr'): ListenAddress {
  const match = value.match(/^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new UsageError(`invalid ${flag} "${value}": expected HOST:PORT`, { hint: 'e.g. 127.0.0.1:9090, or :9090 for every interface' });
  }
  return { host: match[1] ?? match[2] ?? '', port };
}

export function parseFailOn(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (error) {
    throw new UsageError(`invalid --fail-on regular expression "${value}": ${(error as Error).message}`, { cause: error });
  }
}

/** Checks every flag; `env` is where an --exec command is looked up (PATH). */
export function parseWatchqOptions(args: CommonArgs & WatchqArgs, positional: string[], env: NodeJS.ProcessEnv = process.env): WatchqOptions {
  if (positional.length > 1) throw new UsageError(`watchq takes one resource type, got ${positional.length}: ${positional.join(' ')}`, { hint: "e.g. 'kubectl watchq deployments'" });
  const type = positional[0] ?? defaultType;
  if (type.includes(',')) throw new UsageError(`watchq watches one resource type, not "${type}"`);
  if (!(watchqFormats as readonly string[]).includes(args.output)) throw new UsageError(`invalid output format "${args.output}": allowed values are ${watchqFormats.join(', ')}`);
  const exec = args.exec;
  if (exec !== undefined) {
    if (exec.trim() === '') throw new UsageError('--exec needs a command');
    resolveExecCommand(exec, env);
  }
  return {
    type,
    allNamespaces: Boolean(args['all-namespaces']),
    labelSelector: args.selector || undefined,
    fieldSelector: args['field-selector'] || undefined,
    workers: wholeNumber(args.workers, '--workers', 1),
    maxRetries: args['max-retries'] === -1 ? Infinity : wholeNumber(args['max-retries'], '--max-retries', -1),
    backoff: parseBackoff(args.backoff ?? '5ms,1000s'),
    changes: args.changes === undefined ? undefined : parseChanges(args.changes),
    resyncMs: parseDuration(args.resync, '--resync'),
    failOn: args['fail-on'] === undefined ? undefined : parseFailOn(args['fail-on']),
    exec,
    execTimeoutMs: parseDuration(args['exec-timeout'], '--exec-timeout'),
    output: args.output as OutputFormat,
    metricsAddr: args['metrics-addr'] === undefined ? undefined : parseListenAddress(args['metrics-addr']),
    leaderElect: Boolean(args['leader-elect']),
    leaseName: args['lease-name'] === undefined ? undefined : checkLeaseName(args['lease-name'], Boolean(args['leader-elect']) || (args.shards ?? 1) > 1),
    finalizer: args.finalizer === undefined ? undefined : checkFinalizer(args.finalizer, exec),
    owns: args.owns === undefined ? [] : parseOwns(args.owns),
    once: checkOnce(args),
    events: Boolean(args.events),
    shards: checkShards(args),
    metadataOnly: checkMetadataOnly(args),
    recordHandled: args['record-handled'] === undefined ? undefined : checkDomainQualified('--record-handled', args['record-handled'], 'example.com/handled'),
  };
}

/** `--changes TEMPLATE`: kubectl's JSONPath template syntax, refused before anything starts when it does not parse. */
export function parseChanges(template: string): JsonPath {
  if (template.trim() === '') throw new UsageError('--changes needs a template', { hint: "e.g. --changes '{.spec}{.metadata.labels}'" });
  try {
    return createJsonPath(template, { allowMissingKeys: true });
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) throw new UsageError(`error parsing --changes ${template}: ${error.message}`);
    throw error;
  }
}

/** `--backoff BASE,MAX`: two Go durations, 0 < BASE ≤ MAX. */
export function parseBackoff(value: string): { baseMs: number; maxMs: number } {
  const parts = value.split(',');
  if (parts.length !== 2) throw new UsageError(`invalid --backoff "${value}": expected BASE,MAX`, { hint: 'e.g. --backoff 5ms,1000s (client-go\'s default) or --backoff 1s,5m' });
  const [baseMs, maxMs] = parts.map((p) => parseDuration(p.trim(), '--backoff')) as [number, number];
  if (baseMs <= 0 || maxMs < baseMs) throw new UsageError(`invalid --backoff "${value}": BASE must be above 0 and MAX at least BASE`);
  return { baseMs, maxMs };
}

/** `--shards N`: a whole number ≥ 1; above 1 it brings its own Leases (no --leader-elect) and never ends (no --once). */
function checkShards(args: WatchqArgs): number {
  const shards = wholeNumber(args.shards ?? 1, '--shards', 1);
  if (shards > 1 && args['leader-elect']) throw new UsageError('--shards already hands each shard to one replica through a Lease: drop --leader-elect', { hint: '--lease-name names the Leases\' prefix' });
  if (shards > 1 && args.once) throw new UsageError('--once cannot be used with --shards');
  if (shards > 4096) throw new UsageError(`invalid value ${shards} for --shards: at most 4096`);
  return shards;
}

/**
 * `--metadata-only` hands out PartialObjectMetadata: a `--changes` template reading anything but
 * metadata would see nothing there, and no update would ever run.
 */
function checkMetadataOnly(args: WatchqArgs): boolean {
  if (!args['metadata-only']) return false;
  for (const [, field] of (args.changes ?? '').matchAll(/\{\s*(?:range\s+)?\.([A-Za-z_$][\w$-]*)/g)) {
    if (!['metadata', 'kind', 'apiVersion'].includes(field!)) throw new UsageError(`--changes reads .${field}, which --metadata-only objects do not have`, { hint: 'with --metadata-only, --changes can read .metadata only, e.g. --changes \'{.metadata.labels}\'' });
  }
  return true;
}

/** `--once` ends by itself: a leader's term does not, and a resync would never come. */
function checkOnce(args: WatchqArgs): boolean {
  if (!args.once) return false;
  if (args['leader-elect']) throw new UsageError('--once cannot be used with --leader-elect', { hint: 'run one --once process (a CronJob), or --leader-elect replicas that keep running' });
  if (args.resync !== undefined && args.resync !== '0') throw new UsageError('--once cannot be used with --resync: the run ends before a resync');
  return true;
}

/** `--owns secrets,configmaps`: a comma list of types, none empty. */
export function parseOwns(value: string): string[] {
  const types = value.split(',').map((t) => t.trim());
  if (types.some((t) => t === '')) throw new UsageError(`invalid --owns "${value}": expected TYPE[,TYPE]`, { hint: 'e.g. --owns secrets,configmaps' });
  return types;
}

/**
 * A finalizer is a qualified name (apimachinery's ValidateFinalizerName); we also ask for the
 * domain prefix the API server only warns about, so ours cannot be taken for another writer's
 * (or for `kubernetes`, `orphan`, `foregroundDeletion`).
 */
export function checkFinalizer(name: string, exec: string | undefined): string {
  if (exec === undefined) throw new UsageError('--finalizer needs --exec', { hint: 'the finalizer is removed after the --exec command handled the deletion' });
  return checkDomainQualified('--finalizer', name, 'example.com/cleanup');
}

/** A qualified name with its domain prefix (a finalizer, an annotation key of ours). */
export function checkDomainQualified(flag: string, name: string, example: string): string {
  const problem = checkLabelKey(name);
  if (problem) throw new UsageError(`invalid ${flag} "${name}": ${problem}`, { hint: `e.g. ${flag} ${example}` });
  if (!name.includes('/')) throw new UsageError(`invalid ${flag} "${name}": give it a domain prefix, as in ${example.split('/')[0]}/${name}`, { hint: 'a name without one may be taken for another writer\'s' });
  return name;
}

function checkLeaseName(name: string, leases: boolean): string {
  if (!leases) throw new UsageError('--lease-name needs --leader-elect or --shards');
  const problem = checkDns1123Subdomain(name);
  if (problem) throw new UsageError(`invalid --lease-name "${name}": ${problem}`);
  return name;
}
