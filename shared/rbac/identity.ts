/**
 * Who the server thinks we are: SelfSubjectReview (authentication.k8s.io/v1, GA in 1.28),
 * falling back to the kubeconfig's user name when the server cannot say.
 */
import type { Transport } from '../kube/transport.ts';

export type Subject =
  | { kind: 'ServiceAccount'; namespace: string; name: string; username: string }
  | { kind: 'User'; name: string; username: string }
  | { kind: 'Group'; name: string; username: string };

export interface Identity {
  username: string;
  groups: string[];
}

export async function whoAmI(transport: Transport, fallbackUser: string | undefined): Promise<Identity | undefined> {
  try {
    const res = await transport.request({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
    });
    if (res.status === 201 || res.status === 200) {
      const info = (JSON.parse(res.body.toString('utf8')) as { status?: { userInfo?: { username?: string; groups?: string[] } } }).status?.userInfo;
      if (info?.username) return { username: info.username, groups: info.groups ?? [] };
    }
  } catch {
    // fall through to the kubeconfig's name
  }
  return fallbackUser ? { username: fallbackUser, groups: [] } : undefined;
}

/** The subject a RoleBinding should name for this identity. */
export function subjectOf(identity: Identity, impersonatedGroups: string[] = []): Subject {
  const sa = identity.username.match(/^system:serviceaccount:([^:]+):([^:]+)$/);
  if (sa) return { kind: 'ServiceAccount', namespace: sa[1]!, name: sa[2]!, username: identity.username };
  if (!identity.username && impersonatedGroups[0]) return { kind: 'Group', name: impersonatedGroups[0], username: '' };
  return { kind: 'User', name: identity.username, username: identity.username };
}
