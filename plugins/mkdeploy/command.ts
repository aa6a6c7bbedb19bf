/**
 * `kubectl mkdeploy`: create a Deployment (`NAME --image IMAGE`) or any objects from manifests
 * (`-f PATH`), all or nothing, optionally waiting for the rollout.
 */
import type { Argv } from 'yargs';
import { createObjects } from '../../shared/apply/create-objects.ts';
import { planObjects } from '../../shared/apply/plan.ts';
import type { CommonArgs } from '../../shared/cli/common-flags.ts';
import { parseDuration } from '../../shared/cli/duration.ts';
import type { PluginContext, PluginSpec } from '../../shared/cli/run-plugin.ts';
import { objectName, resourcePath, type ApiResource } from '../../shared/discovery/api-resource.ts';
import { ExitCode, ForbiddenError, UsageError } from '../../shared/errors.ts';
import { explainDenials } from '../../shared/rbac/explain-denials.ts';
import { readManifests } from '../../shared/manifests/read-sources.ts';
import { parseOutputFormat } from '../../shared/output/formats.ts';
import { asList, formatObject, type KubeObject } from '../../shared/output/object-output.ts';
import { waitForRollout } from '../../shared/rollout/wait-rollout.ts';
import { buildDeployment } from './deployment.ts';

export interface MkdeployArgs {
  image?: string;
  replicas: number;
  port?: number;
  label: string[];
  env: string[];
  filename: string[];
  'dry-run': string;
  output?: string;
  wait?: boolean;
  timeout: string;
  'server-side'?: boolean;
  'force-conflicts'?: boolean;
}

export const mkdeploy: PluginSpec<MkdeployArgs> = {
  name: 'mkdeploy',
  usage: 'kubectl mkdeploy NAME --image IMAGE [--replicas N] [--port P] [flags]\n  kubectl mkdeploy -f PATH [-f PATH ...] [flags]',
  positional: 'none',
  description: 'Create a Deployment, or any objects from manifests, all or nothing.',
  examples: [
    ['kubectl mkdeploy nginx-deployment --image nginx:latest --replicas 2 --wait', 'Create a Deployment and wait for its rollout'],
    ['kubectl mkdeploy web --image nginx --dry-run=client -o yaml', 'Print the Deployment without sending it'],
    ['kubectl mkdeploy -f crd.yaml -f resource.yml', 'Create a CRD and its objects; nothing is created if any is refused'],
    ['kubectl mkdeploy -f manifests/ --server-side', 'Create or update with server-side apply'],
  ],
  options: (y: Argv<CommonArgs>) =>
    y
      .option('image', { type: 'string', description: 'Image for the Deployment' })
      .option('replicas', { alias: 'r', type: 'number', default: 1, description: 'Number of replicas' })
      .option('port', { type: 'number', description: 'The container port to expose' })
      .option('label', { type: 'string', array: true, default: [], description: 'Extra label KEY=VALUE; repeat for several' })
      .option('env', { type: 'string', array: true, default: [], description: 'Environment variable KEY=VALUE; repeat for several' })
      .option('filename', { alias: 'f', type: 'string', array: true, default: [], description: 'Manifest file, directory or - for stdin; repeat for several' })
      .option('dry-run', { type: 'string', default: 'none', description: 'none, client (print only) or server (validated by the server, not stored)' })
      .option('output', { alias: 'o', type: 'string', description: 'Print the result: json, yaml or name' })
      .option('wait', { type: 'boolean', description: 'Wait until the Deployment has rolled out' })
      .option('timeout', { type: 'string', default: '5m', description: 'How long --wait waits' })
      .option('server-side', { type: 'boolean', description: 'Create or update with server-side apply (field manager kubectl-mkdeploy)' })
      .option('force-conflicts', { type: 'boolean', description: 'With --server-side, take over fields owned by another manager' }) as unknown as Argv<MkdeployArgs & CommonArgs>,
  async run(ctx) {
    try {
      return await mkdeployRun(ctx);
    } catch (error) {
      // Explain a refusal with the commands that grant exactly what was missing.
      if (error instanceof ForbiddenError && error.denied.length > 0) {
        ctx.streams.stderr.write(`error: ${error.message}\n`);
        await explainDenials(ctx.factory, error.denied, `${ctx.name}-creator`, ctx.streams);
        return ExitCode.denied;
      }
      throw error;
    }
  },
};

