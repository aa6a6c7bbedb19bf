/** List printing in-process over a fake transport: chunks aligned as one table, kind prefixes, blank lines. */
import test from 'ava';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import type { Transport } from '../../../shared/kube/transport.ts';
import { printLists } from '../../../shared/list/print-lists.ts';
import { memoryStreams } from '../../helpers/streams.ts';

const resource = (kind: string, plural: string, group = ''): ApiResource => ({ group, version: 'v1', resource: plural, singular: kind.toLowerCase(), kind, namespaced: true, shortNames: [], categories: [], verbs: ['list'], subresources: [], preferredVersion: true, groupPriority: 0, versionPriority: 0 });
const columns = [{ name: 'Name', type: 'string', format: 'name' }, { name: 'Age', type: 'string' }];
const table = (names: string[], next?: string) => ({ kind: 'Table', metadata: { ...(next ? { continue: next } : {}) }, columnDefinitions: columns, rows: names.map((n) => ({ cells: [n, '5m'] })) });

function fake(pages: Record<string, object>): Transport {
  return {
    serverName: 'fake',
    async request(req) {
      const key = `${req.path.split('?')[0]}${req.path.includes('continue=') ? ' 2' : ''}`;
      return { status: 200, headers: {}, body: Buffer.from(JSON.stringify(pages[key] ?? table([]))) };
    },
    stream: () => Promise.reject(new Error('not implemented')),
  };
}

const base = { namespace: 'ns', chunkSize: 2, output: { kind: 'table' as const }, noHeaders: false };

test('rows of every chunk are aligned as one table', async (t) => {
  const streams = memoryStreams();
  const transport = fake({ '/api/v1/namespaces/ns/configmaps': table(['a', 'b'], 'x'), '/api/v1/namespaces/ns/configmaps 2': table(['a-much-longer-name']) });
  await printLists({ ...base, transport, requests: [{ resource: resource('ConfigMap', 'configmaps') }], streams });
  t.is(streams.out(), 'NAME                 AGE\na                    5m\nb                    5m\na-much-longer-name   5m\n');
});

test('several types: kind prefixes and a blank line between tables, none with --no-headers', async (t) => {
  const transport = fake({ '/api/v1/namespaces/ns/configmaps': table(['a']), '/apis/apps/v1/namespaces/ns/deployments': table(['web']) });
  const resources = [resource('ConfigMap', 'configmaps'), resource('Deployment', 'deployments', 'apps')];
  const withHeaders = memoryStreams();
  await printLists({ ...base, transport, requests: resources.map((r) => ({ resource: r })), streams: withHeaders });
  t.is(withHeaders.out(), 'NAME          AGE\nconfigmap/a   5m\n\nNAME                  AGE\ndeployment.apps/web   5m\n');
  const bare = memoryStreams();
  await printLists({ ...base, noHeaders: true, transport, requests: resources.map((r) => ({ resource: r })), streams: bare });
  t.is(bare.out(), 'configmap/a   5m\ndeployment.apps/web   5m\n');
});
