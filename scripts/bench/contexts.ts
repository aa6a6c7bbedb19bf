/**
 * The bench's many-clusters setup (issue 17): a kubeconfig with two contexts on the local server
 * (the admin user, each its own namespace) and one whose server does not answer
 * (https://127.0.0.1:1), for `lsres --context a,b,down` against one `kubectl --context a get`.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ContextsBenchSetup {
  kubeconfig: string;
  /** The contexts in the order lsres is given them: two reachable, then the unreachable one. */
  contexts: [string, string, string];
}

interface Named {
  name: string;
  context?: { cluster: string; user: string };
}

export async function prepareContexts(kubectl: string, adminKubeconfig: string, namespaces: [string, string], scratch: string): Promise<ContextsBenchSetup> {
  const view = JSON.parse((await run(kubectl, ['--kubeconfig', adminKubeconfig, 'config', 'view', '--raw', '--flatten', '-o', 'json'], { maxBuffer: 16 * 1024 * 1024 })).stdout) as {
    clusters: Named[];
    users: Named[];
    contexts: Named[];
  };
  const admin = view.contexts[0]!.context!;
  const contexts: [string, string, string] = ['bench-a', 'bench-b', 'bench-down'];
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [...view.clusters, { name: 'bench-unreachable', cluster: { server: 'https://127.0.0.1:1' } }],
    users: view.users,
    contexts: [
      { name: contexts[0], context: { ...admin, namespace: namespaces[0] } },
      { name: contexts[1], context: { ...admin, namespace: namespaces[1] } },
      { name: contexts[2], context: { cluster: 'bench-unreachable', user: admin.user } },
    ],
    'current-context': contexts[0],
  };
  const kubeconfig = join(scratch, 'contexts.kubeconfig');
  await writeFile(kubeconfig, JSON.stringify(config), { mode: 0o600 });
  return { kubeconfig, contexts };
}
