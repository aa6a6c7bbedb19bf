/**
 * Release archives and manifests checked with krew's own tools (built from Go modules):
 * validate-krew-manifest installs every platform of each manifest from a local HTTP server (the
 * manifest is re-rendered with that server as base URL), and `krew install --archive` installs
 * lsres offline from dist/, after which kubectl finds and runs the plugin.
 *
 * The release is incremental: this runs it for lsres (all five targets) and reuses whatever is
 * up to date. Manifests of other plugins are validated when `npm run release` made their archives
 * (set KREW_TEST_RELEASE=all to release every plugin here).
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { release, type ReleaseResult } from '../../../scripts/release.ts';
import { renderManifest } from '../../../scripts/sea/krew-manifest.ts';
import { ensureKrewTools, krewTools, type KrewTools } from '../../../scripts/sea/krew-tools.ts';
import { findKubectl } from '../../../scripts/sea/measure-startup.ts';
import { mapLimit } from '../../../scripts/sea/tasks.ts';
import { archiveName, discoverPlugins, paths, releaseVersion, targets } from '../../../scripts/sea/targets.ts';
import { hasCommand, krewHome, runIn, serveFiles } from '../../helpers/krew.ts';

interface Ready {
  tools: KrewTools;
  kubectl: string;
  released: ReleaseResult;
  /** Plugins whose five archives are in dist/release and match dist/krew/<name>.yaml. */
  complete: string[];
  missing: string[];
}

/** Why these tests cannot run here, or undefined. */
async function missing(): Promise<string | undefined> {
  const built = existsSync(krewTools().krew) && existsSync(krewTools().validator);
  if (!built && !(await hasCommand('go', ['version']))) return 'Go is not installed (needed to build krew from sigs.k8s.io/krew)';
  if (findKubectl() === undefined) return 'no kubectl (looked in ~/.cache/kubectl-plugins/bin and PATH)';
  return undefined;
}

const why = await missing();
let ready: Ready | undefined;

/** A test, or a skipped one saying why. */
function krewTest(title: string, fn: (t: ExecutionContext, r: Ready) => Promise<void>): void {
  if (why !== undefined) test.skip(`${title} (skipped: ${why})`, () => {});
  else test(title, (t) => fn(t, ready!));
}

if (why === undefined) {
  test.before(async (t) => {
    // Building krew (first time) and the lsres release take minutes: past ava's global timeout.
    t.timeout(30 * 60_000);
    const kubectl = findKubectl()!;
    const tools: KrewTools = await ensureKrewTools();
    const plugins = process.env['KREW_TEST_RELEASE'] === 'all' ? discoverPlugins() : ['lsres'];
    const released = await release({ plugins, targets });
    const version = releaseVersion();
    const complete: string[] = [];
    const missing: string[] = [];
    for (const plugin of discoverPlugins()) {
      const manifest = join(paths.krewOut, `${plugin}.yaml`);
      const text = existsSync(manifest) ? await readFile(manifest, 'utf8') : '';
      const ok =
        text !== '' &&
        (await Promise.all(
          targets.map(async (t) => {
            const archive = join(paths.release, archiveName(plugin, version, t));
            if (!existsSync(archive)) return false;
            const sums = await readFile(join(paths.release, 'checksums.txt'), 'utf8');
            const line = sums.split('\n').find((l) => l.endsWith(`  ${archiveName(plugin, version, t)}`));
            return line !== undefined && text.includes(line.split(' ')[0]!);
          }),
        )).every(Boolean);
      (ok ? complete : missing).push(plugin);
    }
    ready = { tools, kubectl, released, complete, missing };
  });
}

krewTest('validate-krew-manifest passes every released manifest, installing each platform', async (t, r) => {
  t.timeout(15 * 60_000);
  t.true(r.complete.includes('lsres'), 'lsres was just released');
  t.log(`validating: ${r.complete.join(', ')}`);
  if (r.missing.length > 0) t.log(`not validated (no current archives: run npm run release): ${r.missing.join(', ')}`);
  const home = await krewHome(r.tools, r.kubectl, ['lsres']);
  const server = await serveFiles(paths.release);
  const baseUrl = server.baseUrl;
  try {
    await mapLimit(r.complete, 2, async (plugin) => {
      // Same manifest, downloads from the local server instead of the release page.
      const archives = r.released.files.filter((f) => f.plugin === plugin);
      let text: string;
      if (archives.length === targets.length) {
        const template = await readFile(join(paths.krewTemplates, `${plugin}.yaml`), 'utf8');
        text = renderManifest(template, { version: r.released.version, baseUrl, archives });
      } else {
        const rendered = await readFile(join(paths.krewOut, `${plugin}.yaml`), 'utf8');
        text = rendered.replace(/uri: "?(\S+?)\/(kubectl-[^/\s"]+)"?$/gm, `uri: ${baseUrl}/$2`);
      }
      const manifest = join(home.dir, `${plugin}.yaml`);
      await writeFile(manifest, text);
      const v = await runIn(home.env, r.tools.validator, ['-manifest', manifest], 600_000);
      if (v.code === 0) t.regex(v.stderr, /all 5 spec\.platforms installed fine/, plugin);
      else t.fail(`${plugin}: ${v.stderr.split('\n').filter((l) => /^[FE]\d|failed|error/i.test(l)).slice(0, 8).join('\n')}`);
    });
  } finally {
    await server.close();
    await home.remove();
  }
});

krewTest('krew installs lsres offline from the release archive; kubectl runs it through plugin lookup', async (t, r) => {
  t.timeout(5 * 60_000);
  const home = await krewHome(r.tools, r.kubectl, ['lsres']);
  const root = home.root;
  try {
    const version = releaseVersion();
    const linux = targets.find((x) => x.os === 'linux' && x.arch === 'amd64')!;
    const installed = await runIn(home.env, r.tools.krew, [
      'install',
      `--manifest=${join(paths.krewOut, 'lsres.yaml')}`,
      `--archive=${join(paths.release, archiveName('lsres', version, linux))}`,
    ]);
    t.is(installed.code, 0, installed.stderr);
    const bin = join(root, 'bin', 'kubectl-lsres');
    t.true(existsSync(bin), `${bin} exists`);
    const store = join(root, 'store', 'lsres', `v${version}`);
    for (const f of ['kubectl-lsres', 'LICENSE', 'kubectl_complete-lsres']) t.true(existsSync(join(store, f)), `${f} installed`);

    const help = await runIn(home.env, 'kubectl', ['lsres', '--help']);
    t.regex(help.stdout, /kubectl lsres/);
    const listed = await runIn(home.env, 'kubectl', ['plugin', 'list']);
    t.true(listed.stdout.includes(bin), 'kubectl plugin list shows the krew-installed plugin');

    const receipt = parse(await readFile(join(root, 'receipts', 'lsres.yaml'), 'utf8')) as { status?: { source?: { name?: string } } };
    t.truthy(receipt, 'krew wrote a receipt');
  } finally {
    await home.remove();
  }
});
