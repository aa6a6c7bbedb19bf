import test from 'ava';
import type { ExecutionContext } from 'ava';
import { ExitCode, NotFoundError, UsageError } from '../../../shared/errors.ts';
import type { GroupDiscoveryList } from '../../../shared/discovery/aggregated.ts';
import { flattenDiscovery } from '../../../shared/discovery/aggregated.ts';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import { createRestMapper, fullName, fullyQualifiedName, namePrefix, objectName, parseApiVersion, resourcePath } from '../../../shared/discovery/rest-mapper.ts';
import { loadFixture } from '../../fixtures/discovery/fake-server.ts';

/** The recorded documents, optionally with extra groups appended to `/apis`. */
function mapperFor(extraGroups: GroupDiscoveryList['items'] = [], warn?: (message: string) => void) {
  const core = loadFixture<GroupDiscoveryList>('api.json');
  const groups = loadFixture<GroupDiscoveryList>('apis.json');
  groups.items.push(...extraGroups);
  return createRestMapper(flattenDiscovery(core, groups).resources, warn);
}

const mapper = mapperFor();
const gvr = (r: ApiResource) => `${r.resource}.${r.version}.${r.group}`;

const resolvesTo = test.macro({
  exec(t: ExecutionContext, input: string, expected: string) {
    t.is(gvr(mapper.resolveOne(input)), expected);
  },
  title: (_title, input: string, expected: string) => `${JSON.stringify(input)} → ${expected}`,
});

// The seed's CRD by every name a user may type.
for (const name of [
  'AIOps',
  'aiops',
  'AIOPS',
  'myres',
  'MyRes',
  'myresource',
  'myresources',
  'myresources.aiops.org',
  'myresource.aiops.org',
  'myres.aiops.org',
  'myresources.v1alpha1.aiops.org',
  'AIOps.v1alpha1.aiops.org',
  'AIOps.aiops.org',
  ' aiops ',
]) {
  test('seed CRD', resolvesTo, name, 'myresources.v1alpha1.aiops.org');
}

// Built-ins: short names, plural/singular, group-qualified, Kind forms.
for (const [input, expected] of [
  ['po', 'pods.v1.'],
  ['pod', 'pods.v1.'],
  ['Pods', 'pods.v1.'],
  ['Pod', 'pods.v1.'],
  ['svc', 'services.v1.'],
  ['cm', 'configmaps.v1.'],
  ['ns', 'namespaces.v1.'],
  ['deploy', 'deployments.v1.apps'],
  ['deployments.apps', 'deployments.v1.apps'],
  ['deploy.apps', 'deployments.v1.apps'],
  ['Deployment', 'deployments.v1.apps'],
  ['deployment.v1.apps', 'deployments.v1.apps'],
  ['Deployment.v1.apps', 'deployments.v1.apps'],
  ['Deployment.apps', 'deployments.v1.apps'],
  ['hpa', 'horizontalpodautoscalers.v2.autoscaling'],
  ['horizontalpodautoscalers.v1.autoscaling', 'horizontalpodautoscalers.v1.autoscaling'],
  ['crd', 'customresourcedefinitions.v1.apiextensions.k8s.io'],
  // core beats events.k8s.io for both the plural and the short name they share
  ['events', 'events.v1.'],
  ['ev', 'events.v1.'],
  ['events.events.k8s.io', 'events.v1.events.k8s.io'],
  ['ev.events.k8s.io', 'events.v1.events.k8s.io'],
  ['Event.events.k8s.io', 'events.v1.events.k8s.io'],
] as const) {
  test('built-in', resolvesTo, input, expected);
}

test('a resource only in a non-preferred version resolves there; the preferred one wins otherwise', (t) => {
  const m = mapperFor([
    {
      metadata: { name: 'example.com' },
      versions: [
        { version: 'v2', resources: [res('widgets', 'Widget')] },
        { version: 'v1', resources: [res('widgets', 'Widget'), res('gadgets', 'Gadget')] },
      ],
    },
  ]);
  t.is(gvr(m.resolveOne('widgets')), 'widgets.v2.example.com');
  t.is(gvr(m.resolveOne('widget.example.com')), 'widgets.v2.example.com');
  t.is(gvr(m.resolveOne('widgets.v1.example.com')), 'widgets.v1.example.com');
  t.is(gvr(m.resolveOne('Widget.v1.example.com')), 'widgets.v1.example.com');
  t.is(gvr(m.resolveOne('gadgets')), 'gadgets.v1.example.com');
});

