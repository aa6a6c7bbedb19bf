/**
 * `kubectl mkdeploy`: create a Deployment (`NAME --image IMAGE`) or any objects from manifests
 * (`-f PATH`), all or nothing, optionally waiting for the rollout.
 */
import type { Argv } from 'yargs';
import { createObjects, type FieldValidation } from '../../shared/apply/create-objects.ts';
import { planObjects } from '../../shared/apply/plan.ts';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';
import { parseDuration } from '../../shared/cli/duration.ts';
import { refuseWith } from '../../shared/cli/flag-conflicts.ts';
import { dryRunDescription, dryRunStrategy, dryRunTraits, type DryRun } from '../../shared/cli/dry-run.ts';
import type { PluginContext, PluginSpec } from '../../shared/cli/run-plugin.ts';
import { objectName, parseApiVersion, type ApiResource } from '../../shared/discovery/api-resource.ts';
import { ExitCode, UsageError } from '../../shared/errors.ts';
import { readManifests } from '../../shared/manifests/read-sources.ts';
import { parseOutputFormat } from '../../shared/output/formats.ts';
import { formatObject, type KubeObject } from '../../shared/output/object-output.ts';
import { waitForRollout } from '../../shared/rollout/wait-rollout.ts';
import { buildDeployment } from './deployment.ts';

export interface MkdeployArgs {
  image: string[];
  validate: string;
  replicas: number;
  /** -1: no port (kubectl's default). */
  port: number;
  label: string[];
  env: string[];
  filename: string[];
  recursive?: boolean;
  'dry-run': string;
  output?: string;
  wait?: boolean;
  timeout: string;
  'server-side'?: boolean;
  'force-conflicts'?: boolean;
}

/** What -o takes here (kubectl create's printers, without tables): parsed and completed from this one list. */
const formats = ['json', 'yaml', 'name'] as const;

export const mkdeploy: PluginSpec<MkdeployArgs> = {
  name: 'mkdeploy',
  usage: 'kubectl mkdeploy NAME --image IMAGE [--image IMAGE ...] [--replicas N] [--port P] [flags] [-- COMMAND [args...]]\n  kubectl mkdeploy -f PATH [-f PATH ...] [flags]',
  positional: 'none',
  outputFormats: formats,
  description: 'Create a Deployment, or any objects from manifests, all or nothing.',
  examples: [
    ['kubectl mkdeploy nginx-deployment --image nginx:latest --replicas 2 --wait', 'Create a Deployment and wait for its rollout'],
    ['kubectl mkdeploy web --image nginx --dry-run=client -o yaml', 'Print the Deployment without sending it'],
    ['kubectl mkdeploy -f crd.yaml -f resource.yml', 'Create a CRD and its objects; nothing is created if any is refused'],
    ['kubectl mkdeploy -f manifests/ --server-side', 'Create or update with server-side apply'],
  ],
  options: (y: Argv<CommonArgs>) =>
    y
      .option('image', { type: 'string', array: true, default: [], description: 'Image for a container of the Deployment; repeat for several containers' })
      .option('validate', { type: 'string', default: 'strict', description: 'How the server checks fields: strict (or true), warn, ignore (or false)' })
      .option('replicas', { alias: 'r', type: 'number', default: 1, description: 'Number of replicas' })
      .option('port', { type: 'number', default: -1, description: 'The container port to expose; -1 for none' })
      .option('label', { type: 'string', array: true, default: [], description: 'Extra label KEY=VALUE; repeat for several' })
      .option('env', { type: 'string', array: true, default: [], description: 'Environment variable KEY=VALUE; repeat for several' })
      .option('filename', { alias: 'f', type: 'string', array: true, default: [], description: 'Manifest file, directory, http(s):// URL, or - for stdin; repeat for several' })
      .option('recursive', { alias: 'R', type: 'boolean', description: 'Read the directories given with -f and every directory below them' })
      .option('dry-run', { type: 'string', default: 'none', description: dryRunDescription })
      .option('output', { alias: 'o', type: 'string', description: 'Print the result: json, yaml or name' })
      .option('wait', { type: 'boolean', description: 'Wait until the Deployments created have rolled out' })
      .option('timeout', { type: 'string', default: '5m', description: 'How long --wait waits' })
      .option('server-side', { type: 'boolean', description: 'Create or update with server-side apply (field manager kubectl-mkdeploy)' })
      .option('force-conflicts', { type: 'boolean', description: 'With --server-side, take over fields owned by another manager' }) as unknown as Argv<MkdeployArgs & CommonArgs>,
  flagTraits: { ...dryRunTraits, replicas: { bits: 32 }, port: { bits: 32 }, image: { slice: true }, filename: { slice: true }, timeout: { duration: true } },
  // A refusal (ForbiddenError with what was denied) is explained by the reporter.
  run: (ctx) => mkdeployRun(ctx),
};

