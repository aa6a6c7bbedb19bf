/**
 * The Deployment `kubectl create deployment NAME --image IMAGE` builds: labels `app=NAME`, a
 * matching selector, one container named after the image. Inputs are checked first.
 */
import { UsageError } from '../../shared/errors.ts';
import type { KubeObject } from '../../shared/output/object-output.ts';
import { checkDns1123Subdomain, checkEnvName, checkLabelKey, checkLabelValue } from '../../shared/validation/names.ts';

export interface DeploymentInput {
  name: string;
  image: string;
  replicas: number;
  port?: number | undefined;
  labels: string[];
  env: string[];
  namespace: string;
}

/** `registry:5000/team/nginx:1.27@sha256:…` → `nginx`, as kubectl names the container. */
export function containerName(image: string): string {
  const last = image.split('@')[0]!.split('/').pop() ?? image;
  const base = last.split(':')[0]!.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
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
  if (input.image.trim() === '' || /\s/.test(input.image)) throw new UsageError(`invalid --image "${input.image}": must be non-empty and contain no whitespace`);
  if (!Number.isInteger(input.replicas) || input.replicas < 0) throw new UsageError(`invalid --replicas ${input.replicas}: must be a whole number ≥ 0`);
  if (input.port !== undefined && (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)) {
    throw new UsageError(`invalid --port ${input.port}: must be between 1 and 65535`);
  }
  const labels = { app: input.name, ...Object.fromEntries(pairs(input.labels, '--label', checkLabelKey, checkLabelValue)) };
  const env = pairs(input.env, '--env', checkEnvName).map(([name, value]) => ({ name, value }));
  const container: Record<string, unknown> = { name: containerName(input.image), image: input.image };
  if (input.port !== undefined) container.ports = [{ containerPort: input.port }];
  if (env.length > 0) container.env = env;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: input.name, namespace: input.namespace, labels },
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: { app: input.name } },
      template: { metadata: { labels }, spec: { containers: [container] } },
    },
  };
}
