/**
 * Fake Nodes run by kwok. They carry the annotation kwok is told to manage and a `type: kwok`
 * label, and no taint, so ordinary Deployments schedule onto them; kwok then moves their pods
 * to Running.
 */
import { apiGet, apiRequest, type ApiTarget } from './api.ts';
import { fakeNodeAnnotation } from './components.ts';
import { ClusterError } from './errors.ts';

export const fakeNodeNames = ['kwok-node-0', 'kwok-node-1'];

export function fakeNode(name: string): object {
  const resources = { cpu: '32', memory: '256Gi', pods: '250' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [fakeNodeAnnotation]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        type: 'kwok',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
      },
    },
    spec: {},
    status: { allocatable: resources, capacity: resources },
  };
}

/** Creates the fake Nodes that do not exist yet. */
export async function createFakeNodes(target: ApiTarget, names: string[] = fakeNodeNames): Promise<void> {
  for (const name of names) {
    const res = await apiRequest(target, 'POST', '/api/v1/nodes', fakeNode(name));
    if (res.status !== 201 && res.status !== 409) {
      throw new ClusterError(`cannot create fake node ${name}: HTTP ${res.status}`, { detail: res.body.slice(0, 500) });
    }
  }
}

interface NodeList {
  items: Array<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>;
}

/** Names of the fake Nodes whose Ready condition is not True yet. */
export async function fakeNodesNotReady(target: ApiTarget, names: string[] = fakeNodeNames): Promise<string[]> {
  const list = await apiGet<NodeList>(target, '/api/v1/nodes');
  const ready = new Set(
    (list?.items ?? [])
      .filter((node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true)
      .map((node) => node.metadata.name),
  );
  return names.filter((name) => !ready.has(name));
}
