/**
 * The cluster's processes: spawned detached (they outlive the `up` that started them), with output
 * appended to a log file and a pid file recording who they are. A pid file is only trusted while
 * its process is alive AND still the same process (same start time in /proc), so a recycled pid
 * is never signalled.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClusterError } from './errors.ts';

export interface PidRecord {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/PID/stat field 22); '' where /proc is missing. */
  startTime: string;
  command: string;
}

export type PidFileState =
  | { state: 'absent' }
  | { state: 'running'; record: PidRecord }
  | { state: 'stale'; record: PidRecord | undefined; reason: string };

/** True if `pid` names a live process (a zombie counts as dead). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return stat === undefined || stat.state !== 'Z';
}

/** Reads a pid file and says whether its process still runs; never removes anything. */
export function readPidFile(file: string): PidFileState {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw error;
  }
  let record: PidRecord;
  try {
    record = parseRecord(JSON.parse(text));
  } catch {
    return { state: 'stale', record: undefined, reason: 'unreadable pid file' };
  }
  if (!isAlive(record.pid)) return { state: 'stale', record, reason: `pid ${record.pid} is not running` };
  const stat = procStat(record.pid);
  if (record.startTime !== '' && stat !== undefined && stat.startTime !== record.startTime) {
    return { state: 'stale', record, reason: `pid ${record.pid} now belongs to another process` };
  }
  return { state: 'running', record };
}

export interface SpawnOptions {
  command: string;
  args: string[];
  logFile: string;
  pidFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts a process in its own session, appends its stdout+stderr to `logFile`, writes `pidFile`. */
export async function spawnDetached(options: SpawnOptions): Promise<PidRecord> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  fs.mkdirSync(path.dirname(options.pidFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid as number));
    }).catch((error: unknown) => {
      throw new ClusterError(`cannot start ${options.command}: ${(error as Error).message}`, { cause: error });
    });
    child.unref();
    const record: PidRecord = { pid, startTime: procStat(pid)?.startTime ?? '', command: options.command };
    fs.writeFileSync(options.pidFile, `${JSON.stringify(record)}\n`);
    return record;
  } finally {
    fs.closeSync(log);
  }
}

export type StopResult = 'terminated' | 'killed' | 'not-running';

/**
 * Stops the process of a pid record: SIGTERM (plus SIGCONT, in case a fault test froze it), then
 * SIGKILL after `graceMs`. Does nothing if the pid no longer belongs to that process.
 */
export async function stopProcess(record: PidRecord, graceMs = 5_000): Promise<StopResult> {
  if (!sameProcess(record)) return 'not-running';
  signal(record.pid, 'SIGTERM');
  signal(record.pid, 'SIGCONT');
  if (await waitForExit(record.pid, graceMs)) return 'terminated';
  signal(record.pid, 'SIGKILL');
  await waitForExit(record.pid, 3_000);
  return 'killed';
}

/** Sends a signal to a recorded process if it is still that process. */
export function signalProcess(record: PidRecord, name: NodeJS.Signals): boolean {
  if (!sameProcess(record)) return false;
  signal(record.pid, name);
  return true;
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

function sameProcess(record: PidRecord): boolean {
  if (!isAlive(record.pid)) return false;
  if (record.startTime === '') return true;
  return procStat(record.pid)?.startTime === record.startTime;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function procStat(pid: number): { state: string; startTime: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ..."; comm may contain spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); start time is field 22.
  return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
}

function parseRecord(value: unknown): PidRecord {
  const v = value as Partial<PidRecord>;
  if (typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0) throw new Error('bad pid');
  return { pid: v.pid, startTime: typeof v.startTime === 'string' ? v.startTime : '', command: typeof v.command === 'string' ? v.command : '' };
}
