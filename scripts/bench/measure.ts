/**
 * Runs one command as a child process and measures it: wall time (spawn to exit, from this
 * process's clock) and peak resident set size.
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -v`, "Maximum resident set size"), which reads
 * the child's rusage when it is reaped, so nothing is missed. Without it we poll
 * `/proc/<pid>/status` (VmHWM, the kernel's own high-water mark) every millisecond or two and
 * keep the last value read; a peak reached in the child's last moments may then be missed, so
 * those figures are a lower bound. CPU time (user + system) comes from the same places: GNU
 * time's report, or the last /proc/<pid>/stat read.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const gnuTime = '/usr/bin/time';

export type RssMethod = 'gnu-time' | 'proc-poll';

export interface Command {
  /** Executable path (not looked up on PATH by us; spawn does). */
  file: string;
  args: string[];
  /** The whole environment of the child. */
  env: NodeJS.ProcessEnv;
}

export interface Sample {
  wallMs: number;
  /** kB; null when it could not be read. */
  peakRssKb: number | null;
  /**
   * User + system CPU time (ms): what the run cost, whatever else the machine was doing
   * (10 ms resolution). null when it could not be read.
   */
  cpuMs: number | null;
  exitCode: number;
}

export interface CapturedRun extends Sample {
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  rss: RssMethod;
  /** A directory for GNU time's report file. */
  scratchDir: string;
  /** Kill the child after this long (default 300 s). */
  timeoutMs?: number;
  /** The exit code a run must end with (default 0; `lsres --context a,b,down` exits 5). */
  expectExit?: number;
}

/** GNU time when installed, else polling /proc. */
export function defaultRssMethod(): RssMethod {
  return existsSync(gnuTime) ? 'gnu-time' : 'proc-poll';
}

/** Runs `command` with stdout discarded; stderr is kept for the error message. */
export async function measure(command: Command, options: MeasureOptions): Promise<Sample> {
  const { stdout: _stdout, stderr, ...sample } = await run(command, options, false);
  if (sample.exitCode !== (options.expectExit ?? 0)) {
    throw new Error(`${[command.file, ...command.args].join(' ')} exited ${sample.exitCode}: ${stderr.trim().slice(0, 2000)}`);
  }
  return sample;
}

/** Runs `command` keeping its stdout and stderr (for checking what it printed; not timed). */
export function capture(command: Command, options: MeasureOptions): Promise<CapturedRun> {
  return run(command, options, true);
}

async function run(command: Command, options: MeasureOptions, keepStdout: boolean): Promise<CapturedRun> {
  const report = join(options.scratchDir, `time-${process.pid}.txt`);
  const viaTime = options.rss === 'gnu-time';
  const [file, args] = viaTime ? [gnuTime, ['-v', '-o', report, command.file, ...command.args]] : [command.file, command.args];
  const started = performance.now();
  const child = spawn(file, args, { env: command.env, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  let polled: number | null = null;
  let polledCpu: number | null = null;
  const poll = viaTime
    ? undefined
    : setInterval(() => {
        const hwm = readVmHwm(child.pid);
        if (hwm !== null) polled = hwm;
        const cpu = readCpuMs(child.pid);
        if (cpu !== null) polledCpu = cpu;
      }, 1);
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  }).finally(() => {
    clearTimeout(timeout);
    if (poll) clearInterval(poll);
  });
  const wallMs = performance.now() - started;

  let peakRssKb: number | null = polled;
  let cpuMs: number | null = polledCpu;
  let code = exitCode;
  if (viaTime) {
    const text = await readFile(report, 'utf8').catch(() => '');
    await rm(report, { force: true });
    peakRssKb = numberAfter(text, 'Maximum resident set size (kbytes):');
    const user = secondsAfter(text, 'User time (seconds):');
    const system = secondsAfter(text, 'System time (seconds):');
    cpuMs = user === null || system === null ? null : Math.round((user + system) * 1000);
    // time exits with the child's status; its report says so too (and names a signal).
    code = numberAfter(text, 'Exit status:') ?? exitCode;
    // GNU time writes "Command exited with non-zero status N" etc. into the report, not stderr.
  }
  return { wallMs, peakRssKb, cpuMs, exitCode: code, stdout, stderr };
}

export function readVmHwm(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** utime + stime of a live process from /proc/<pid>/stat (clock ticks, 100 per second on Linux). */
export function readCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function secondsAfter(text: string, label: string): number | null {
  const at = text.indexOf(label);
  if (at < 0) return null;
  const value = Number.parseFloat(text.slice(at + label.length).trim());
  return Number.isFinite(value) ? value : null;
}

function numberAfter(text: string, label: string): number | null {
  const at = text.indexOf(label);
  if (at < 0) return null;
  const value = Number.parseInt(text.slice(at + label.length).trim(), 10);
  return Number.isFinite(value) ? value : null;
}
