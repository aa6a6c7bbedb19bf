/**
 * Work-queue throughput: add+get+done cycles per second for shared/workqueue and, for
 * comparison, for client-go's queue (the Go program in ./workqueue-go, built once and run).
 *
 *   node scripts/bench/workqueue.ts [--ops N] [--keys N] [--runs N] [--no-go]
 *
 * Prints one JSON object on stdout; progress goes to stderr. `runWorkqueueBench()` returns the
 * same figures to the bench runner.
 *
 * Loops, each over `ops` cycles on `keys` distinct keys, median of `runs` timed runs after warm-up:
 * - interleaved: add(k); get(); done(k), one key at a time (client-go's BenchmarkQueue);
 *   ours awaits the async `get()`, as a worker does; `tryGet` is the synchronous variant;
 * - batched: add every key, then get+done them all, so the queue holds `keys` items.
 *
 * The machine may be shared, so the two sides run in alternating rounds (one timed run of ours,
 * then one Go process: warm-up + one timed run) and the ratio is the median of the per-round
 * ratios: load that comes and goes hits both sides alike.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createQueue } from '../../shared/workqueue/queue.ts';

const execFileAsync = promisify(execFile);
const goDir = join(dirname(fileURLToPath(import.meta.url)), 'workqueue-go');

export interface WorkqueueBenchOptions {
  /** add+get+done cycles per run (default 1,000,000). */
  ops?: number;
  /** Distinct keys (default 1,000). */
  keys?: number;
  /** Timed rounds; medians are reported (default 5). */
  runs?: number;
  /** Untimed warm-up runs (default 2). */
  warmup?: number;
  /** Also build and run the client-go benchmark (default true; needs `go`). */
  go?: boolean;
}

export interface LoopFigures {
  /** Cycles per second of each timed run. */
  perSec: number[];
  medianPerSec: number;
}

