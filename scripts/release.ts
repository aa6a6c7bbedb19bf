/**
 * `npm run release`: single executables for five targets, their archives, krew manifests and
 * our custom krew index.
 *
 *   dist/stage/<os>_<arch>/kubectl-<name>[.exe]            the executables
 *   dist/release/kubectl-<name>_<version>_<os>_<arch>.tar.gz (.zip for Windows):
 *       the binary, LICENSE and the completion shim
 *   dist/release/checksums.txt                             sha256sum format
 *   dist/release/checksums.txt.sig                         with RELEASE_SIGNING_KEY (sea/sign-checksums.ts)
 *   dist/krew/<name>.yaml                                  krew/<name>.yaml filled in
 *   dist/krew-index/                                       git repository, plugins/<name>.yaml,
 *                                                          one commit per release (sea/krew-index.ts)
 *
 * Each executable is Bun's runtime for its target (from npm, pinned: sea/runtime-binaries.ts)
 * with the plugin's bundle as bytecode, compiled by the host's Bun. The host target reuses the
 * host build. macOS binaries' ad-hoc signatures are checked. RELEASE_BASE_URL sets the download URL in the manifests
 * (default: the GitHub release of the version).
 *
 * --release-version X releases X instead of package.json's version: the plugins are bundled
 * again with X embedded (`--version` prints it) and staged apart (dist/stage/vX/), dist/bin is
 * left alone. Manifests and the index need all five targets; --partial writes them for the
 * targets built (tests install from a linux_amd64-only index).
 *
 * Usage: node scripts/release.ts [NAME ...] [--targets linux_amd64,...] [--release-version X]
 *                                [--partial] [--force]
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs, promisify } from 'node:util';
import { buildHost, selectPlugins } from './build.ts';
import { writeTarGz, writeZip, type ArchiveEntry } from './sea/archive.ts';
import { bundlePlugins, type BundleResult } from './sea/bundle.ts';
import { shimScript } from './sea/completion-shim.ts';
import { makeExecutable } from './sea/executable.ts';
import { defaultIndexUrl, writeIndex, type IndexUpdate } from './sea/krew-index.ts';
import { checkManifest, downloadUrlProblem, releaseBaseUrl, renderManifest, type ReleasedArchive } from './sea/krew-manifest.ts';
import { hardenedRuntime } from './sea/harden-runtime.ts';
import { fetchRuntimeBinary } from './sea/runtime-binaries.ts';
import { bunRuntime } from './sea/runtime-integrity.ts';
import { signChecksums } from './sea/sign-checksums.ts';
import { formatBytes, log, mapLimit, compileConcurrency, seconds, table, withLock, writeFileAtomic } from './sea/tasks.ts';
import {
  archiveName,
  binaryName,
  findTarget,
  hostTarget,
  paths,
  pinnedBunVersion,
  releaseLayout,
  releaseVersion,
  repoRoot,
  shimName,
  targetName,
  targets as allTargets,
  type ReleaseLayout,
  type Target,
} from './sea/targets.ts';

export interface ReleaseOptions {
  plugins: readonly string[];
  targets: readonly Target[];
  force?: boolean;
  /** The version to release, without a leading v (default package.json's). */
  version?: string;
  /** The manifests' download base URL (default RELEASE_BASE_URL, else the GitHub release). */
  baseUrl?: string;
  /** Where to write stage/, release/, krew/, krew-index/ and .state/ (default dist/). */
  root?: string;
  /** Write manifests and the index for the targets built, when they are not all five. */
  partial?: boolean;
  /** For tests only: archives served by a loopback HTTP server (a real release wants https). */
  allowLoopbackHttp?: boolean;
  /** The private key that signs checksums.txt (default RELEASE_SIGNING_KEY; none: unsigned). */
  signingKey?: string;
}

export interface ReleasedFile extends ReleasedArchive {
  plugin: string;
  path: string;
  binaryBytes: number;
  /** The archive is the compressed size: gzip -6 (or deflate -6) of the binary, plus a few KiB. */
  archiveBytes: number;
}

