/**
 * In-cluster configuration, as client-go's rest.InClusterConfig: the API server from
 * KUBERNETES_SERVICE_HOST/PORT and the ServiceAccount files mounted into every pod.
 */
import fs from 'node:fs';
import path from 'node:path';

export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterFiles {
  server: string;
  tokenFile: string;
  caFile: string;
  namespace: string | undefined;
}

/** Undefined when not running in a pod (no service env or no token file). */
export function detectInCluster(env: NodeJS.ProcessEnv = process.env, dir = serviceAccountDir): InClusterFiles | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  const tokenFile = path.join(dir, 'token');
  if (!fs.existsSync(tokenFile)) return undefined;
  let namespace: string | undefined;
  try {
    namespace = fs.readFileSync(path.join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    namespace = undefined;
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return { server: `https://${hostPart}:${port}`, tokenFile, caFile: path.join(dir, 'ca.crt'), namespace };
}
