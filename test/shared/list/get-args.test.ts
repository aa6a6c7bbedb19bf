/** kubectl get's argument forms, parsed before any request (cli-runtime's ResourceTypeOrNameArgs). */
import test from 'ava';
import { parseGetArgs, resolveGetArgs, singleItemImplied } from '../../../shared/list/get-args.ts';
import { UsageError } from '../../../shared/errors.ts';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';

test('TYPE lists, TYPE NAME... and TYPE/NAME... get by name, a,b NAME is a/NAME b/NAME', (t) => {
  t.deepEqual(parseGetArgs(['pods,svc'], 'lsres'), { kind: 'types', types: 'pods,svc' });
  t.deepEqual(parseGetArgs(['deploy', 'a', 'b'], 'lsres'), { kind: 'names', tuples: [{ type: 'deploy', names: ['a', 'b'] }] });
  t.deepEqual(parseGetArgs(['deploy/a', 'deploy/b', 'svc/a', 'deploy/c'], 'lsres'), {
    kind: 'names',
    tuples: [{ type: 'deploy', names: ['a', 'b'] }, { type: 'svc', names: ['a'] }, { type: 'deploy', names: ['c'] }],
  });
  t.deepEqual(parseGetArgs(['deploy,svc,deploy', 'web', 'api'], 'lsres'), {
    kind: 'names',
    tuples: [{ type: 'deploy', names: ['web', 'api'] }, { type: 'svc', names: ['web', 'api'] }],
  });
  t.is(parseGetArgs([], 'lsres'), undefined);
});

test('one name alone is printed alone', (t) => {
  t.true(singleItemImplied(parseGetArgs(['deploy', 'web'], 'x')));
  t.true(singleItemImplied(parseGetArgs(['deploy/web'], 'x')));
  t.false(singleItemImplied(parseGetArgs(['deploy/web', 'deploy/api'], 'x')));
  t.false(singleItemImplied(parseGetArgs(['deploy,svc', 'web'], 'x')));
  t.false(singleItemImplied(parseGetArgs(['deploy'], 'x')));
});

test('the forms kubectl refuses', (t) => {
  t.throws(() => parseGetArgs(['deploy', 'web', 'svc/web'], 'lsres'), { instanceOf: UsageError, message: /^there is no need to specify a resource type as a separate argument/ });
  t.throws(() => parseGetArgs(['a/b/c'], 'lsres'), { message: 'arguments in resource/name form may not have more than one slash' });
  for (const arg of ['/x', 'x/', 'a,b/x']) t.throws(() => parseGetArgs([arg], 'lsres'), { message: 'arguments in resource/name form must have a single resource and name' }, arg);
});

test('names of one resource typed two ways are one request; a TYPE with names must be one type', async (t) => {
  const deploy = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' } as ApiResource;
  const svc = { group: '', version: 'v1', resource: 'services', kind: 'Service' } as ApiResource;
  const discovery = { resolve: async (input: string) => (input === 'all' ? [deploy, svc] : input.startsWith('deploy') ? [deploy] : [svc]) };
  const requests = await resolveGetArgs(parseGetArgs(['deploy/a', 'deployments/b', 'svc/c'], 'x')!, discovery);
  t.deepEqual(requests.map((r) => [r.resource.resource, r.names]), [['deployments', ['a', 'b']], ['services', ['c']]]);
  await t.throwsAsync(resolveGetArgs(parseGetArgs(['all', 'x'], 'x')!, discovery), { message: 'a NAME can only be given with a single resource type, not "all"' });
});
