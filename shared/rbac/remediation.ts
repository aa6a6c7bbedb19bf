/**
 * The kubectl commands that grant exactly what was denied, copy-paste correct for the identity
 * and scope: a Role + RoleBinding in the namespace, or a ClusterRole + ClusterRoleBinding for
 * all namespaces and cluster-scoped resources. Resources are grouped by the verbs they need.
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

/**
 * @param roleName base name, e.g. `lsres-reader`; a suffix tells roles apart when several
 *   verb sets or scopes are needed.
 */
export function remediationCommands(denied: AccessCheck[], subject: Subject, roleName: string): string[] {
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
  const many = [...scopes.values()].reduce((n, m) => n + m.size, 0) > 1;
  for (const [scope, byVerbs] of scopes) {
    for (const [verbs, resources] of byVerbs) {
      const name = many ? `${roleName}-${verbs.replace(/,/g, '-')}` : roleName;
      const list = resources.join(',');
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