export interface WorkqueueBenchResult {
  ops: number;
  keys: number;
  runs: number;
  node: string;
  ours: { interleaved: LoopFigures; interleavedTryGet: LoopFigures; batched: LoopFigures };
  /** null when the Go side was skipped or failed (the reason is in goError). */
  clientGo: { impl: string; goVersion: string; interleaved: LoopFigures; batched: LoopFigures } | null;
  goError?: string;
  /**
   * Headline: ours (async get, interleaved) per second, client-go per second (medians), and
   * ours ÷ client-go as the median of the per-round ratios.
   */
  oursPerSec: number;
  clientGoPerSec: number | null;
  ratio: number | null;
  /** The goal from issue 6: at least 1,000,000 cycles per second. */
  goalPerSec: number;
  meetsGoal: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

async function interleaved(keys: string[], ops: number): Promise<number> {
  const q = createQueue<string>();
  const start = performance.now();
  for (let i = 0; i < ops; i++) {
    q.add(keys[i % keys.length]!);
    const { item } = await q.get();
    q.done(item!);
  }
  const ms = performance.now() - start;
  q.shutDown();
  return ms;
}

async function interleavedTryGet(keys: string[], ops: number): Promise<number> {
  const q = createQueue<string>();
  const start = performance.now();
  for (let i = 0; i < ops; i++) {
    q.add(keys[i % keys.length]!);
    const { item } = q.tryGet()!;
    q.done(item!);
  }
  const ms = performance.now() - start;
  q.shutDown();
  return ms;
}

async function batched(keys: string[], ops: number): Promise<number> {
  const q = createQueue<string>();
  const start = performance.now();
  for (let done = 0; done < ops; ) {
    for (const k of keys) q.add(k);
    for (let j = 0; j < keys.length; j++) {
      const { item } = await q.get();
      q.done(item!);
      done++;
    }
  }
  const ms = performance.now() - start;
  q.shutDown();
  return ms;
}

async function timeOnce(loop: (keys: string[], ops: number) => Promise<number>, keys: string[], ops: number): Promise<number> {
  return ops / ((await loop(keys, ops)) / 1000);
}

function figures(perSec: number[]): LoopFigures {
  return { perSec, medianPerSec: median(perSec) };
}

interface GoOutput {
  impl: string;
  goVersion: string;
  cyclesPerSec: number[];
  medianPerSec: number;
  batchCyclesPerSec: number[];
  batchMedianPerSec: number;
}

async function buildGo(dir: string): Promise<string> {
  const bin = join(dir, 'workqueue-bench');
  process.stderr.write('workqueue bench: building the client-go benchmark…\n');
  await execFileAsync('go', ['build', '-o', bin, '.'], { cwd: goDir, maxBuffer: 16 << 20 });
  return bin;
}

async function runGoOnce(bin: string, ops: number, keys: number, warmup: number): Promise<GoOutput> {
  const args = ['-ops', String(ops), '-keys', String(keys), '-runs', '1', '-warmup', String(warmup)];
  const { stdout } = await execFileAsync(bin, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as GoOutput;
}

export async function runWorkqueueBench(options: WorkqueueBenchOptions = {}): Promise<WorkqueueBenchResult> {
  const ops = options.ops ?? 1_000_000;
  const nkeys = options.keys ?? 1_000;
  const runs = options.runs ?? 5;
  const warmup = options.warmup ?? 2;
  const keys = Array.from({ length: nkeys }, (_, i) => `default/key-${i}`);
  const loops = { interleaved, interleavedTryGet, batched };

  let goError: string | undefined;
  let bin: string | undefined;
  const tmp = await mkdtemp(join(tmpdir(), 'workqueue-bench-'));
  try {
    if (options.go ?? true) {
      try {
        bin = await buildGo(tmp);
      } catch (error) {
        goError = error instanceof Error ? error.message : String(error);
        process.stderr.write(`workqueue bench: cannot build the client-go side: ${goError}\n`);
      }
    }

    process.stderr.write(`workqueue bench: ${ops} cycles over ${nkeys} keys, ${runs} rounds…\n`);
    for (let i = 0; i < warmup; i++) for (const loop of Object.values(loops)) await loop(keys, ops);
    const ours = { interleaved: [] as number[], interleavedTryGet: [] as number[], batched: [] as number[] };
    const go = { interleaved: [] as number[], batched: [] as number[], impl: '', goVersion: '' };
    const ratios: number[] = [];
    for (let round = 0; round < runs; round++) {
      for (const [name, loop] of Object.entries(loops)) ours[name as keyof typeof ours].push(await timeOnce(loop, keys, ops));
      if (bin === undefined) continue;
      try {
        const out = await runGoOnce(bin, ops, nkeys, 1);
        go.interleaved.push(out.medianPerSec);
        go.batched.push(out.batchMedianPerSec);
        go.impl = out.impl;
        go.goVersion = out.goVersion;
        ratios.push(ours.interleaved.at(-1)! / out.medianPerSec);
      } catch (error) {
        goError = error instanceof Error ? error.message : String(error);
        process.stderr.write(`workqueue bench: client-go run failed: ${goError}\n`);
        bin = undefined;
      }
    }

    const clientGo: WorkqueueBenchResult['clientGo'] =
      go.interleaved.length === 0
        ? null
        : { impl: go.impl, goVersion: go.goVersion, interleaved: figures(go.interleaved), batched: figures(go.batched) };
    const oursFigures = {
      interleaved: figures(ours.interleaved),
      interleavedTryGet: figures(ours.interleavedTryGet),
      batched: figures(ours.batched),
    };
    const goalPerSec = 1_000_000;
    const oursPerSec = oursFigures.interleaved.medianPerSec;
    return {
      ops,
      keys: nkeys,
      runs,
      node: process.version,
      ours: oursFigures,
      clientGo,
      ...(goError === undefined ? {} : { goError }),
      oursPerSec,
      clientGoPerSec: clientGo?.interleaved.medianPerSec ?? null,
      ratio: ratios.length === 0 ? null : median(ratios),
      goalPerSec,
      meetsGoal: oursPerSec >= goalPerSec,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function flagValue(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`workqueue bench: ${name} needs a positive integer\n`);
    process.exit(2);
  }
  return n;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const result = await runWorkqueueBench({
    ops: flagValue(args, '--ops'),
    keys: flagValue(args, '--keys'),
    runs: flagValue(args, '--runs'),
    go: !args.includes('--no-go'),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
