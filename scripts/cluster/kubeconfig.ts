/**
 * Writing kubeconfig files for the local cluster: the admin one (client certificate) and, for
 * tests, ServiceAccount ones (bearer token). Certificates and keys are embedded so a file works on
 * its own; files are written mode 0600 because they hold credentials.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export const contextName = 'local';

export type KubeconfigUser = { clientCertificateFile: string; clientKeyFile: string } | { token: string };

export interface KubeconfigSpec {
  server: string;
  caFile: string;
  userName: string;
  user: KubeconfigUser;
  namespace?: string;
  /** Context (and cluster) name; default `local`. */
  context?: string;
}

export function renderKubeconfig(spec: KubeconfigSpec): string {
  const context = spec.context ?? contextName;
  const b64 = (file: string): string => fs.readFileSync(file).toString('base64');
  const user =
    'token' in spec.user
      ? { token: spec.user.token }
      : { 'client-certificate-data': b64(spec.user.clientCertificateFile), 'client-key-data': b64(spec.user.clientKeyFile) };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server: spec.server, 'certificate-authority-data': b64(spec.caFile) } }],
    users: [{ name: spec.userName, user }],
    contexts: [{ name: context, context: { cluster: context, user: spec.userName, namespace: spec.namespace ?? 'default' } }],
    'current-context': context,
    preferences: {},
  });
}

export function writeKubeconfig(file: string, spec: KubeconfigSpec): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, renderKubeconfig(spec), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}
