/**
 * The kubectl commands that grant exactly what was denied, copy-paste correct for the identity
 * and scope: a Role + RoleBinding in the namespace, or a ClusterRole + ClusterRoleBinding for
 * all namespaces and cluster-scoped resources. Resources are grouped by the verbs they need.
 * Each role is named after what it grants and to whom (`lsres-list-services-for-default-demo`),
 * so the fix for one refusal never collides with the fix for the next: they work in any order.
 */
import { fullName } from '../discovery/api-resource.ts';
import type { AccessCheck } from './access-review.ts';
import type { Subject } from './identity.ts';

export function subjectFlag(subject: Subject): string {
  switch (subject.kind) {
    case 'ServiceAccount':
      return `--serviceaccount=${subject.namespace}:${subject.name}`;
    case 'Group':
      return `--group=${quote(subject.name)}`;
    default:
      return `--user=${quote(subject.name)}`;
  }
}

function quote(value: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `lsres` + `list` + `services` + default:demo → `lsres-list-services-for-default-demo`, a valid RBAC name. */
export function grantName(prefix: string, verbs: string, resources: string, subject: Subject): string {
  const who = subject.kind === 'ServiceAccount' ? `${subject.namespace}-${subject.name}` : subject.name;
  const name = `${prefix}-${verbs}-${resources}-for-${who}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (name.length <= 100) return name;
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 90).replace(/[-.]+$/, '')}-${hash}`;
}

/** @param prefix the plugin's name, the start of every role name. */
export function remediationCommands(denied: AccessCheck[], subject: Subject, prefix: string): string[] {
  // scope ('' for cluster-wide) → resource → verbs
  const needs = new Map<string, Map<string, Set<string>>>();
  for (const check of denied) {
    const scope = check.resource.namespaced && check.namespace ? check.namespace : '';
    const resources = needs.get(scope) ?? new Map<string, Set<string>>();
    needs.set(scope, resources);
    const key = fullName(check.resource);
    resources.set(key, (resources.get(key) ?? new Set()).add(check.verb));
  }
  // scope → verb list → resources needing exactly those verbs
  const scopes = new Map<string, Map<string, string[]>>();
  for (const [scope, resources] of needs) {
    const byVerbs = new Map<string, string[]>();
    for (const [resource, verbs] of resources) {
      const key = [...verbs].sort().join(',');
      byVerbs.set(key, [...(byVerbs.get(key) ?? []), resource]);
    }
    scopes.set(scope, byVerbs);
  }
  const commands: string[] = [];
  for (const [scope, byVerbs] of scopes) {
    for (const [verbs, resources] of byVerbs) {
      const list = resources.join(',');
      const name = grantName(prefix, verbs, list, subject);
      if (scope) {
        commands.push(`kubectl create role ${name} --verb=${verbs} --resource=${list} -n ${scope}`);
        commands.push(`kubectl create rolebinding ${name} --role=${name} ${subjectFlag(subject)} -n ${scope}`);
      } else {
        commands.push(`kubectl create clusterrole ${name} --verb=${verbs} --resource=${list}`);
        commands.push(`kubectl create clusterrolebinding ${name} --clusterrole=${name} ${subjectFlag(subject)}`);
      }
    }
  }
  return commands;
}
