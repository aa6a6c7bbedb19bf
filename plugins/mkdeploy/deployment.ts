/**
 * The Deployment `kubectl create deployment NAME --image IMAGE` builds, field for field and in
 * its struct order (what its -o json prints): labels `app=NAME`, a matching selector, one
 * container per image named after it, `-- COMMAND` on the container, `strategy: {}`,
 * `resources: {}`, `status: {}`, and a namespace only when -n was given. Ours adds --label and
 * --env. Inputs are checked first.
 */
import { UsageError } from '../../shared/errors.ts';
import type { KubeObject } from '../../shared/output/object-output.ts';
import { checkDns1123Subdomain, checkEnvName, checkLabelKey, checkLabelValue } from '../../shared/validation/names.ts';

export interface DeploymentInput {
  name: string;
  images: string[];
  replicas: number;
  port?: number | undefined;
  labels: string[];
  env: string[];
  /** `-- COMMAND [args...]`. */
  command?: string[] | undefined;
  /** Only with an explicit -n, as kubectl sets it. */
  namespace?: string | undefined;
}

/**
 * `registry:5000/team/nginx:1.27@sha256:…` → `nginx`, as kubectl names the container: the last
 * path segment without tag or digest. kubectl turns `_` and `.` into `-` and adds a random
 * suffix; we turn anything a container name cannot hold into `-` and add none (README).
 */
export function containerName(image: string): string {
  let name = image.split('/').pop() ?? image;
  if (name.includes(':')) name = name.split(':')[0]!;
  if (name.includes('@')) name = name.split('@')[0]!;
  const base = name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  return base || 'container';
}

function pairs(values: string[], flag: string, checkKey: (k: string) => string | undefined, checkValue?: (v: string) => string | undefined): Array<[string, string]> {
  return values.map((text) => {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid ${flag} "${text}": expected KEY=VALUE`);
    const key = text.slice(0, eq);
    const value = text.slice(eq + 1);
    const keyError = checkKey(key);
    if (keyError) throw new UsageError(`invalid ${flag} key "${key}": ${keyError}`);
    const valueError = checkValue?.(value);
    if (valueError) throw new UsageError(`invalid ${flag} value "${value}": ${valueError}`);
    return [key, value];
  });
}

export function buildDeployment(input: DeploymentInput): KubeObject {
  const nameError = checkDns1123Subdomain(input.name);
  if (nameError) throw new UsageError(`invalid name "${input.name}": ${nameError}`);
  // The name is also the `app` label (and selector) value, which the server holds to 63 bytes.
  if (Buffer.byteLength(input.name) > 63) {
    throw new UsageError(`invalid name "${input.name}": must be no more than 63 characters (it is also the value of the app label)`, { hint: 'a Deployment with a longer name can be created from a manifest with -f' });
  }
  if (input.images.length === 0) throw new UsageError('--image is required');
  for (const image of input.images) {
    if (image.trim() === '' || /\s/.test(image)) throw new UsageError(`invalid --image "${image}": must be non-empty and contain no whitespace`);
  }
  if (input.images.length > 1 && input.command?.length) throw new UsageError('cannot specify multiple --image options and command');
  if (!Number.isInteger(input.replicas) || input.replicas < 0) throw new UsageError(`invalid --replicas ${input.replicas}: must be a whole number ≥ 0`);
  if (input.port !== undefined && (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)) {
    throw new UsageError(`invalid --port ${input.port}: must be between 1 and 65535`);
  }
  const labels = { app: input.name, ...Object.fromEntries(pairs(input.labels, '--label', checkLabelKey, checkLabelValue)) };
  const env = pairs(input.env, '--env', checkEnvName).map(([name, value]) => ({ name, value }));
  const containers = input.images.map((image, i) => {
    const container: Record<string, unknown> = { name: containerName(image), image };
    if (input.command?.length) container.command = input.command;
    if (i === 0 && input.port !== undefined) container.ports = [{ containerPort: input.port }];
    if (env.length > 0) container.env = env;
    container.resources = {};
    return container;
  });
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: input.name, ...(input.namespace ? { namespace: input.namespace } : {}), labels },
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: { app: input.name } },
      template: { metadata: { labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}