export interface ReleaseResult {
  version: string;
  layout: ReleaseLayout;
  files: ReleasedFile[];
  manifests: string[];
  /** The krew index, when manifests were written. */
  index: IndexUpdate | undefined;
  millis: number;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * dist/release/checksums.txt for every archive of `version` there, also those of plugins not
 * rebuilt in this run (sha256sum format).
 */
async function writeChecksums(dir: string, version: string): Promise<void> {
  const names = (await readdir(dir)).filter((f) => f.includes(`_${version}_`) && /\.(tar\.gz|zip)$/.test(f)).sort();
  const lines = await Promise.all(names.map(async (f) => `${await sha256File(join(dir, f))}  ${f}\n`));
  await writeFileAtomic(join(dir, 'checksums.txt'), lines.join(''));
}

const sha256File = async (path: string): Promise<string> => {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
};

/**
 * The time stamped on archived files: SOURCE_DATE_EPOCH, else the last commit to package.json
 * (where the version is), else now. Reproducible archives, rebuilt only when their content changes.
 */
async function archiveMtime(): Promise<number> {
  const fromEnv = Number(process.env['SOURCE_DATE_EPOCH']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  try {
    const { stdout } = await promisify(execFile)('git', ['log', '-1', '--format=%ct', '--', 'package.json'], { cwd: repoRoot });
    const t = Number(stdout.trim());
    if (Number.isInteger(t) && t > 0) return t;
  } catch {
    // not a git checkout
  }
  return Math.floor(Date.now() / 1000);
}

/** Releases one version; releases into the same root take turns (a lock in its .state/). */
export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const root = options.root ?? paths.dist;
  return withLock(join(root, '.state', 'release.lock'), () => releaseLocked(options));
}

async function releaseLocked(options: ReleaseOptions): Promise<ReleaseResult> {
  const started = Date.now();
  const version = options.version ?? releaseVersion();
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version)) throw new Error(`version "${version}" is not semver (MAJOR.MINOR.PATCH)`);
  const layout = releaseLayout(version, options.root);
  // The download URL is checked before anything is built: a real release is served over https.
  const baseUrl = (options.baseUrl ?? releaseBaseUrl(version)).replace(/\/+$/, '');
  const urlProblem = downloadUrlProblem(`${baseUrl}/x`, options.allowLoopbackHttp);
  if (urlProblem !== undefined) throw new Error(`download URL ${baseUrl} (RELEASE_BASE_URL): ${urlProblem}`);
  const bunVersion = pinnedBunVersion();
  const { plugins, targets } = options;
  const force = options.force ?? false;
  log(`release v${version}: ${plugins.join(', ')} for ${targets.map(targetName).join(', ')} (Bun ${bunVersion})`);

  // package.json's version: the host build (dist/bin, shared with `npm run build`: take turns
  // with it) is the host target's executable. Another version: bundled apart with it embedded,
  // and the host target is built like the others.
  const host = hostTarget();
  let bundles: readonly BundleResult[];
  let reuseHostBuild = false;
  if (version === releaseVersion()) {
    bundles = (await withLock(paths.lock, () => buildHost(plugins, { force }))).bundles;
    reuseHostBuild = true;
  } else {
    const bundled = await bundlePlugins(plugins, { outdir: layout.bundle, stateDir: layout.state, version, force });
    bundles = bundled.results;
    log(`bundle ${plugins.length} plugins as v${version}${bundled.skipped ? ' (up to date)' : ` in ${seconds(bundled.millis)}`}`);
  }
  if (host === undefined) throw new Error(`no release target for this host (${process.platform}/${process.arch}): Bun compiles on one of ${targetName(targets[0]!)}, …`);
  const builder = await fetchRuntimeBinary(bunRuntime, host, bunVersion, log);
  const runtimes = new Map(
    await Promise.all(targets.map(async (t) => [targetName(t), await hardenedRuntime(await fetchRuntimeBinary(bunRuntime, t, bunVersion, log), t)] as const)),
  );

  // Every executable into <stage>/<target>/.
  const jobs = targets.flatMap((target) => plugins.map((plugin) => ({ target, plugin })));
  const staged = await mapLimit(jobs, compileConcurrency(), async ({ target, plugin }) => {
    const output = join(layout.stage, targetName(target), binaryName(plugin, target));
    await mkdir(join(layout.stage, targetName(target)), { recursive: true });
    if (target === host && reuseHostBuild) {
      // The host build, copied with its mtime so the archive's stamp sees it unchanged.
      const source = join(paths.bin, binaryName(plugin, target));
      const [from, to] = await Promise.all([stat(source), stat(output).catch(() => undefined)]);
      // (utimes keeps about a microsecond: compare within a millisecond)
      if (to?.size !== from.size || Math.abs(to.mtimeMs - from.mtimeMs) >= 1) {
        await copyFile(source, `${output}.tmp`);
        await utimes(`${output}.tmp`, from.atimeMs / 1000, from.mtimeMs / 1000);
        await rename(`${output}.tmp`, output);
      }
      return { target, plugin, output };
    }
    const bundle = bundles.find((b) => b.plugin === plugin)!;
    const r = await makeExecutable({
      plugin,
      target,
      bundle,
      builder,
      runtime: runtimes.get(targetName(target))!,
      output,
      force,
      stateDir: layout.state,
    });
    log(`exe    ${targetName(target)}/${binaryName(plugin, target)}: ${r.skipped ? 'up to date' : `${r.how} in ${seconds(r.millis)}`}`);
    return { target, plugin, output };
  });

  // Archives, checksums and sizes.
  await mkdir(layout.release, { recursive: true });
  const mtime = await archiveMtime();
  const license = await readFile(paths.license);
  const files = await mapLimit(staged, compileConcurrency(), async ({ target, plugin, output }) => {
    const fileName = archiveName(plugin, version, target);
    const path = join(layout.release, fileName);
    const shim = shimScript(plugin, target);
    const binaryStat = await stat(output);
    const key = JSON.stringify({ recipe: 1, binary: [binaryStat.size, binaryStat.mtimeMs], license: sha256(license), shim, mtime });
    const stampPath = join(layout.state, `archive-${fileName}.json`);
    const last = existsSync(stampPath) && existsSync(path) ? (JSON.parse(await readFile(stampPath, 'utf8')) as { key: string; sha256: string }) : undefined;
    let digest: string;
    const reused = !force && last?.key === key;
    if (reused && last !== undefined) {
      digest = last.sha256;
    } else {
      const entries: ArchiveEntry[] = [
        { name: binaryName(plugin, target), mode: 0o755, source: output },
        { name: 'LICENSE', mode: 0o644, source: license },
        { name: shimName(plugin, target), mode: 0o755, source: Buffer.from(shim) },
      ];
      const tmp = `${path}.tmp-${process.pid}`;
      await (target.archive === 'zip' ? writeZip(tmp, entries, mtime) : writeTarGz(tmp, entries, mtime));
      await rename(tmp, path);
      digest = await sha256File(path);
      await writeFileAtomic(stampPath, JSON.stringify({ key, sha256: digest }));
    }
    const archiveBytes = (await stat(path)).size;
    log(`archive ${fileName}: ${formatBytes(archiveBytes)}${reused ? ' (up to date)' : ''}`);
    return {
      plugin,
      target,
      fileName,
      path,
      sha256: digest,
      binaryBytes: binaryStat.size,
      archiveBytes,
    } satisfies ReleasedFile;
  });
  await writeChecksums(layout.release, version);
  const signingKey = options.signingKey ?? process.env['RELEASE_SIGNING_KEY'];
  if (signingKey !== undefined && signingKey !== '') {
    await signChecksums(join(layout.release, 'checksums.txt'), signingKey);
    log('sign   checksums.txt.sig (ssh-keygen -Y sign)');
  } else {
    await rm(join(layout.release, 'checksums.txt.sig'), { force: true });
    log('sign   skipped: RELEASE_SIGNING_KEY is not set, checksums.txt is unsigned');
  }

  // Krew manifests (and the index) need every target's archive, unless asked for a partial one.
  const manifests: string[] = [];
  let index: IndexUpdate | undefined;
  const all = allTargets.every((t) => targets.includes(t));
  if (all || options.partial === true) {
    await mkdir(layout.krew, { recursive: true });
    const rendered: { plugin: string; text: string }[] = [];
    for (const plugin of plugins) {
      const templatePath = join(paths.krewTemplates, `${plugin}.yaml`);
      if (!existsSync(templatePath)) throw new Error(`no krew template ${templatePath}`);
      const text = renderManifest(await readFile(templatePath, 'utf8'), {
        version,
        baseUrl,
        archives: files.filter((f) => f.plugin === plugin),
        builtOnly: !all,
      });
      const problems = checkManifest(plugin, text, { rendered: true, targets, allowLoopbackHttp: options.allowLoopbackHttp ?? false });
      if (problems.length > 0) throw new Error(`krew manifest for ${plugin}:\n  ${problems.join('\n  ')}`);
      const out = join(layout.krew, `${plugin}.yaml`);
      await writeFileAtomic(out, text);
      manifests.push(out);
      rendered.push({ plugin, text });
    }
    log(`krew   ${manifests.map((m) => relative(layout.root, m)).join(', ')} (base URL ${baseUrl}${all ? '' : `; only ${targets.map(targetName).join(', ')}`})`);
    index = await writeIndex(layout.index, rendered, version);
    const where = relative(layout.root, layout.index);
    log(
      `index  ${where}: ${index.committed ? `commit ${index.head.slice(0, 12)} "${plugins.join(', ')} v${version}"` : `unchanged at ${index.head.slice(0, 12)}`}` +
        ` (publish: push its main branch to ${defaultIndexUrl})`,
    );
  } else {
    log('krew   skipped: manifests and the index need all five targets (or --partial)');
  }

  return { version, layout, files, manifests, index, millis: Date.now() - started };
}

export function sizeTable(files: readonly ReleasedFile[]): string {
  const rows = [['archive', 'binary', 'compressed (archive)']];
  for (const f of files) rows.push([f.fileName, formatBytes(f.binaryBytes), formatBytes(f.archiveBytes)]);
  return table(rows);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      targets: { type: 'string' },
      force: { type: 'boolean' },
      'release-version': { type: 'string' },
      partial: { type: 'boolean' },
    },
  });
  const plugins = selectPlugins(positionals);
  if (plugins.length === 0) {
    log('release: no plugins/<name>/main.ts yet, nothing to release');
    return;
  }
  const targets = values.targets === undefined ? allTargets : values.targets.split(',').map(findTarget);
  const version = values['release-version'];
  const r = await release({
    plugins,
    targets,
    force: values.force ?? false,
    partial: values.partial ?? false,
    ...(version === undefined ? {} : { version: version.replace(/^v/, '') }),
  });
  log(`\n${sizeTable(r.files)}\n`);
  log(`release: ${r.files.length} archives in ${relative(repoRoot, r.layout.release)} in ${seconds(r.millis)}`);
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`release failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
