/**
 * watchq around a hook against client-go around the same hook (issue 27):
 * `kubectl watchq configmaps -A -o json --exec 'cat >/dev/null' --workers W` and
 * scripts/bench/informer-go with `-exec 'cat >/dev/null' -workers W` (the sync measure's
 * informer + rate-limiting queue, W workers each running `/bin/sh -c CMD` per key with the
 * object's JSON on stdin, in its own process group, as watchq does), for W = 1 and 4. Both print
 * a key's line once its hook has exited; each is timed from spawn until it has printed one for
 * every ConfigMap, then stopped (watchq-sync.ts's timeToLines). Peak RSS (VmHWM) and CPU time
 * are the controller process's own, read from /proc at that moment: the hooks are not counted.
 * Hook runs per second: the ConfigMaps ÷ that time. The two run interleaved after a warm-up; the
 * load average is taken at the start and at the end, for a measure that is mostly fork and exec
 * on a machine others may share.
 *
 *   node scripts/bench/watchq-hooks.ts [--kubeconfig FILE] [--namespace NS] [--workers 1,4] [--runs N] [--warmup N]
 *
 * Run alone it measures the ConfigMaps of one namespace (a small run; the full size is
 * `npm run bench -- --only hooks`, every namespace) and prints the rows as Markdown.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { binaryPath } from '../cluster/build.ts';
import { clusterPaths } from '../cluster/paths.ts';
import { interleave, type PairResult } from './interleave.ts';
import type { Command } from './measure.ts';
import { markdownTable, row, type Row } from './report.ts';
import { summarize, type Summary } from './stats.ts';
import { buildInformer, countConfigMaps, timeToLines } from './watchq-sync.ts';

/** The hook of the issue: reads the object and does nothing, so what is timed is the controllers'. */
export const defaultHook = 'cat >/dev/null';

