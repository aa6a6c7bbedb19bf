/**
 * `npm run release`: single executables for five targets, their archives and krew manifests.
 *
 *   dist/stage/<os>_<arch>/kubectl-<name>[.exe]            the executables
 *   dist/release/kubectl-<name>_<version>_<os>_<arch>.tar.gz (.zip for Windows):
 *       the binary, LICENSE and the completion shim
 *   dist/release/checksums.txt                             sha256sum format
 *   dist/krew/<name>.yaml                                  krew/<name>.yaml filled in
 *
 * Official Node binaries come from npm (see sea/node-binaries.ts). The host target reuses the
 * host build (with V8 code cache); the others are built without it. macOS binaries are ad-hoc
 * signed and their signatures checked. RELEASE_BASE_URL sets the download URL in the manifests.
 *
 * Usage: node scripts/release.ts [NAME ...] [--targets linux_amd64,...] [--force]
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs, promisify } from 'node:util';
import { buildHost, selectPlugins } from './build.ts';
import { writeTarGz, writeZip, type ArchiveEntry } from './sea/archive.ts';
import { shimScript } from './sea/completion-shim.ts';
import { makeExecutable } from './sea/executable.ts';
import { checkManifest, releaseBaseUrl, renderManifest, type ReleasedArchive } from './sea/krew-manifest.ts';
import { fetchNodeBinary } from './sea/node-binaries.ts';
import { formatBytes, log, mapLimit, seaConcurrency, seconds, table, withLock, writeFileAtomic } from './sea/tasks.ts';
import {
  archiveName,
  binaryName,
  findTarget,
  paths,
  pinnedNodeVersion,
  releaseVersion,
  repoRoot,
  shimName,
  targetName,
  targets as allTargets,
  type Target,
} from './sea/targets.ts';

export interface ReleaseOptions {
  plugins: readonly string[];
  targets: readonly Target[];
  force?: boolean;
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
  files: ReleasedFile[];
  manifests: string[];
  millis: number;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * dist/release/checksums.txt for every archive of `version` there, also those of plugins not
 * rebuilt in this run (sha256sum format).
 */
async function writeChecksums(version: string): Promise<void> {
  const names = (await readdir(paths.release)).filter((f) => f.includes(`_${version}_`) && /\.(tar\.gz|zip)$/.test(f)).sort();
  const lines = await Promise.all(names.map(async (f) => `${await sha256File(join(paths.release, f))}  ${f}\n`));
  await writeFileAtomic(join(paths.release, 'checksums.txt'), lines.join(''));
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

export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const started = Date.now();
  const version = releaseVersion();
  const nodeVersion = pinnedNodeVersion();
  const { plugins, targets } = options;
  log(`release v${version}: ${plugins.join(', ')} for ${targets.map(targetName).join(', ')} (Node ${nodeVersion})`);

  // dist/bin is shared with `npm run build`: take turns with it.
  const host = await withLock(paths.lock, () => buildHost(plugins, { force: options.force ?? false }));
  const crossTargets = targets.filter((t) => t !== host.target);
  const nodeBinaries = new Map(
    await Promise.all(
      crossTargets.map(async (t) => [targetName(t), await fetchNodeBinary(t, nodeVersion, log)] as const),
    ),
  );

  // Every executable into dist/stage/<target>/.
  const jobs = targets.flatMap((target) => plugins.map((plugin) => ({ target, plugin })));
  const staged = await mapLimit(jobs, seaConcurrency(), async ({ target, plugin }) => {
    const output = join(paths.stage, targetName(target), binaryName(plugin, target));
    await mkdir(join(paths.stage, targetName(target)), { recursive: true });
    if (target === host.target) {
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
    const bundle = host.bundles.find((b) => b.plugin === plugin)!;
    const r = await makeExecutable({
      plugin,
      target,
      bundle,
      nodeBinary: nodeBinaries.get(targetName(target))!,
      nodeVersion,
      output,
      useCodeCache: false,
      force: options.force ?? false,
    });
    log(`sea    ${targetName(target)}/${binaryName(plugin, target)}: ${r.skipped ? 'up to date' : `${r.how} in ${seconds(r.millis)}`}`);
    return { target, plugin, output };
  });

  // Archives, checksums and sizes.
  await mkdir(paths.release, { recursive: true });
  const mtime = await archiveMtime();
  const license = await readFile(paths.license);
  const files = await mapLimit(staged, seaConcurrency(), async ({ target, plugin, output }) => {
    const fileName = archiveName(plugin, version, target);
    const path = join(paths.release, fileName);
    const shim = shimScript(plugin, target);
    const binaryStat = await stat(output);
    const key = JSON.stringify({ recipe: 1, binary: [binaryStat.size, binaryStat.mtimeMs], license: sha256(license), shim, mtime });
    const stampPath = join(paths.state, `archive-${fileName}.json`);
    const last = existsSync(stampPath) && existsSync(path) ? (JSON.parse(await readFile(stampPath, 'utf8')) as { key: string; sha256: string }) : undefined;
    let digest: string;
    const reused = options.force !== true && last?.key === key;
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
  await writeChecksums(version);

  // Krew manifests need every target's archive.
  const manifests: string[] = [];
  if (targets.length === allTargets.length) {
    await mkdir(paths.krewOut, { recursive: true });
    const baseUrl = releaseBaseUrl(version);
    for (const plugin of plugins) {
      const templatePath = join(paths.krewTemplates, `${plugin}.yaml`);
      if (!existsSync(templatePath)) throw new Error(`no krew template ${templatePath}`);
      const text = renderManifest(await readFile(templatePath, 'utf8'), {
        version,
        baseUrl,
        archives: files.filter((f) => f.plugin === plugin),
      });
      const problems = checkManifest(plugin, text, { rendered: true });
      if (problems.length > 0) throw new Error(`krew manifest for ${plugin}:\n  ${problems.join('\n  ')}`);
      const out = join(paths.krewOut, `${plugin}.yaml`);
      await writeFileAtomic(out, text);
      manifests.push(out);
    }
    log(`krew   ${manifests.map((m) => m.slice(paths.dist.length + 1)).join(', ')} (base URL ${baseUrl})`);
  } else {
    log('krew   skipped: manifests need all five targets');
  }

  return { version, files, manifests, millis: Date.now() - started };
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
    options: { targets: { type: 'string' }, force: { type: 'boolean' } },
  });
  const plugins = selectPlugins(positionals);
  if (plugins.length === 0) {
    log('release: no plugins/<name>/main.ts yet, nothing to release');
    return;
  }
  const targets = values.targets === undefined ? allTargets : values.targets.split(',').map(findTarget);
  await withLock(paths.releaseLock, async () => {
    const r = await release({ plugins, targets, force: values.force ?? false });
    log(`\n${sizeTable(r.files)}\n`);
    log(`release: ${r.files.length} archives in dist/release in ${seconds(r.millis)}`);
  });
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`release failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
