/**
 * The path a user takes, end to end and offline: `npm run release` writes our krew index; krew
 * adds it, installs the four plugins from it (archives from a file server on 127.0.0.1), kubectl
 * runs them through its plugin lookup, the completion shim is installed as the caveats say and
 * kubectl completes through it; a bumped version is published to the index, `krew upgrade`
 * installs it, `krew uninstall` removes everything. krew's validator passes every manifest of
 * both versions.
 *
 * The releases are of the host target only (linux_amd64 here; `--partial` manifests): the five
 * targets' manifests are validated by krew.test.ts. They go to dist/krew-e2e/, incrementally,
 * so dist/release and dist/krew-index stay the real release's.
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { release, type ReleaseResult } from '../../../scripts/release.ts';
import { indexName } from '../../../scripts/sea/krew-index.ts';
import { shimCommand, shimRemoval } from '../../../scripts/sea/krew-manifest.ts';
import { ensureKrewTools, krewTools, type KrewTools } from '../../../scripts/sea/krew-tools.ts';
import { archiveName, discoverPlugins, hostTarget, paths, releaseVersion } from '../../../scripts/sea/targets.ts';
import { createNamespace, deleteNamespace, ensureCluster, kubectl as clusterKubectl, kubectlOk, type TestCluster } from '../../helpers/cluster.ts';
import { hasCommand, krewHome, runIn, serveFiles, type KrewHome, type Ran } from '../../helpers/krew.ts';
import { repoRoot } from '../../helpers/plugin.ts';
import { waitFor } from '../../helpers/wait.ts';

const plugins = ['lsres', 'dynget', 'mkdeploy', 'watchq'];
const root = join(paths.dist, 'krew-e2e');
const current = releaseVersion();
const bumped = current.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_, a: string, b: string, c: string) => `${a}.${b}.${Number(c) + 1}`);

/** Why this cannot run here (git, or Go to build krew, missing), or undefined. */
async function missing(): Promise<string | undefined> {
  if (!(await hasCommand('git'))) return 'git is not installed (krew indexes are git repositories)';
  const built = existsSync(krewTools().krew) && existsSync(krewTools().validator);
  if (!built && !(await hasCommand('go', ['version']))) return 'Go is not installed (needed to build krew from sigs.k8s.io/krew)';
  return undefined;
}

const title = 'krew index: install the four plugins, run and complete them through kubectl, upgrade to a bumped version, uninstall';
const why = await missing();

/** Asserts a command exited 0, showing its output when not. */
function ok(t: ExecutionContext, r: Ran, what: string): Ran {
  t.is(r.code, 0, `${what} exited ${r.code}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-2000)}`);
  return r;
}

interface Receipt {
  spec?: { version?: string };
  status?: { source?: { name?: string } };
}

const receipt = async (home: KrewHome, plugin: string): Promise<Receipt> =>
  parse(await readFile(join(home.root, 'receipts', `${plugin}.yaml`), 'utf8')) as Receipt;

async function validateAll(t: ExecutionContext, tools: KrewTools, home: KrewHome, r: ReleaseResult): Promise<void> {
  // Exactly what was published: the index's manifests.
  for (const plugin of plugins) {
    const manifest = join(r.layout.index, 'plugins', `${plugin}.yaml`);
    // It runs `kubectl krew install --manifest` (found on PATH) into a KREW_ROOT of its own.
    const v = ok(t, await runIn(home.env, tools.validator, ['-manifest', manifest], 300_000), `validate-krew-manifest ${plugin} v${r.version}`);
    t.regex(v.stderr, /all 1 spec\.platforms installed fine/, `${plugin} v${r.version}`);
  }
}

async function checkInstalled(t: ExecutionContext, home: KrewHome, version: string): Promise<void> {
  const license = await readFile(join(repoRoot, 'LICENSE'), 'utf8');
  for (const plugin of plugins) {
    const link = join(home.bin, `kubectl-${plugin}`);
    t.true(lstatSync(link).isSymbolicLink(), `${link} is krew's link`);
    const store = join(home.root, 'store', plugin, `v${version}`);
    t.is(resolve(home.bin, readlinkSync(link)), join(store, `kubectl-${plugin}`), `${plugin} links to v${version}`);
    t.deepEqual((await readdir(join(home.root, 'store', plugin))), [`v${version}`], `${plugin}: only v${version} in the store`);
    t.is(await readFile(join(store, 'LICENSE'), 'utf8'), license, `${plugin}: the licence is extracted`);
    const r = await receipt(home, plugin);
    t.is(r.spec?.version, `v${version}`, `${plugin} receipt`);
    t.is(r.status?.source?.name, indexName, `${plugin} came from our index`);
    const v = ok(t, await runIn(home.env, 'kubectl', [plugin, '--version']), `kubectl ${plugin} --version`);
    t.is(v.stdout, `kubectl-${plugin} v${version}\n`);
  }
}

