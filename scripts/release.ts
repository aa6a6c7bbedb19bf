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
import { copyFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
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

const sha256File = async (path: string): Promise<string> => {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
};

/** Commit time of HEAD (reproducible archive timestamps), else SOURCE_DATE_EPOCH, else now. */
async function archiveMtime(): Promise<number> {
  const fromEnv = Number(process.env['SOURCE_DATE_EPOCH']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  try {
    const { stdout } = await promisify(execFile)('git', ['log', '-1', '--format=%ct'], { cwd: repoRoot });
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
      await copyFile(join(paths.bin, binaryName(plugin, target)), `${output}.tmp`);
      await rename(`${output}.tmp`, output);
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
    const entries: ArchiveEntry[] = [
      { name: binaryName(plugin, target), mode: 0o755, source: output },
      { name: 'LICENSE', mode: 0o644, source: license },
      { name: shimName(plugin, target), mode: 0o755, source: Buffer.from(shimScript(plugin, target)) },
    ];
    const tmp = `${path}.tmp-${process.pid}`;
    await (target.archive === 'zip' ? writeZip(tmp, entries, mtime) : writeTarGz(tmp, entries, mtime));
    await rename(tmp, path);
    const [sha256, archiveStat, binaryStat] = await Promise.all([sha256File(path), stat(path), stat(output)]);
    log(`archive ${fileName}: ${formatBytes(archiveStat.size)}`);
    return {
      plugin,
      target,
      fileName,
      path,
      sha256,
      binaryBytes: binaryStat.size,
      archiveBytes: archiveStat.size,
    } satisfies ReleasedFile;
  });
  const checksums = files.map((f) => `${f.sha256}  ${f.fileName}\n`).join('');
  await writeFileAtomic(join(paths.release, 'checksums.txt'), checksums);

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