async function mkdeployRun(ctx: PluginContext<MkdeployArgs>): Promise<ExitCode> {
  const { args } = ctx;
  const positional = (args as unknown as { _: Array<string | number> })._.map(String);
  const dryRun = args['dry-run'];
  if (!['none', 'client', 'server'].includes(dryRun)) throw new UsageError(`invalid --dry-run "${dryRun}": use none, client or server`);
  const format = args.output === undefined ? undefined : parseOutputFormat(args.output, ['json', 'yaml', 'name']);
  const timeoutMs = parseDuration(args.timeout, '--timeout');
  if (args['force-conflicts'] && !args['server-side']) throw new UsageError('--force-conflicts needs --server-side');

  let objects: KubeObject[] | undefined;
  if (args.filename.length > 0) {
    if (positional.length > 0 || args.image) throw new UsageError('give either NAME --image IMAGE or -f PATH, not both');
    if (dryRun === 'client') {
      objects = (await readManifests(args.filename, ctx.streams.stdin)).map((o) => o.object);
      return print(ctx, objects, format ?? 'name', 'created (dry run)');
    }
    return createFromManifests(ctx, format, dryRun as 'none' | 'server');
  }
  const [name, ...extra] = positional;
  if (!name) throw new UsageError('NAME is required', { hint: "e.g. 'kubectl mkdeploy nginx --image nginx' or 'kubectl mkdeploy -f FILE'" });
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (args.image === undefined) throw new UsageError('--image is required');
  if (args.wait && dryRun !== 'none') throw new UsageError('--wait cannot be used with --dry-run');
  // Checked before the kubeconfig is even read: bad input never costs a request.
  const input = { name, image: args.image, replicas: args.replicas, port: args.port, labels: args.label, env: args.env, namespace: '' };
  buildDeployment(input);
  const namespace = dryRun === 'client' ? safeNamespace(ctx) : ctx.factory.restConfig().namespace;
  const deployment = buildDeployment({ ...input, namespace });
  if (dryRun === 'client') return print(ctx, [deployment], format, 'created (dry run)');

  const discovery = ctx.factory.discovery();
  const plan = await planObjects([{ object: deployment, file: 'deployment', document: 1, line: 1 }], discovery, namespace);
  const results = await createObjects(plan, {
    transport: ctx.factory.transport(),
    discovery,
    dryRun: dryRun as 'none' | 'server',
    serverSide: Boolean(args['server-side']),
    forceConflicts: Boolean(args['force-conflicts']),
    signal: ctx.signal,
    onResult: format ? undefined : (object, resource, action) => ctx.streams.stdout.write(`${objectName(resource, object.metadata!.name!)} ${action}\n`),
  });
  if (format) print(ctx, results, format, '', plan[0]!.resource);
  if (args.wait) {
    await waitForRollout({
      transport: ctx.factory.transport(),
      path: resourcePath(plan[0]!.resource!, { namespace, name }),
      timeoutMs,
      streams: ctx.streams,
      signal: ctx.signal,
    });
  }
  return ExitCode.ok;
}

async function createFromManifests(ctx: PluginContext<MkdeployArgs>, format: string | undefined, dryRun: 'none' | 'server'): Promise<ExitCode> {
  const sourced = await readManifests(ctx.args.filename, ctx.streams.stdin);
  const discovery = ctx.factory.discovery();
  const plan = await planObjects(sourced, discovery, ctx.factory.restConfig().namespace);
  const printed: KubeObject[] = [];
  await createObjects(plan, {
    transport: ctx.factory.transport(),
    discovery,
    dryRun,
    serverSide: Boolean(ctx.args['server-side']),
    forceConflicts: Boolean(ctx.args['force-conflicts']),
    signal: ctx.signal,
    onResult: (object, resource, action) => {
      if (format === 'json' || format === 'yaml') printed.push(object);
      else ctx.streams.stdout.write(format === 'name' ? `${objectName(resource, object.metadata!.name!)}\n` : `${objectName(resource, object.metadata!.name!)} ${action}\n`);
    },
  });
  if (format === 'json' || format === 'yaml') ctx.streams.stdout.write(formatObject(printed.length === 1 ? printed[0] : asList(printed), format));
  return ExitCode.ok;
}

/** --dry-run=client needs no cluster: use the kubeconfig's namespace if there is one. */
function safeNamespace(ctx: PluginContext<MkdeployArgs>): string {
  try {
    return ctx.factory.restConfig().namespace;
  } catch {
    return 'default';
  }
}

function print(ctx: PluginContext<MkdeployArgs>, objects: KubeObject[], format: string | undefined, action: string, resource?: ApiResource): ExitCode {
  if (format === 'json' || format === 'yaml') {
    ctx.streams.stdout.write(formatObject(objects.length === 1 ? objects[0] : asList(objects), format));
  } else {
    for (const o of objects) {
      const prefix = resource ? objectName(resource, o.metadata!.name!) : `${o.kind!.toLowerCase()}${o.apiVersion!.includes('/') ? `.${o.apiVersion!.split('/')[0]}` : ''}/${o.metadata!.name}`;
      ctx.streams.stdout.write(format === 'name' ? `${prefix}\n` : `${prefix} ${action}\n`);
    }
  }
  return ExitCode.ok;
}
