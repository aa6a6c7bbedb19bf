/**
 * `npm run demo`: the seed notes, replayed with the plugins. Builds the plugins if needed,
 * brings up (or reuses) the local control plane, applies the seed's objects in namespace
 * `demo`, and runs each plugin against it, showing the command and its output.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { binaryPath } from './cluster/build.ts';
import { up } from './cluster/control-plane.ts';
import { clusterPaths } from './cluster/paths.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'dist', 'bin', `kubectl-${name}`);
const paths = clusterPaths();

function run(label: string, file: string, args: string[], input?: string): number {
  process.stdout.write(`\n$ ${label} ${args.join(' ')}\n`);
  const result = spawnSync(file, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'], input, env: { ...process.env, KUBECONFIG: paths.kubeconfig } });
  return result.status ?? 1;
}

if (!['lsres', 'dynget', 'mkdeploy', 'watchq'].every((p) => fs.existsSync(bin(p)))) {
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
await up(paths, { log: (line) => process.stderr.write(`${line}\n`) });
const kubectl = binaryPath(paths, 'kubectl');
const k = (args: string[], input?: string) => spawnSync(kubectl, ['--kubeconfig', paths.kubeconfig, ...args], { input, encoding: 'utf8' });

k(['create', 'namespace', 'demo']);
k(['delete', 'deployment', 'nginx-deployment', '-n', 'demo', '--ignore-not-found']);
k(['apply', '-n', 'demo', '-f', path.join(root, 'test/fixtures/seed/nginx.yaml')]);

process.stdout.write('# 1. List pods, deployments and services (the seed\'s action1)\n');
run('kubectl lsres', bin('lsres'), ['-n', 'demo']);
process.stdout.write('\n# 2. Create a Deployment and wait for it (action3)\n');
k(['delete', 'deployment', 'test-deployment', '-n', 'demo', '--ignore-not-found']);
run('kubectl mkdeploy', bin('mkdeploy'), ['test-deployment', '--image', 'nginx:latest', '-n', 'demo', '--wait', '--timeout', '60s']);
process.stdout.write('\n# 3. The CRD and its object from YAML, through the dynamic client (action7)\n');
k(['delete', 'myresources.aiops.org', 'my-first-crd', '-n', 'demo', '--ignore-not-found']);
const manifests = ['crd.yaml', 'resource.yml'].map((f) => fs.readFileSync(path.join(root, 'test/fixtures/seed', f), 'utf8')).join('\n---\n');
run('kubectl mkdeploy', bin('mkdeploy'), ['-n', 'demo', '--server-side', '-f', '-'], manifests);
for (const name of ['AIOps', 'aiops', 'myres']) run('kubectl dynget', bin('dynget'), [name, '-n', 'demo']);
process.stdout.write('\n# 4. Informer + rate-limited queue; test-deployment fails and is dropped after 5 retries (action6)\n');
process.stdout.write('$ kubectl watchq deployments -n demo --fail-on test-deployment   (stopped after 5 s)\n');
spawnSync(bin('watchq'), ['deployments', '-n', 'demo', '--fail-on', 'test-deployment'], { stdio: 'inherit', timeout: 5000, killSignal: 'SIGTERM', env: { ...process.env, KUBECONFIG: paths.kubeconfig } });
process.stdout.write(`\nThe cluster keeps running: export KUBECONFIG=${paths.kubeconfig}; stop it with npm run cluster -- down\n`);
