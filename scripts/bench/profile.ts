/**
 * Where a plugin spends its time: runs it under `--cpu-prof` and sums the profile's self time per
 * function and per source file.
 *
 *   node scripts/bench/profile.ts [--bundle|--source] [--top N] PLUGIN [ARGS...]
 *   e.g. KUBECONFIG=... node scripts/bench/profile.ts lsres cm -A
 *
 * It profiles the plugin's bundle under the pinned Node (V8's profiler: the executables run on
 * Bun, whose environment hooks are closed, so they take no profiling flags): esbuild bundles the
 * working tree with the build's own options (scripts/sea/bundle.ts) plus `sourcemap`, and frames
 * are traced back to source files through its map. Function names survive minification
 * (keepNames). Start-up on V8 is not the executables' (JavaScriptCore with bytecode); the work of
 * a call at scale is comparable. `--source` runs plugins/<name>/main.ts with type stripping
 * (start-up is then module loading, not representative).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { esbuildOptions } from '../sea/bundle.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

export interface ProfileEntry {
  name: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  command: string;
  /** Wall time of the profiled process (profiling slows it a little). */
  wallMs: number;
  /** Time covered by the profile (from V8 start to exit). */
  profiledMs: number;
  /** Highest self time first. */
  functions: ProfileEntry[];
  files: ProfileEntry[];
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileOptions {
  plugin: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** What runs: the fresh bundle (default), or the TypeScript source. */
  mode?: ProfileMode;
  top?: number;
  /** Keep the bundle here and reuse it for the next profile of the same plugin (default: a temporary directory per run). */
  bundleDir?: string;
}

export type ProfileMode = 'bundle' | 'source';

/** Maps a position (0-based line and column) in the bundle to the source file it came from. */
type PositionMap = (line: number, column: number) => string | undefined;

export async function profilePlugin(options: ProfileOptions): Promise<ProfileSummary> {
  const mode = options.mode ?? 'bundle';
  const dir = await mkdtemp(join(tmpdir(), 'bench-profile-'));
  try {
    const profDir = join(dir, 'prof');
    const profFlags = ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=200'];
    const file = process.execPath;
    const env: NodeJS.ProcessEnv = { ...options.env, NODE_OPTIONS: '' };
    let script = join(repoRoot, 'plugins', options.plugin, 'main.ts');
    let positionMap: PositionMap | undefined;
    if (mode === 'bundle') ({ script, positionMap } = await mappedBundle(options.plugin, options.bundleDir ?? dir));
    const args = [...profFlags, script, ...options.args];
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`profiled run exited ${code}: ${stderr.trim().slice(0, 1000)}`))));
    });
    const wallMs = performance.now() - started;
    const out = existsSync(profDir) ? (await readdir(profDir)).find((f) => f.endsWith('.cpuprofile')) : undefined;
    if (!out) throw new Error('the profiled run wrote no .cpuprofile');
    const profile = JSON.parse(await readFile(join(profDir, out), 'utf8')) as CpuProfile;
    const what = `node --cpu-prof ${mode === 'source' ? relative(repoRoot, script) : `<bundle of plugins/${options.plugin}/main.ts>`}`;
    return { command: `${what} ${options.args.join(' ')}`, wallMs, ...summarizeProfile(profile, options.top ?? 15, script, positionMap) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const bundles = new Map<string, Promise<{ script: string; positionMap: PositionMap }>>();

function mappedBundle(plugin: string, dir: string): Promise<{ script: string; positionMap: PositionMap }> {
  const key = join(dir, plugin);
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = buildMappedBundle(plugin, dir);
    bundles.set(key, bundle);
  }
  return bundle;
}

