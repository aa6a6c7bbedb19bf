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
import test from 'ava';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { release, type ReleaseResult } from '../../../scripts/release.ts';
import { renderManifest } from '../../../scripts/sea/krew-manifest.ts';
import { ensureKrewTools, type KrewTools } from '../../../scripts/sea/krew-tools.ts';
import { findKubectl } from '../../../scripts/sea/measure-startup.ts';
import { mapLimit } from '../../../scripts/sea/tasks.ts';
import { archiveName, discoverPlugins, paths, releaseVersion, targets } from '../../../scripts/sea/targets.ts';

const run = promisify(execFile);

interface Ready {
  tools: KrewTools;
  kubectl: string;
  released: ReleaseResult;
  /** Plugins whose five archives are in dist/release and match dist/krew/<name>.yaml. */
  complete: string[];
  missing: string[];
}

let ready: Ready | undefined;
let notReady = '';

const skip = (t: import('ava').ExecutionContext): boolean => {
  if (ready !== undefined) return false;
  t.log(`skipped: ${notReady}`);
  t.pass();
  return true;
};

test.before(async (t) => {
  // Building krew (first time) and the lsres release take minutes: past ava's global timeout.
  t.timeout(30 * 60_000);
  const kubectl = findKubectl();
  if (kubectl === undefined) {
    notReady = 'no kubectl (looked in ~/.cache/kubectl-plugins/bin and PATH)';
    return;
  }
  if (!discoverPlugins().includes('lsres')) {
    notReady = 'no plugins/lsres/main.ts yet';
    return;
  }
  let tools: KrewTools;
  try {
    tools = await ensureKrewTools();
  } catch (error) {
    notReady = (error as Error).message;
    return;
  }
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

/** Serves dist/release on 127.0.0.1 for the validator's downloads. */
async function serveRelease(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const path = join(paths.release, name);
    if (name.includes('/') || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    stat(path).then(
      (s) => {
        res.writeHead(200, { 'content-length': s.size, 'content-type': 'application/octet-stream' });
        createReadStream(path).pipe(res);
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A PATH where `kubectl krew` is our krew and `kubectl` is the real one. */
async function pluginPath(dir: string, r: Ready): Promise<string> {
  await symlink(r.tools.krew, join(dir, 'kubectl-krew'));
  if (!existsSync(join(dir, 'kubectl'))) await symlink(r.kubectl, join(dir, 'kubectl'));
  return `${dir}:${process.env['PATH'] ?? ''}`;
}

test('validate-krew-manifest passes every released manifest, installing each platform', async (t) => {
  if (skip(t)) return;
  t.timeout(15 * 60_000);
  const r = ready!;
  t.true(r.complete.includes('lsres'), 'lsres was just released');
  t.log(`validating: ${r.complete.join(', ')}`);
  if (r.missing.length > 0) t.log(`not validated (no current archives: run npm run release): ${r.missing.join(', ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'krew-validate-'));
  const { server, baseUrl } = await serveRelease();
  try {
    const PATH = await pluginPath(dir, r);
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
      const manifest = join(dir, `${plugin}.yaml`);
      await writeFile(manifest, text);
      try {
        const { stderr } = await run(r.tools.validator, ['-manifest', manifest], {
          env: { PATH, HOME: dir, KREW_NO_UPGRADE_CHECK: '1' },
          maxBuffer: 64 << 20,
        });
        t.regex(stderr, /all 5 spec\.platforms installed fine/, plugin);
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        t.fail(`${plugin}: ${e.stderr?.split('\n').filter((l) => /^[FE]\d|failed|error/i.test(l)).slice(0, 8).join('\n') ?? e.message}`);
      }
    });
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('krew installs lsres offline from the release archive; kubectl runs it through plugin lookup', async (t) => {
  if (skip(t)) return;
  t.timeout(5 * 60_000);
  const r = ready!;
  const root = await mkdtemp(join(tmpdir(), 'krew-root-'));
  try {
    const version = releaseVersion();
    const linux = targets.find((x) => x.os === 'linux' && x.arch === 'amd64')!;
    const env = { ...process.env, KREW_ROOT: root, KREW_NO_UPGRADE_CHECK: '1' };
    await run(
      r.tools.krew,
      ['install', `--manifest=${join(paths.krewOut, 'lsres.yaml')}`, `--archive=${join(paths.release, archiveName('lsres', version, linux))}`],
      { env, maxBuffer: 16 << 20 },
    );
    const bin = join(root, 'bin', 'kubectl-lsres');
    t.true(existsSync(bin), `${bin} exists`);
    const store = join(root, 'store', 'lsres', `v${version}`);
    for (const f of ['kubectl-lsres', 'LICENSE', 'kubectl_complete-lsres']) t.true(existsSync(join(store, f)), `${f} installed`);

    const PATH = `${join(root, 'bin')}:${process.env['PATH'] ?? ''}`;
    const help = await run(r.kubectl, ['lsres', '--help'], { env: { ...process.env, PATH } });
    t.regex(help.stdout, /kubectl lsres/);
    const listed = await run(r.kubectl, ['plugin', 'list'], { env: { ...process.env, PATH } }).catch((e: { stdout: string }) => e);
    t.true(listed.stdout.includes(bin), 'kubectl plugin list shows the krew-installed plugin');

    const receipt = parse(await readFile(join(root, 'receipts', 'lsres.yaml'), 'utf8')) as { status?: { source?: { name?: string } } };
    t.truthy(receipt, 'krew wrote a receipt');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