/** `kubectl __complete WORDS…`: candidates and the directive line. */
async function complete(home: KrewHome, words: string[]): Promise<{ candidates: string[]; directive: string; stderr: string }> {
  const r = await runIn(home.env, 'kubectl', ['__complete', ...words]);
  const lines = r.stdout.trim().split('\n');
  return { candidates: lines.slice(0, -1).map((l) => l.split('\t')[0]!), directive: lines[lines.length - 1] ?? '', stderr: r.stderr };
}

async function checkCompletion(t: ExecutionContext, home: KrewHome, ns: string): Promise<void> {
  const types = await complete(home, ['lsres', '']);
  for (const type of ['pods', 'deployments.apps', 'services', 'myresources.aiops.org']) t.true(types.candidates.includes(type), `lsres completes ${type}: ${types.candidates.slice(0, 12).join(' ')} ${types.stderr}`);
  const names = await complete(home, ['dynget', 'aiops', '-n', ns, '']);
  t.deepEqual(names.candidates, ['my-first-crd'], `dynget completes object names ${names.stderr}`);
  for (const plugin of ['mkdeploy', 'watchq']) {
    const flags = await complete(home, [plugin, '--kubecon']);
    t.true(flags.candidates.includes('--kubeconfig'), `${plugin} completes flags: ${flags.candidates.join(' ')} ${flags.stderr}`);
  }
}

