/**
 * Start-up time of the built executables beside kubectl's: the median wall time of N runs of
 * `dist/bin/kubectl-<name> --version` and of `kubectl version --client` (files in the page
 * cache: "cold" means a new process, not a cold disk). The pinned `bun -e 0` is the floor.
 *
 * Usage: node scripts/sea/measure-startup.ts [--runs N] [NAME ...]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runtimeBinaryPath } from './runtime-binaries.ts';
import { bunRuntime } from './runtime-integrity.ts';
import { table } from './tasks.ts';
import { binaryName, discoverPlugins, hostTarget, paths, pinnedBunVersion } from './targets.ts';

export interface StartupSample {
  label: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Mean user + system CPU time per run (Linux only; undefined elsewhere). */
  cpuMs: number | undefined;
}

/** CPU time (ms) used by this process's waited-for children so far, from /proc/self/stat. */
function childrenCpuMs(): number | undefined {
  try {
    // Fields after the ")" that ends the command name; cutime and cstime are fields 16 and 17.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

export function measure(label: string, command: string, args: readonly string[], runs: number): StartupSample {
  const times: number[] = [];
  spawnSync(command, args, { stdio: 'ignore' }); // one warm-up: page cache, not the measured run
  const cpuBefore = childrenCpuMs();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(command, args, { stdio: 'ignore' });
    times.push(performance.now() - started);
    if (r.status !== 0) throw new Error(`${label} failed: ${r.error?.message ?? `exit ${r.status ?? r.signal}`}`);
  }
  const cpuAfter = childrenCpuMs();
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / runs;
  times.sort((a, b) => a - b);
  const mid = Math.floor(runs / 2);
  const medianMs = runs % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { label, medianMs, minMs: times[0]!, maxMs: times[runs - 1]!, cpuMs };
}

/** kubectl from the project's cache, else from PATH. */
export function findKubectl(): string | undefined {
  const cached = join(process.env['HOME'] ?? '', '.cache', 'kubectl-plugins', 'bin', 'kubectl');
  if (existsSync(cached)) return cached;
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, 'kubectl'))) return join(dir, 'kubectl');
  }
  return undefined;
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { runs: { type: 'string' } } });
  const runs = Number(values.runs ?? '10');
  const plugins = positionals.length > 0 ? positionals : discoverPlugins();
  const samples: StartupSample[] = [];
  for (const p of plugins) {
    const bin = join(paths.bin, binaryName(p));
    if (!existsSync(bin)) throw new Error(`${bin} is missing: npm run build`);
    samples.push(measure(`${binaryName(p)} --version`, bin, ['--version'], runs));
  }
  const kubectl = findKubectl();
  if (kubectl !== undefined) samples.push(measure('kubectl version --client', kubectl, ['version', '--client'], runs));
  samples.push(measure('bun -e 0 (pinned Bun, the floor)', runtimeBinaryPath(bunRuntime, hostTarget()!, pinnedBunVersion()), ['-e', '0'], runs));
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  process.stdout.write(
    `${table([
        ['command', `wall, median of ${runs}`, 'min', 'max', 'CPU (user+sys, mean)'],
        ...samples.map((s) => [s.label, ms(s.medianMs), ms(s.minMs), ms(s.maxMs), s.cpuMs === undefined ? '-' : ms(s.cpuMs)]),
      ])}\n` +
      `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
  );
}

if (import.meta.main) main(process.argv.slice(2));
