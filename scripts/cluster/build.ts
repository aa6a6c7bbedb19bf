/**
 * Building the control plane binaries from the Go wrapper modules in `gomod/` into the cache's
 * `bin/`. Each module has a stamp (hash of go.mod, go.sum and the build flags): when it matches,
 * only missing binaries are built; when it differs (a pin changed), all of that module's binaries
 * are rebuilt. The flags are fixed so Go's build cache is shared by every build on the machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ClusterError, tail } from './errors.ts';
import { renderStages } from './kwok-stages.ts';
import { gomodDir, type ClusterPaths } from './paths.ts';

export const kubernetesVersion = 'v1.36.3';
const [major, minor] = kubernetesVersion.slice(1).split('.');

/** `go build` arguments before the output and package; identical for every binary. */
export const goBuildArgs = [
  'build',
  '-trimpath',
  '-tags',
  'grpcnotrace',
  '-ldflags',
  [
    '-s -w',
    `-X k8s.io/component-base/version.gitVersion=${kubernetesVersion}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
  ].join(' '),
];
const goEnv = { CGO_ENABLED: '0', GOWORK: 'off' };

export interface GoBinary {
  /** File name in bin/. */
  name: string;
  /** Go package to build (a main package). */
  pkg: string;
}

export interface GoModule {
  /** Directory name under gomod/. */
  name: string;
  binaries: GoBinary[];
}

export const modules: GoModule[] = [
  { name: 'etcd', binaries: [{ name: 'etcd', pkg: 'go.etcd.io/etcd/server/v3' }] },
  { name: 'kwok', binaries: [{ name: 'kwok', pkg: 'sigs.k8s.io/kwok/cmd/kwok' }] },
  {
    name: 'kubernetes',
    binaries: [
      { name: 'kube-apiserver', pkg: 'k8s.io/kubernetes/cmd/kube-apiserver' },
      { name: 'kube-controller-manager', pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager' },
      { name: 'kube-scheduler', pkg: 'k8s.io/kubernetes/cmd/kube-scheduler' },
      { name: 'kubectl', pkg: 'k8s.io/kubernetes/cmd/kubectl' },
    ],
  },
];

export function binaryPath(paths: ClusterPaths, name: string): string {
  return path.join(paths.bin, name);
}

/** What a build would do now: per module, the binaries to (re)build and why. */
export function plan(paths: ClusterPaths): Array<{ module: GoModule; build: GoBinary[]; stamp: string; reason: string }> {
  return modules.map((module) => {
    const stamp = moduleStamp(module);
    const recorded = readText(stampFile(paths, module));
    if (recorded !== stamp) {
      const reason = recorded === undefined ? 'not built by this script yet' : 'pins or build flags changed';
      return { module, build: module.binaries, stamp, reason };
    }
    const missing = module.binaries.filter((b) => !fs.existsSync(binaryPath(paths, b.name)));
    const stagesMissing = module.name === 'kwok' && !fs.existsSync(paths.kwokStages);
    const build = stagesMissing && missing.length === 0 ? [] : missing;
    return { module, build, stamp, reason: stagesMissing ? 'kwok stages missing' : 'missing' };
  });
}

/** True if every binary and the kwok stages exist and match their pins. */
export function upToDate(paths: ClusterPaths): boolean {
  return fs.existsSync(paths.kwokStages) && plan(paths).every((p) => p.build.length === 0);
}

export interface BuildOptions {
  log: (line: string) => void;
  /** Rewrites one progress line in place (a terminal); otherwise progress is logged every 30 s. */
  tty?: boolean;
}

/** Builds whatever `plan` says is missing or outdated. Requires Go only if there is work. */
export async function buildAll(paths: ClusterPaths, options: BuildOptions): Promise<void> {
  const work = plan(paths);
  const needed = work.some((p) => p.build.length > 0) || !fs.existsSync(paths.kwokStages);
  if (!needed) return;
  const go = checkGo();
  options.log(`building the control plane (${kubernetesVersion}) with ${go} into ${paths.bin}`);
  fs.mkdirSync(paths.bin, { recursive: true });
  const started = Date.now();
  for (const { module, build, stamp, reason } of work) {
    if (build.length > 0) options.log(`${module.name}: ${reason}; building ${build.map((b) => b.name).join(', ')}`);
    for (const binary of build) await buildBinary(paths, module, binary, options);
    if (module.name === 'kwok' && (build.length > 0 || !fs.existsSync(paths.kwokStages))) writeKwokStages(paths);
    fs.writeFileSync(stampFile(paths, module), stamp);
  }
  options.log(`control plane built in ${formatDuration(Date.now() - started)}`);
}

/** Checks that Go 1.26+ is on PATH and returns its version string. */
export function checkGo(): string {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (result.error !== undefined) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ClusterError('go not found on PATH; install Go 1.26+ (https://go.dev/dl/) to build the local control plane');
    }
    throw new ClusterError(`cannot run go: ${result.error.message}`, { cause: result.error });
  }
  const version = result.stdout.trim();
  const match = /^go(\d+)\.(\d+)/.exec(version);
  if (result.status !== 0 || match === null) {
    throw new ClusterError('go env GOVERSION failed; is Go installed correctly?', { detail: tail(result.stderr, 10) });
  }
  if (Number(match[1]) === 1 && Number(match[2]) < 26) {
    throw new ClusterError(`${version} is too old; install Go 1.26+ (https://go.dev/dl/) to build the local control plane`);
  }
  return version;
}

async function buildBinary(paths: ClusterPaths, module: GoModule, binary: GoBinary, options: BuildOptions): Promise<void> {
  const target = binaryPath(paths, binary.name);
  const tmp = path.join(paths.bin, `.${binary.name}.${process.pid}.tmp`);
  const started = Date.now();
  const elapsed = (): string => formatDuration(Date.now() - started);
  options.log(`  building ${binary.name} (${binary.pkg})`);
  const ticker = setInterval(
    () => {
      if (options.tty === true) process.stderr.write(`\r  ${binary.name}: ${elapsed()} `);
      else options.log(`  ${binary.name}: still building, ${elapsed()}`);
    },
    options.tty === true ? 1_000 : 30_000,
  );
  try {
    const { code, stderr } = await run('go', [...goBuildArgs, '-o', tmp, binary.pkg], path.join(gomodDir, module.name));
    if (options.tty === true) process.stderr.write('\r');
    if (code !== 0) {
      throw new ClusterError(`go build of ${binary.name} failed (exit ${code}) after ${elapsed()}`, {
        detail: tail(stderr, 30),
        hint: `retry with \`npm run cluster -- build\`; to see everything run in ${path.join(gomodDir, module.name)}: go build ${binary.pkg}`,
      });
    }
    fs.renameSync(tmp, target);
    options.log(`  built ${binary.name} in ${elapsed()}`);
  } finally {
    clearInterval(ticker);
    fs.rmSync(tmp, { force: true });
  }
}

function writeKwokStages(paths: ClusterPaths): void {
  const result = spawnSync('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], {
    cwd: path.join(gomodDir, 'kwok'),
    encoding: 'utf8',
    env: { ...process.env, ...goEnv },
  });
  const dir = result.stdout?.trim() ?? '';
  if (result.status !== 0 || dir === '') {
    throw new ClusterError('cannot locate the kwok module to read its stages (go list -m sigs.k8s.io/kwok)', { detail: tail(result.stderr ?? '', 10) });
  }
  const tmp = `${paths.kwokStages}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, renderStages(dir));
  fs.renameSync(tmp, paths.kwokStages);
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...goEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const keep = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString()).slice(-64 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

function moduleStamp(module: GoModule): string {
  const hash = crypto.createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) hash.update(readText(path.join(gomodDir, module.name, file)) ?? '');
  hash.update(JSON.stringify({ goBuildArgs, goEnv, binaries: module.binaries }));
  return hash.digest('hex');
}

function stampFile(paths: ClusterPaths, module: GoModule): string {
  return path.join(paths.bin, `.stamp-${module.name}`);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