async function buildMappedBundle(plugin: string, dir: string): Promise<{ script: string; positionMap: PositionMap }> {
  await esbuild.build({ ...esbuildOptions([plugin], dir), metafile: false, write: true, sourcemap: 'external', sourcesContent: false });
  const script = join(dir, `kubectl-${plugin}.cjs`);
  const map = JSON.parse(await readFile(`${script}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const sources = map.sources.map((s) => relative(repoRoot, resolve(dir, s)));
  return { script, positionMap: sourceLookup(map.mappings, sources) };
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The source file of a generated (line, column), both 0-based, from a source map's `mappings`
 * (base64 VLQ: per generated line, segments of generated column, source index, …, each relative
 * to the one before). Only the source index is kept.
 */
export function sourceLookup(mappings: string, sources: string[]): PositionMap {
  const lines: Array<{ cols: number[]; srcs: number[] }> = [];
  let src = 0;
  for (const lineText of mappings.split(';')) {
    const cols: number[] = [];
    const srcs: number[] = [];
    let col = 0;
    for (const segment of lineText.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      col += fields[0] ?? 0;
      if (fields.length >= 4) {
        src += fields[1]!;
        cols.push(col);
        srcs.push(src);
      }
    }
    lines.push({ cols, srcs });
  }
  return (line, column) => {
    const l = lines[line];
    if (!l) return undefined;
    let lo = 0;
    let hi = l.cols.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (l.cols[mid]! <= column) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found >= 0) return sources[l.srcs[found]!];
    // Before the line's first mapping: the code continues from the last mapped line above.
    for (let up = line - 1; up >= 0; up--) {
      const above = lines[up]!;
      if (above.srcs.length > 0) return sources[above.srcs[above.srcs.length - 1]!];
    }
    return undefined;
  };
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = base64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

export function summarizeProfile(profile: CpuProfile, top: number, script?: string, positionMap?: PositionMap): Pick<ProfileSummary, 'profiledMs' | 'functions' | 'files'> {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const scriptUrl = script ? pathToFileURL(script).href : undefined;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const inBundle = positionMap !== undefined && (url === scriptUrl || url === script);
    const file = (inBundle ? positionMap(lineNumber, columnNumber) : undefined) ?? fileLabel(url);
    // Bundle positions mean nothing to a reader: name the source file only.
    const fn = url === '' ? functionName || '(anonymous)' : `${functionName || '(anonymous)'} ${file}${inBundle ? '' : `:${lineNumber + 1}`}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const group = url === '' ? functionName : packageOf(file);
    byFile.set(group, (byFile.get(group) ?? 0) + us);
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: (100 * us) / total }));
  return { profiledMs: total / 1000, functions: ranked(byFunction), files: ranked(byFile) };
}

/** node_modules files are grouped by package; our files stay themselves. */
function packageOf(file: string): string {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return m ? `node_modules/${m[1]}` : file;
}

function fileLabel(url: string): string {
  if (url === '') return '';
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  if (path.startsWith(repoRoot)) return relative(repoRoot, path);
  return path.startsWith('node:') ? path : path.replace(/^.*\/node_modules\//, 'node_modules/');
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [`${summary.command}: wall ${summary.wallMs.toFixed(0)} ms, profiled ${summary.profiledMs.toFixed(0)} ms`, '  self time by file:'];
  for (const e of summary.files) lines.push(`    ${e.selfMs.toFixed(1).padStart(8)} ms ${e.percent.toFixed(1).padStart(5)}%  ${e.name}`);
  lines.push('  self time by function:');
  for (const e of summary.functions) lines.push(`    ${e.selfMs.toFixed(1).padStart(8)} ms ${e.percent.toFixed(1).padStart(5)}%  ${e.name}`);
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  let mode: ProfileMode | undefined;
  let top = 15;
  for (;;) {
    if (argv[0] === '--source' || argv[0] === '--bundle') {
      mode = argv.shift()!.slice(2) as ProfileMode;
    } else if (argv[0] === '--top') {
      top = Number(argv[1]);
      argv.splice(0, 2);
    } else break;
  }
  const [plugin, ...args] = argv;
  if (!plugin) {
    process.stderr.write('usage: node scripts/bench/profile.ts [--bundle|--source] [--top N] PLUGIN [ARGS...]\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(formatProfile(await profilePlugin({ plugin, args, env: process.env, top, ...(mode ? { mode } : {}) })));
  }
}