test('a plain name in several groups goes to the group listed first, as kubectl does', (t) => {
  const m = mapperFor([
    { metadata: { name: 'first.example.com' }, versions: [{ version: 'v1', resources: [res('things', 'Thing')] }] },
    { metadata: { name: 'second.example.com' }, versions: [{ version: 'v1', resources: [res('things', 'Thing')] }] },
  ]);
  t.is(gvr(m.resolveOne('things')), 'things.v1.first.example.com');
  t.is(gvr(m.resolveOne('Thing')), 'things.v1.first.example.com');
  t.is(gvr(m.resolveOne('things.second.example.com')), 'things.v1.second.example.com');
});

test('a short name claimed by two non-core groups goes to the first, warning of the other as kubectl does', (t) => {
  const warnings: string[] = [];
  const m = mapperFor([
    { metadata: { name: 'cert-manager.io' }, versions: [{ version: 'v1', resources: [res('certificates', 'Certificate', ['cert', 'certs'])] }] },
    { metadata: { name: 'networking.example.com' }, versions: [{ version: 'v1', resources: [res('certpolicies', 'CertPolicy', ['cert'])] }] },
  ], (w) => warnings.push(w));
  t.is(gvr(m.resolveOne('cert')), 'certificates.v1.cert-manager.io');
  t.deepEqual(warnings, ['short name "cert" could also match lower priority resource certpolicies.networking.example.com']);
  // qualified, or unique, it is fine
  t.is(gvr(m.resolveOne('cert.cert-manager.io')), 'certificates.v1.cert-manager.io');
  t.is(gvr(m.resolveOne('certs')), 'certificates.v1.cert-manager.io');
  t.is(gvr(m.resolveOne('certificates')), 'certificates.v1.cert-manager.io');
  // the full name of another resource wins over the short name (shortcut expander)
  const m2 = mapperFor([
    { metadata: { name: 'a.example.com' }, versions: [{ version: 'v1', resources: [res('foos', 'Foo', ['bar'])] }] },
    { metadata: { name: 'b.example.com' }, versions: [{ version: 'v1', resources: [res('bars', 'Bar'), res('bazs', 'Baz', ['bar'])] }] },
  ]);
  t.is(gvr(m2.resolveOne('bar')), 'bars.v1.b.example.com');
});

test('a short name shared with the core group goes to core', (t) => {
  const m = mapperFor([
    { metadata: { name: 'x.example.com' }, versions: [{ version: 'v1', resources: [res('pools', 'Pool', ['po'])] }] },
    { metadata: { name: 'y.example.com' }, versions: [{ version: 'v1', resources: [res('points', 'Point', ['po'])] }] },
  ]);
  t.is(gvr(m.resolveOne('po')), 'pods.v1.');
  t.is(gvr(m.resolveOne('po.y.example.com')), 'points.v1.y.example.com');
});

test('category "all" expands to its members in discovery order, one version each', (t) => {
  const names = mapper.resolve('all').map(fullName);
  t.deepEqual(names, [
    'pods',
    'replicationcontrollers',
    'services',
    'daemonsets.apps',
    'deployments.apps',
    'replicasets.apps',
    'statefulsets.apps',
    'horizontalpodautoscalers.autoscaling',
    'cronjobs.batch',
    'jobs.batch',
  ]);
  t.true(mapper.resolve('all').every((r) => r.preferredVersion));
  t.deepEqual(mapper.resolve('ALL').map(fullName), names);
  t.deepEqual(mapper.expandCategory('api-extensions')?.map(fullName).includes('customresourcedefinitions.apiextensions.k8s.io'), true);
  t.is(mapper.expandCategory('nope'), undefined);
});

test('a comma list resolves each item, expands categories and drops duplicates', (t) => {
  t.deepEqual(mapper.resolve('pods,deploy,svc').map(fullName), ['pods', 'deployments.apps', 'services']);
  t.deepEqual(mapper.resolve('po, pods ,myres').map(fullName), ['pods', 'myresources.aiops.org']);
  t.deepEqual(mapper.resolve('cm,all').map(fullName).slice(0, 3), ['configmaps', 'pods', 'replicationcontrollers']);
  t.throws(() => mapper.resolve('pods,'), { instanceOf: UsageError });
  t.throws(() => mapper.resolve(''), { instanceOf: UsageError });
  t.throws(() => mapper.resolve('pods,nope'), { instanceOf: NotFoundError, message: 'the server doesn\'t have a resource type "nope"' });
});

