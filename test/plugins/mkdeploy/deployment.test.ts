import test from 'ava';
import { buildDeployment, containerName } from '../../../plugins/mkdeploy/deployment.ts';
import { UsageError } from '../../../shared/errors.ts';

const base = { name: 'nginx-deployment', images: ['nginx:latest'], replicas: 2, labels: [], env: [], namespace: 'default' };

test('builds what kubectl create deployment builds', (t) => {
  const d = buildDeployment({ ...base, port: 80, env: ['MODE=prod'], labels: ['tier=web'] }) as any;
  t.is(d.apiVersion, 'apps/v1');
  t.deepEqual(d.spec.selector, { matchLabels: { app: 'nginx-deployment' } });
  t.deepEqual(d.spec.template.metadata.labels, { app: 'nginx-deployment', tier: 'web' });
  t.deepEqual(d.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:latest', ports: [{ containerPort: 80 }], env: [{ name: 'MODE', value: 'prod' }], resources: {} }]);
  t.is(d.spec.replicas, 2);
});

test('one container per --image, a command after -- on the container', (t) => {
  const d = buildDeployment({ ...base, images: ['nginx', 'redis:7'] }) as any;
  t.deepEqual(d.spec.template.spec.containers.map((c: { name: string }) => c.name), ['nginx', 'redis']);
  const one = buildDeployment({ ...base, command: ['sleep', '3600'] }) as any;
  t.deepEqual(one.spec.template.spec.containers[0].command, ['sleep', '3600']);
  t.throws(() => buildDeployment({ ...base, images: ['a', 'b'], command: ['x'] }), { message: 'cannot specify multiple --image options and command' });
});

const names: Array<[string, string]> = [['nginx:latest', 'nginx'], ['registry:5000/team/web-app:1.2@sha256:abc', 'web-app'], ['quay.io/Foo_Bar', 'foo-bar']];
for (const [image, name] of names) test(`container name of ${image} is ${name}`, (t) => t.is(containerName(image), name));

const invalid: Array<[string, Partial<typeof base> & { port?: number }, RegExp]> = [
  ['an upper-case name', { name: 'Bad_Name' }, /invalid name/],
  ['a name too long', { name: 'a'.repeat(254) }, /253/],
  ['a name longer than 63 (it is the app label value)', { name: 'a'.repeat(64) }, /no more than 63 characters \(it is also the value of the app label\)/],
  ['an empty image', { images: [''] }, /--image/],
  ['an image with whitespace', { images: ['nginx latest'] }, /--image/],
  ['no image', { images: [] }, /--image is required/],
  ['negative replicas', { replicas: -1 }, /--replicas/],
  ['fractional replicas', { replicas: 1.5 }, /--replicas/],
  ['a port out of range', { port: 70000 }, /--port/],
  ['a label without =', { labels: ['novalue'] } as never, /KEY=VALUE/],
  ['a bad label value', { labels: ['a=b c'] } as never, /--label value/],
  ['a bad env name', { env: ['1X=y'] } as never, /--env key/],
];
for (const [what, change, message] of invalid) {
  test(`refuses ${what}`, (t) => {
    const error = t.throws(() => buildDeployment({ ...base, ...change }), { instanceOf: UsageError });
    t.regex(error.message, message);
  });
}