if (why !== undefined) {
  test.skip(`${title} (skipped: ${why})`, () => {});
} else {
  test(title, async (t) => {
    // Building krew (first time), the cluster and two releases take minutes.
    t.timeout(40 * 60_000);
    const started = Date.now();
    const lap = (what: string) => t.log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const host = hostTarget();
    if (host === undefined) throw new Error(`no release target for ${process.platform}/${process.arch}`);
    t.deepEqual(discoverPlugins(), [...plugins].sort(), 'the four plugins');

    const tools = await ensureKrewTools();
    const cluster: TestCluster = await ensureCluster();
    lap('krew and the cluster ready');
    const ns = await createNamespace('krew-index');
    await kubectlOk(['apply', '-f', join(repoRoot, 'test/fixtures/seed/crd.yaml')]);
    await kubectlOk(['wait', '--for=condition=Established', 'crd/myresources.aiops.org', '--timeout=30s']);
    await waitFor('the AIOps object', async () => ((await clusterKubectl(['apply', '-n', ns, '-f', join(repoRoot, 'test/fixtures/seed/resource.yml')])).code === 0 ? true : undefined));

    // A fresh index every run; archives and executables are reused when up to date.
    await rm(join(root, 'krew-index'), { recursive: true, force: true });
    await rm(join(root, 'krew'), { recursive: true, force: true });
    await mkdir(join(root, 'release'), { recursive: true });
    const server = await serveFiles(join(root, 'release'));
    const home = await krewHome(tools, cluster.kubectl, plugins, { KUBECONFIG: cluster.kubeconfig });
    home.env['KUBECACHEDIR'] = join(home.dir, 'kube-cache');
    try {
      const publish = (version: string) =>
        release({ plugins, targets: [host], version, baseUrl: server.baseUrl, root, partial: true, allowLoopbackHttp: true });

      // 1. Release the current version: the index holds its manifests.
      const first = await publish(current);
      lap(`released v${current}`);
      t.true(first.index?.committed, 'the release committed to the index');
      t.deepEqual((await readdir(join(first.layout.index, 'plugins'))).sort(), plugins.map((p) => `${p}.yaml`).sort());
      await validateAll(t, tools, home, first);
      lap(`validated v${current}`);

      // 2. Add the index (a file:// URL: krew clones it) and install from it.
      const url = pathToFileURL(first.layout.index).href;
      ok(t, await runIn(home.env, 'kubectl', ['krew', 'index', 'add', indexName, url]), 'krew index add');
      const listed = ok(t, await runIn(home.env, 'kubectl', ['krew', 'index', 'list']), 'krew index list');
      t.regex(listed.stdout, new RegExp(`^${indexName}\\s+${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      const served = server.requests.length;
      const installed = ok(t, await runIn(home.env, 'kubectl', ['krew', 'install', ...plugins.map((p) => `${indexName}/${p}`)], 600_000), 'krew install');
      lap('installed');
      t.deepEqual(await readdir(join(home.root, 'index')), [indexName], 'no default index was added (nothing cloned from the network)');
      t.deepEqual(server.requests.slice(served).sort(), plugins.map((p) => archiveName(p, current, host)).sort(), 'each archive downloaded from the local server');
      for (const plugin of plugins) {
        t.true(installed.stderr.includes(`Installed plugin: ${plugin}`), `installed ${plugin}`);
        t.true(installed.stderr.includes(shimCommand(plugin)), `the caveats of ${plugin} are shown`);
      }
      await checkInstalled(t, home, current);

      // 3. Through kubectl's plugin lookup.
      const help = ok(t, await runIn(home.env, 'kubectl', ['lsres', '--help']), 'kubectl lsres --help');
      t.regex(help.stdout, /kubectl lsres/);
      const got = ok(t, await runIn(home.env, 'kubectl', ['dynget', 'aiops', '-n', ns]), 'kubectl dynget aiops');
      t.regex(got.stdout, /^NAME\s+AGE\s+UID$/m);
      t.regex(got.stdout, /^my-first-crd\s+\S+\s+[0-9a-f-]{36}$/m);
      const pluginList = await runIn(home.env, 'kubectl', ['plugin', 'list']);
      for (const plugin of plugins) t.true(pluginList.stdout.includes(join(home.bin, `kubectl-${plugin}`)), `kubectl plugin list shows ${plugin}`);

      // 4. The completion shim, as the caveats say, then completion through kubectl.
      const before = await complete(home, ['dynget', 'aiops', '-n', ns, '']);
      t.false(before.candidates.includes('my-first-crd'), 'no completion before the shim is installed');
      for (const plugin of plugins) {
        const r = ok(t, await runIn(home.env, 'kubectl', shimCommand(plugin).split(' ').slice(1)), shimCommand(plugin));
        t.true(r.stderr.includes(`wrote ${join(home.bin, `kubectl_complete-${plugin}`)}`), r.stderr);
        t.is(r.stdout, '', 'messages on stderr only');
      }
      await checkCompletion(t, home, ns);
      lap('completed');

      // 5. Publish a bumped version to the index; krew upgrade installs it.
      const second = await publish(bumped);
      lap(`released v${bumped}`);
      t.true(second.index?.committed, 'the bumped release committed to the index');
      t.not(second.index?.head, first.index?.head);
      await validateAll(t, tools, home, second);
      lap(`validated v${bumped}`);
      const upgraded = ok(t, await runIn(home.env, 'kubectl', ['krew', 'upgrade'], 600_000), 'krew upgrade');
      lap('upgraded');
      t.true(upgraded.stderr.includes(`Updated the local copy of plugin index "${indexName}"`), upgraded.stderr);
      for (const plugin of plugins) t.true(upgraded.stderr.includes(`Upgraded plugin: ${indexName}/${plugin}`), `upgraded ${plugin}: ${upgraded.stderr}`);
      t.false(/WARNING|failed/i.test(upgraded.stderr), upgraded.stderr);
      await checkInstalled(t, home, bumped);
      await checkCompletion(t, home, ns);
      const again = ok(t, await runIn(home.env, 'kubectl', ['krew', 'upgrade']), 'krew upgrade, again');
      for (const plugin of plugins) t.true(again.stderr.includes(`Skipping plugin ${indexName}/${plugin}, it is already on the newest version`), again.stderr);

      // 6. Uninstall: krew's links, store and receipts go; the shims are removed as the caveats say.
      ok(t, await runIn(home.env, 'kubectl', ['krew', 'uninstall', ...plugins]), 'krew uninstall');
      for (const plugin of plugins) {
        t.false(existsSync(join(home.bin, `kubectl-${plugin}`)), `${plugin} link gone`);
        t.false(existsSync(join(home.root, 'store', plugin)), `${plugin} store gone`);
        t.false(existsSync(join(home.root, 'receipts', `${plugin}.yaml`)), `${plugin} receipt gone`);
        const r = await runIn(home.env, 'kubectl', [plugin, '--help']);
        t.not(r.code, 0, `kubectl ${plugin} no longer runs`);
      }
      const afterList = await runIn(home.env, 'kubectl', ['plugin', 'list']);
      for (const plugin of plugins) t.false(afterList.stdout.includes(`kubectl-${plugin}`), `kubectl plugin list no longer shows ${plugin}`);
      t.deepEqual((await readdir(home.bin)).sort(), plugins.map((p) => `kubectl_complete-${p}`).sort(), 'krew leaves only the shims');
      for (const plugin of plugins) ok(t, await runIn(home.env, 'sh', ['-c', shimRemoval(plugin)]), shimRemoval(plugin));
      t.deepEqual(await readdir(home.bin), [], 'nothing left in $KREW_ROOT/bin');
      lap('uninstalled');
    } finally {
      await server.close();
      await home.remove();
      await deleteNamespace(ns);
    }
  });
}