export interface WatchqHooksOptions {
  kubeconfig: string;
  kubectl: string;
  /** The built executable (dist/bin/kubectl-watchq). */
  watchq: string;
  /** Only this namespace's ConfigMaps (a small run); default: every namespace. */
  namespace?: string;
  /** Worker counts, one pair each (default 1 and 4). */
  workers?: readonly number[];
  hook?: string;
  runs: number;
  warmup: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface HooksPair extends PairResult {
  workers: number;
  /** Hook runs per second of each round: ConfigMaps ÷ the time until all were handled. */
  runsPerSec: { a: Summary; b: Summary };
}

export interface WatchqHooksResult {
  configMaps: number;
  namespace: string | null;
  hook: string;
  /** os.loadavg() (1, 5, 15 minutes) when the measure began and when it ended. */
  loadavgStart: number[];
  loadavgEnd: number[];
  pairs: HooksPair[];
}

export async function runWatchqHooksBench(o: WatchqHooksOptions): Promise<WatchqHooksResult> {
  const loadavgStart = loadavg();
  const hook = o.hook ?? defaultHook;
  const log = (line: string) => o.log(`watchq hooks: ${line}`);
  const configMaps = await countConfigMaps(o.kubectl, o.kubeconfig, log, o.namespace);
  if (configMaps === 0) throw new Error(`no ConfigMaps ${o.namespace === undefined ? 'in the cluster' : `in namespace ${o.namespace}`}`);
  const scratch = await mkdtemp(join(os.tmpdir(), 'watchq-hooks-bench-'));
  try {
    log('building the client-go informer…');
    const bin = await buildInformer(scratch);
    // watchq writes its hooks' kubeconfig in a directory of its own under TMPDIR and removes it
    // when it stops; stopped with SIGKILL here, it leaves it in the scratch directory.
    const env = { ...o.env, TMPDIR: scratch };
    const where = o.namespace === undefined ? ['-A'] : ['-n', o.namespace];
    // A fork and two execs per key on a loaded machine: far more than the sync measure's 60 s.
    const timeoutMs = 120_000 + configMaps * 50;
    const pairs: HooksPair[] = [];
    for (const workers of o.workers ?? [1, 4]) {
      const ours: Command = { file: o.watchq, args: ['configmaps', ...where, '-o', 'json', '--exec', hook, '--workers', String(workers), '--kubeconfig', o.kubeconfig], env };
      const theirs: Command = {
        file: bin,
        args: ['--kubeconfig', o.kubeconfig, ...(o.namespace === undefined ? [] : ['-namespace', o.namespace]), '-exec', hook, '-workers', String(workers)],
        env,
      };
      log(`${configMaps.toLocaleString('en')} ConfigMaps, ${workers} worker(s), ${o.warmup} warm-up + ${o.runs} rounds (watchq, client-go)…`);
      const r = await interleave(() => timeToLines(ours, configMaps, timeoutMs), () => timeToLines(theirs, configMaps, timeoutMs), { runs: o.runs, warmup: o.warmup });
      const perSec = (side: PairResult['a']) => summarize(side.samples.map((s) => (configMaps * 1000) / s.wallMs));
      const pair: HooksPair = { ...r, workers, runsPerSec: { a: perSec(r.a), b: perSec(r.b) } };
      log(
        `${workers} worker(s): watchq ${r.a.wallMs.median.toFixed(0)} ms (${pair.runsPerSec.a.median.toFixed(0)} runs/s), ` +
          `client-go ${r.b.wallMs.median.toFixed(0)} ms (${pair.runsPerSec.b.median.toFixed(0)} runs/s), ${(r.a.wallMs.median / r.b.wallMs.median).toFixed(2)}×`,
      );
      pairs.push(pair);
    }
    return { configMaps, namespace: o.namespace ?? null, hook, loadavgStart, loadavgEnd: loadavg(), pairs };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The goals of issue 27. */
export const hooksWallGoal = { maxRatio: 1.1, text: '≤ 1.1× wall' };
export const hooksRssGoal = { maxRatio: 1.5, text: '≤ 1.5× RSS' };

/** One group of rows per worker count: wall time, peak RSS, hook runs per second, CPU time. */
export function hooksRows(r: WatchqHooksResult): Row[] {
  const where = r.namespace === null ? '-A' : `-n ${r.namespace}`;
  const scope = r.namespace === null ? '' : ` in ${r.namespace}`;
  return r.pairs.flatMap((p) => [
    row(
      `\`watchq configmaps ${where} -o json --exec '${r.hook}' --workers ${p.workers}\` until all ${r.configMaps.toLocaleString('en')} ConfigMaps${scope} are handled ` +
        `vs a client-go informer + queue, ${p.workers} worker${p.workers === 1 ? '' : 's'} running the same hook ` +
        `(${p.runsPerSec.a.median.toFixed(0)} against ${p.runsPerSec.b.median.toFixed(0)} hook runs/s)`,
      'ms',
      p.a.wallMs,
      p.b.wallMs,
      hooksWallGoal,
      { theirsLabel: 'client-go' },
    ),
    row('  ↳ peak RSS (the controller process, hooks not counted)', 'kB', p.a.peakRssKb, p.b.peakRssKb, hooksRssGoal, { theirsLabel: 'client-go' }),
    row('  ↳ hook runs per second', 'per-s', p.runsPerSec.a, p.runsPerSec.b, null, { theirsLabel: 'client-go' }),
    ...(p.a.cpuMs && p.b.cpuMs ? [row('  ↳ CPU time of the controller process (user + sys; hooks not counted)', 'ms', p.a.cpuMs, p.b.cpuMs, null, { theirsLabel: 'client-go' })] : []),
  ]);
}

/** The rounds and the load around the measure, for the report's notes. */
export function hooksNote(r: WatchqHooksResult): string {
  const rounds = r.pairs[0]?.a.samples.length ?? 0;
  return (
    `watchq hooks: ${rounds} interleaved round${rounds === 1 ? '' : 's'} per worker count, from spawn until every key's line; ` +
    `load average (1, 5, 15 min) ${r.loadavgStart.join(', ')} at the start of the measure, ${r.loadavgEnd.join(', ')} at its end.`
  );
}

function loadavg(): number[] {
  return os.loadavg().map((v) => Number(v.toFixed(2)));
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      workers: { type: 'string', default: '1,4' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const whole = (name: string, text: string, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${text}"`);
    return n;
  };
  const paths = clusterPaths();
  const kubeconfig = values.kubeconfig ?? paths.kubeconfig;
  const repoRoot = join(import.meta.dirname, '..', '..');
  const result = await runWatchqHooksBench({
    kubeconfig,
    kubectl: binaryPath(paths, 'kubectl'),
    watchq: join(repoRoot, 'dist', 'bin', 'kubectl-watchq'),
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    workers: values.workers.split(',').map((w) => whole('workers', w.trim(), 1)),
    runs: whole('runs', values.runs, 1),
    warmup: whole('warmup', values.warmup, 0),
    env: { ...process.env, KUBECONFIG: kubeconfig },
    log: (line) => process.stderr.write(`[bench] ${line}\n`),
  });
  process.stdout.write(`${markdownTable(hooksRows(result))}\n- ${hooksNote(result)}\n`);
}
