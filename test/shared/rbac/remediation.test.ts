import test from 'ava';
import { subjectOf } from '../../../shared/rbac/identity.ts';
import { remediationCommands } from '../../../shared/rbac/remediation.ts';

const pods = { group: '', resource: 'pods', namespaced: true };
const deployments = { group: 'apps', resource: 'deployments', namespaced: true };
const services = { group: '', resource: 'services', namespaced: true };
const nodes = { group: '', resource: 'nodes', namespaced: false };
const sa = subjectOf({ username: 'system:serviceaccount:default:default', groups: [] });

test('the seed: list on pods, deployments and services for default:default', (t) => {
  const checks = [pods, deployments, services].map((resource) => ({ verb: 'list', resource, namespace: 'default' }));
  const name = 'lsres-list-pods-deployments.apps-services-for-default-default';
  t.deepEqual(remediationCommands(checks, sa, 'lsres'), [
    `kubectl create role ${name} --verb=list --resource=pods,deployments.apps,services -n default`,
    `kubectl create rolebinding ${name} --role=${name} --serviceaccount=default:default -n default`,
  ]);
});

test('only the denied part: services alone', (t) => {
  t.deepEqual(remediationCommands([{ verb: 'list', resource: services, namespace: 'default' }], sa, 'lsres'), [
    'kubectl create role lsres-list-services-for-default-default --verb=list --resource=services -n default',
    'kubectl create rolebinding lsres-list-services-for-default-default --role=lsres-list-services-for-default-default --serviceaccount=default:default -n default',
  ]);
});

test('all namespaces and cluster-scoped types need a ClusterRole', (t) => {
  const user = subjectOf({ username: 'jane', groups: ['devs'] });
  t.deepEqual(remediationCommands([{ verb: 'list', resource: pods, namespace: undefined }, { verb: 'list', resource: nodes, namespace: 'x' }], user, 'lsres'), [
    'kubectl create clusterrole lsres-list-pods-nodes-for-jane --verb=list --resource=pods,nodes',
    'kubectl create clusterrolebinding lsres-list-pods-nodes-for-jane --clusterrole=lsres-list-pods-nodes-for-jane --user=jane',
  ]);
});

test('different verb sets get one role each, and odd names are quoted', (t) => {
  const user = subjectOf({ username: 'O=weird name', groups: [] });
  const commands = remediationCommands(
    [
      { verb: 'list', resource: deployments, namespace: 'ns' },
      { verb: 'watch', resource: deployments, namespace: 'ns' },
      { verb: 'create', resource: pods, namespace: 'ns' },
    ],
    user,
    'watchq',
  );
  t.deepEqual(commands, [
    'kubectl create role watchq-list-watch-deployments.apps-for-o-weird-name --verb=list,watch --resource=deployments.apps -n ns',
    "kubectl create rolebinding watchq-list-watch-deployments.apps-for-o-weird-name --role=watchq-list-watch-deployments.apps-for-o-weird-name --user='O=weird name' -n ns",
    'kubectl create role watchq-create-pods-for-o-weird-name --verb=create --resource=pods -n ns',
    "kubectl create rolebinding watchq-create-pods-for-o-weird-name --role=watchq-create-pods-for-o-weird-name --user='O=weird name' -n ns",
  ]);
});

test('subjects: ServiceAccount, user, group', (t) => {
  t.deepEqual(sa, { kind: 'ServiceAccount', namespace: 'default', name: 'default', username: 'system:serviceaccount:default:default' });
  t.is(subjectOf({ username: 'bob', groups: [] }).kind, 'User');
  t.deepEqual(subjectOf({ username: '', groups: [] }, ['ops']), { kind: 'Group', name: 'ops', username: '' });
});

test('names stay valid and short for long grants', (t) => {
  const many = Array.from({ length: 30 }, (_, i) => ({ group: 'example.com', resource: `things${i}`, namespaced: true }));
  const [role] = remediationCommands(many.map((resource) => ({ verb: 'get', resource, namespace: 'ns' })), sa, 'dynget');
  const name = /create role (\S+)/.exec(role!)![1]!;
  t.true(name.length <= 100, name);
  t.regex(name, /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
});