async function mkdeployRun(ctx: PluginContext<MkdeployArgs>): Promise<ExitCode> {
  const { args } = ctx;
  const { command } = ctx;
  const positional = ctx.positional.slice(0, ctx.positional.length - command.length);
  const validation = fieldValidation(args.validate);
  const dryRun = dryRunStrategy(args['dry-run'], (message) => ctx.streams.stderr.write(`Warning: ${message}\n`));
  const format = args.output === undefined ? undefined : parseOutputFormat(args.output, formats);
  const timeoutMs = parseDuration(args.timeout, '--timeout');
  if (args['force-conflicts'] && !args['server-side']) throw new UsageError('--force-conflicts needs --server-side');
  if (args.wait && dryRun !== 'none') throw new UsageError('--wait cannot be used with --dry-run');

  if (args.recursive && args.filename.length === 0) throw new UsageError('-R/--recursive reads the directories given with -f: there is none');
  // No flag silently ignored: what only one form, or only --wait, reads.
  const given = (flag: string) => ctx.given.has(flag);
  if (given('timeout') && !args.wait) throw new UsageError('--timeout needs --wait', { hint: '--timeout is how long --wait waits' });
  if (args.filename.length > 0) {
    refuseWith('-f', [['--replicas', given('replicas')], ['--port', given('port')], ['--label', given('label')], ['--env', given('env')]], 'they shape the Deployment of mkdeploy NAME --image IMAGE; with -f the manifests say it');
  }
  let objects: KubeObject[] | undefined;
  if (args.filename.length > 0) {
    if (positional.length > 0 || args.image.length > 0 || command.length > 0) throw new UsageError('give either NAME --image IMAGE or -f PATH, not both');
    if (dryRun === 'client') {
      objects = (await readManifests(args.filename, ctx.streams.stdin, ctx.signal, { recursive: Boolean(args.recursive) })).map((o) => o.object);
      return print(ctx, objects, format, 'created (dry run)');
    }
    return createFromManifests(ctx, format, dryRun, validation, timeoutMs);
  }
  const [name, ...extra] = positional;
  if (!name) throw new UsageError('NAME is required', { hint: "e.g. 'kubectl mkdeploy nginx --image nginx' or 'kubectl mkdeploy -f FILE'" });
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`, { hint: 'a command for the container goes after --' });
  if (args.image.length === 0) throw new UsageError('--image is required');
  // Checked before the kubeconfig is even read: bad input never costs a request.
  const input = { name, images: args.image, replicas: args.replicas, port: args.port === -1 ? undefined : args.port, labels: args.label, env: args.env, command };
  buildDeployment(input);
  const explicit = ctx.factory.flags.namespace;
  const deployment = buildDeployment({ ...input, namespace: explicit });
  if (dryRun === 'client') return print(ctx, [deployment], format, 'created (dry run)', undefined, true);

  const namespace = ctx.factory.restConfig().namespace;
  const discovery = ctx.factory.discovery();
  const plan = await planObjects([{ object: deployment, file: '', document: 0, line: 0, origin: `deployment.apps/${name}` }], discovery, { name: namespace, explicit: explicit !== undefined });
  const results = await createObjects(plan, {
    transport: ctx.factory.transport(),
    discovery,
    dryRun,
    validation,
    serverSide: Boolean(args['server-side']),
    forceConflicts: Boolean(args['force-conflicts']),
    signal: ctx.signal,
    onResult: format ? undefined : (object, resource, action) => ctx.streams.stdout.write(`${objectName(resource, object.metadata!.name!)} ${action}\n`),
  });
  // The object the server returned, as kubectl create deployment prints it.
  if (format) print(ctx, results, format, '', plan[0]!.resource, true);
  if (args.wait) {
    await waitForRollout({
      transport: ctx.factory.transport(),
      resource: plan[0]!.resource!,
      namespace,
      name,
      timeoutMs,
      streams: ctx.streams,
      signal: ctx.signal,
    });
  }
  return ExitCode.ok;
}

/** What --wait can follow: a Deployment's rollout (shared/rollout); other rollout kinds are refused before anything is created. */
const rolloutKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

async function createFromManifests(ctx: PluginContext<MkdeployArgs>, format: string | undefined, dryRun: Exclude<DryRun, 'client'>, validation: FieldValidation, timeoutMs: number): Promise<ExitCode> {
  const sourced = await readManifests(ctx.args.filename, ctx.streams.stdin, ctx.signal, { recursive: Boolean(ctx.args.recursive) });
  if (ctx.args.wait) {
    const unsupported = sourced.find((o) => rolloutKinds.has(o.object.kind ?? '') && !(o.object.kind === 'Deployment' && parseApiVersion(o.object.apiVersion ?? '').group === 'apps'));
    if (unsupported) {
      throw new UsageError(`--wait follows Deployments only, not ${unsupported.object.kind} "${unsupported.object.metadata?.name ?? ''}"`, { hint: "wait for it with 'kubectl rollout status'" });
    }
  }
  const discovery = ctx.factory.discovery();
  const plan = await planObjects(sourced, discovery, { name: ctx.factory.restConfig().namespace, explicit: ctx.factory.flags.namespace !== undefined });
  const printed: KubeObject[] = [];
  const results = await createObjects(plan, {
    transport: ctx.factory.transport(),
    discovery,
    dryRun,
    validation,
    serverSide: Boolean(ctx.args['server-side']),
    forceConflicts: Boolean(ctx.args['force-conflicts']),
    signal: ctx.signal,
    onResult: (object, resource, action) => {
      if (format === 'json' || format === 'yaml') printed.push(object);
      else ctx.streams.stdout.write(format === 'name' ? `${objectName(resource, object.metadata!.name!)}\n` : `${objectName(resource, object.metadata!.name!)} ${action}\n`);
    },
  });
  if (format === 'json' || format === 'yaml') ctx.streams.stdout.write(formatEach(printed, format));
  if (ctx.args.wait) {
    // Each Deployment created, by the name the server gave it (generateName included).
    for (const [i, planned] of plan.entries()) {
      const name = results[i]?.metadata?.name;
      if (planned.object.kind !== 'Deployment' || !planned.resource || planned.resource.group !== 'apps' || !name) continue;
      await waitForRollout({
        transport: ctx.factory.transport(),
        resource: planned.resource,
        namespace: planned.namespace!,
        name,
        timeoutMs,
        streams: ctx.streams,
        signal: ctx.signal,
      });
    }
  }
  return ExitCode.ok;
}

/** As kubectl create prints what it created: each object on its own, YAML documents between `---` lines. */
function formatEach(objects: KubeObject[], format: 'json' | 'yaml', typed = false): string {
  return objects.map((o) => formatObject(o, format, { typed })).join(format === 'yaml' ? '---\n' : '');
}

/** kubectl's --validate: strict|warn|ignore, or a boolean (true is strict, false ignore). */
export function fieldValidation(value: string): FieldValidation {
  if (['1', 't', 'T', 'TRUE', 'true', 'True', '', 'strict'].includes(value)) return 'Strict';
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', 'ignore'].includes(value)) return 'Ignore';
  if (value === 'warn') return 'Warn';
  throw new UsageError(`invalid - validate option "${value}"; must be one of: strict (or true), warn, ignore (or false)`);
}

function print(ctx: PluginContext<MkdeployArgs>, objects: KubeObject[], format: string | undefined, action: string, resource?: ApiResource, typed = false): ExitCode {
  if (format === 'json' || format === 'yaml') {
    ctx.streams.stdout.write(formatEach(objects, format, typed));
  } else {
    for (const o of objects) {
      const prefix = objectName(resource ?? { group: parseApiVersion(o.apiVersion!).group, kind: o.kind! }, o.metadata?.name ?? o.metadata?.generateName ?? '');
      ctx.streams.stdout.write(format === 'name' ? `${prefix}\n` : `${prefix} ${action}\n`);
    }
  }
  return ExitCode.ok;
}