test('unknown names are exit 4 with the closest names as a hint', (t) => {
  const e1 = t.throws(() => mapper.resolveOne('deploymnet'), { instanceOf: NotFoundError });
  t.is(e1.exitCode, ExitCode.notFound);
  t.is(e1.message, 'the server doesn\'t have a resource type "deploymnet"');
  t.is(e1.hint, 'did you mean "deployment"?');
  const e2 = t.throws(() => mapper.resolveOne('myresorces'), { instanceOf: NotFoundError });
  t.regex(e2.hint ?? '', /"myresources"/);
  const e3 = t.throws(() => mapper.resolveOne('myresources.aiops.com'), { instanceOf: NotFoundError });
  t.regex(e3.hint ?? '', /"myresources\.aiops\.org"/);
  const e4 = t.throws(() => mapper.resolveOne('xyzzyplugh'), { instanceOf: NotFoundError });
  t.is(e4.hint, undefined);
  // the wrong version of a known group is not silently corrected
  t.throws(() => mapper.resolveOne('deployments.v9.apps'), { instanceOf: NotFoundError });
});

test('resourceFor maps a manifest GVK exactly', (t) => {
  t.is(gvr(mapper.resourceFor({ ...parseApiVersion('apps/v1'), kind: 'Deployment' })), 'deployments.v1.apps');
  t.is(gvr(mapper.resourceFor({ ...parseApiVersion('v1'), kind: 'ConfigMap' })), 'configmaps.v1.');
  t.is(gvr(mapper.resourceFor({ group: 'aiops.org', version: 'v1alpha1', kind: 'AIOps' })), 'myresources.v1alpha1.aiops.org');
  t.is(gvr(mapper.resourceFor({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' })), 'horizontalpodautoscalers.v1.autoscaling');
  const e = t.throws(() => mapper.resourceFor({ group: 'apps', version: 'v1beta1', kind: 'Deployment' }), { instanceOf: NotFoundError });
  t.is(e.message, 'no matches for kind "Deployment" in version "apps/v1beta1"');
  t.throws(() => mapper.resourceFor({ group: 'apps', version: 'v1', kind: 'deployment' }), { instanceOf: NotFoundError });
  t.is(mapper.kindFor({ group: 'apps', version: 'v1', resource: 'deployments' }).kind, 'Deployment');
  t.throws(() => mapper.kindFor({ group: 'apps', version: 'v1', resource: 'deploy' }), { instanceOf: NotFoundError });
});

test('names for output and URLs', (t) => {
  const deploy = mapper.resolveOne('deploy');
  const pod = mapper.resolveOne('po');
  const crd = mapper.resolveOne('myres');
  t.is(fullName(deploy), 'deployments.apps');
  t.is(fullName(pod), 'pods');
  t.is(fullyQualifiedName(deploy), 'deployments.v1.apps');
  t.is(namePrefix(deploy), 'deployment.apps');
  t.is(namePrefix(pod), 'pod');
  t.is(objectName(crd, 'my-first-crd'), 'aiops.aiops.org/my-first-crd');
  t.is(resourcePath(pod, { namespace: 'default' }), '/api/v1/namespaces/default/pods');
  t.is(resourcePath(pod), '/api/v1/pods');
  t.is(resourcePath(crd, { namespace: 'default', name: 'my-first-crd' }), '/apis/aiops.org/v1alpha1/namespaces/default/myresources/my-first-crd');
  t.is(resourcePath(mapper.resolveOne('ns'), { namespace: 'default', name: 'kube-system' }), '/api/v1/namespaces/kube-system');
  t.false(mapper.resolveOne('ns').namespaced);
  t.true(crd.namespaced);
});

test('flattening keeps subresources, priorities and the preferred version', (t) => {
  const pod = mapper.resolveOne('pods');
  t.true(pod.subresources.includes('status'));
  t.true(pod.subresources.includes('log'));
  t.is(pod.groupPriority, 0);
  t.true(mapper.resources.every((r) => !r.resource.includes('/')));
  const hpa1 = mapper.resolveOne('horizontalpodautoscalers.v1.autoscaling');
  t.false(hpa1.preferredVersion);
  t.true(mapper.resolveOne('hpa').preferredVersion);
  t.true(mapper.resolveOne('deploy').groupPriority > 0);
});

function res(resource: string, kind: string, shortNames: string[] = [], categories: string[] = []) {
  return {
    resource,
    responseKind: { group: '', version: '', kind },
    scope: 'Namespaced' as const,
    singularResource: resource.replace(/s$/, ''),
    verbs: ['get', 'list', 'watch'],
    shortNames,
    categories,
  };
}
