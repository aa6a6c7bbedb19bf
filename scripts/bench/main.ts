/**
 * `npm run bench`: our built plugins side by side with the kubectl built with the local cluster,
 * on the same server in the same run (issue 9).
 *
 *   npm run bench [-- --runs N] [--big-runs N] [--warmup N] [--only a,b] [--rss gnu-time|proc-poll] [--no-profile]
 *   npm run bench -- --clean      delete the seeded namespaces and the bench Node, measure nothing
 *
 * 1. brings up (or reuses) the local cluster, builds dist/bin if an executable is missing;
 * 2. seeds it (seed.ts: 1,000 pods, 10,000 ConfigMaps, the seed CRD; reused when there);
 * 3. times each pair in alternation after a warm-up (interleave.ts), wall time and peak RSS
 *    (measure.ts), checking once beforehand that both sides print the same number of lines;
 * 4. the floor (floor.ts), the work queue (workqueue.ts), watchq (watchq.ts, when present) and
 *    watchq against client-go: its initial sync (watchq-sync.ts) and its hooks (watchq-hooks.ts);
 * 5. profiles the plugin behind every goal missed (profile.ts);
 * 6. prints the Markdown table on stdout and writes dist/bench/results.{md,json}.
 *
 * Progress goes to stderr. Exit code 1 if a measure could not be taken (a missed goal is a
 * result, not a failure).
 *
 * Measures (--only): lsres, small, cm, dynget, exec, contexts, version, complete, size, floor, workqueue,
 * watchq, sync (watchq's initial sync against client-go's informer, watchq-sync.ts), hooks
 * (`watchq --exec` against client-go running the same hook per key, 1 and 4 workers, watchq-hooks.ts),
 * shards (`watchq --shards 12` on 3 replicas against one, server- and client-side, --metadata-only, a takeover: watchq-shards.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { binaryPath } from '../cluster/build.ts';
import { up } from '../cluster/control-plane.ts';
import { clusterPaths } from '../cluster/paths.ts';
import { prepareContexts } from './contexts.ts';
import { prepareExecCredential } from './exec-credential.ts';
import { createFloor, type FloorSample } from './floor.ts';
import { buildRuntimeFloor } from './runtime-floor.ts';
import { runtimeBinaryPath } from '../sea/runtime-binaries.ts';
import { bunRuntime } from '../sea/runtime-integrity.ts';
import { hostTarget, pinnedBunVersion } from '../sea/targets.ts';
import { interleave, type PairResult, type Runner } from './interleave.ts';
import { capture, defaultRssMethod, measure, type Command, type MeasureOptions, type RssMethod } from './measure.ts';
import { formatProfile, profilePlugin, type ProfileSummary } from './profile.ts';
import { markdownTable, notMeasured, row, type Goal, type Row } from './report.ts';
import { benchTransport, defaultSeedPlan, removeSeed, seed, type SeedReport } from './seed.ts';
import { summarize } from './stats.ts';
import { runWatchqShardsBench, shardsNote, shardsRows, type ShardsBenchResult } from './watchq-shards.ts';
import { hooksNote, hooksRows, hooksRssGoal, hooksWallGoal, runWatchqHooksBench, type WatchqHooksResult } from './watchq-hooks.ts';
import { runWatchqSyncBench } from './watchq-sync.ts';
import { runWorkqueueBench, type WorkqueueBenchResult } from './workqueue.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const distBin = join(repoRoot, 'dist', 'bin');
const outDir = join(repoRoot, 'dist', 'bench');
const measures = ['lsres', 'small', 'cm', 'dynget', 'exec', 'contexts', 'version', 'complete', 'size', 'floor', 'workqueue', 'watchq', 'sync', 'hooks', 'shards'] as const;
type MeasureName = (typeof measures)[number];

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

interface Options {
  runs: number;
  bigRuns: number;
  warmup: number;
  only: Set<MeasureName>;
  rss: RssMethod;
  profile: boolean;
  clean: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '15' },
      'big-runs': { type: 'string', default: '7' },
      warmup: { type: 'string', default: '2' },
      only: { type: 'string' },
      rss: { type: 'string' },
      'no-profile': { type: 'boolean', default: false },
      clean: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const count = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got "${text}"`);
    return n;
  };
  const only = values.only === undefined ? [...measures] : values.only.split(',').map((s) => s.trim());
  for (const name of only) if (!(measures as readonly string[]).includes(name)) throw new Error(`--only: unknown measure "${name}" (one of ${measures.join(', ')})`);
  if (values.rss !== undefined && values.rss !== 'gnu-time' && values.rss !== 'proc-poll') throw new Error(`--rss must be gnu-time or proc-poll, got "${values.rss}"`);
  return {
    runs: count('runs', values.runs, 1),
    bigRuns: count('big-runs', values['big-runs'], 1),
    warmup: count('warmup', values.warmup, 0),
    only: new Set(only as MeasureName[]),
    rss: (values.rss as RssMethod | undefined) ?? defaultRssMethod(),
    profile: !values['no-profile'],
    clean: values.clean,
  };
}

interface ProcessPair {
  key: string;
  ours: Runner;
  kubectl: Runner;
  /** For the line-count check and for profiling: what each side runs. */
  oursCommand: Command;
  kubectlCommand: Command;
  plugin: string;
  pluginArgs: string[];
  runs: number;
  warmup: number;
  /** Skip the check that both sides print as many lines (they do different things). */
  skipCheck?: boolean;
}

interface Checked {
  oursLines: number;
  kubectlLines: number;
  warning?: string;
}

async function main(): Promise<number> {
  const started = performance.now();
  const options = parseOptions(process.argv.slice(2));
  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      phases[name] = Math.round(performance.now() - t);
    }
  };
  const loadStart = os.loadavg();

  // 1. Cluster and executables.
  const paths = clusterPaths();
  const cluster = await phase('cluster', () => up(paths, { log: (line) => log(`cluster: ${line}`), tty: false }));
  if (options.clean) {
    await removeSeed(benchTransport(paths.kubeconfig), defaultSeedPlan, log);
    return 0;
  }
  const kubectl = binaryPath(paths, 'kubectl');
  const plugin = (name: string) => join(distBin, `kubectl-${name}`);
  if (!['lsres', 'dynget'].every((p) => existsSync(plugin(p)))) {
    log('dist/bin is missing executables: npm run build…');
    await phase('build', () => npmRun('build'));
  }

  // 2. Seed.
  const transport = benchTransport(paths.kubeconfig);
  const plan = defaultSeedPlan;
  const seedReport: SeedReport = await phase('seed', () => seed(transport, plan, log));
  log(`seed: ${describeSeed(seedReport)} in ${(seedReport.millis / 1000).toFixed(1)} s`);

  const scratch = await mkdtemp(join(os.tmpdir(), 'kubectl-plugins-bench-'));
  const warmCache = join(scratch, 'cache-warm');
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: paths.kubeconfig, KUBECACHEDIR: warmCache };
  delete env['NODE_OPTIONS'];
  const measureOptions: MeasureOptions = { rss: options.rss, scratchDir: scratch };
  const versions = await collectVersions(kubectl, plugin('lsres'), env, transport);
  log(`ours ${versions.ours}, kubectl ${versions.kubectl}, server ${versions.server}; peak RSS via ${options.rss}`);

  const rows: Row[] = [];
  const pairs: Record<string, PairResult & { checked?: Checked }> = {};
  const profiles: Record<string, ProfileSummary> = {};
  const failures: string[] = [];
  const want = (m: MeasureName) => options.only.has(m);

  const cmd = (file: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Command => ({ file, args, env: { ...env, ...extraEnv } });
  const timed = (command: Command): Runner => () => measure(command, measureOptions);
  const processPair = (key: string, pluginName: string, pluginArgs: string[], kubectlArgs: string[], runs: number, warmup: number): ProcessPair => {
    const oursCommand = cmd(plugin(pluginName), pluginArgs);
    const kubectlCommand = cmd(kubectl, kubectlArgs);
    return { key, ours: timed(oursCommand), kubectl: timed(kubectlCommand), oursCommand, kubectlCommand, plugin: pluginName, pluginArgs, runs, warmup };
  };
  const ns = plan.lsresNamespace;
  const dns = plan.dyngetNamespace;

  // A fresh cache directory per run (created and removed outside the clock).
  const coldRunner = (build: (dir: string) => Command): Runner => async () => {
    const dir = await mkdtemp(join(scratch, 'cold-'));
    try {
      return await measure(build(dir), measureOptions);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  const runPair = async (pair: ProcessPair, label: string): Promise<(PairResult & { checked?: Checked }) | undefined> => {
    try {
      const checked = pair.skipCheck ? undefined : await checkSameOutput(pair, measureOptions);
      if (checked?.warning) log(`${label}: warning: ${checked.warning}`);
      log(`${label}: ${pair.warmup} warm-up + ${pair.runs} rounds (ours, kubectl)…`);
      const t = performance.now();
      const result = await interleave(pair.ours, pair.kubectl, { runs: pair.runs, warmup: pair.warmup });
      log(
        `${label}: ours ${result.a.wallMs.median.toFixed(0)} ms, kubectl ${result.b.wallMs.median.toFixed(0)} ms ` +
          `(${(result.a.wallMs.median / result.b.wallMs.median).toFixed(2)}×) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      pairs[pair.key] = { ...result, ...(checked ? { checked } : {}) };
      return pairs[pair.key];
    } catch (error) {
      failures.push(`${label}: ${(error as Error).message}`);
      log(`${label}: FAILED: ${(error as Error).message}`);
      return undefined;
    }
  };
  const wallRow = (measureText: string, r: PairResult | undefined, goal: Goal | null, theirsLabel?: string): Row =>
    r ? row(measureText, 'ms', r.a.wallMs, r.b.wallMs, goal, theirsLabel ? { theirsLabel } : {}) : notMeasured(measureText, goal, 'failed (see stderr)');
  const rssRow = (measureText: string, r: PairResult | undefined, goal: Goal | null): Row =>
    r ? row(measureText, 'kB', r.a.peakRssKb, r.b.peakRssKb, goal) : notMeasured(measureText, goal, 'failed (see stderr)');
  // CPU time is what a run costs whatever else the machine does: on a busy host it is steadier than wall time.
  const cpuRow = (r: PairResult | undefined): Row[] => (r?.a.cpuMs && r.b.cpuMs ? [row('  ↳ CPU time (user + sys)', 'ms', r.a.cpuMs, r.b.cpuMs, null)] : []);
  const profileTargets: Array<{ key: string; plugin: string; args: string[]; env: NodeJS.ProcessEnv }> = [];
  const missed = (r: Row, target: { key: string; plugin: string; args: string[]; env: NodeJS.ProcessEnv }) => {
    if (r.met === false && !profileTargets.some((p) => p.key === target.key)) profileTargets.push(target);
  };

  // Executables built just now sit in the page cache as they were written, in large blocks that
  // are mapped whole when one of their pages is touched: their peak RSS then counts up to ~35 MiB
  // of Node's text they never run (seen here: 79 MiB for a trivial single executable just built,
  // 41 MiB after this). Written back and, where allowed (root), dropped, both sides start alike.
  const pageCache = await settlePageCache();
  log(`page cache: ${pageCache}`);

  // 3. Process pairs.
  await phase('pairs', async () => {
    if (want('lsres')) {
      const pair = processPair('lsres', 'lsres', ['-n', ns], ['get', 'pods,deployments,services', '-n', ns], options.runs, options.warmup);
      const r = await runPair(pair, 'lsres');
      const wall = wallRow(`\`lsres -n ${ns}\` (${plan.pods.toLocaleString('en')} pods, deploy, svc) vs \`kubectl get pods,deployments,services\``, r, { maxRatio: 0.8, text: '≤ 0.8× wall' });
      rows.push(wall, rssRow('  ↳ peak RSS', r, null), ...cpuRow(r));
      missed(wall, { key: 'lsres', plugin: 'lsres', args: pair.pluginArgs, env });
    }
    if (want('small')) {
      // The everyday call: a namespace with a handful of objects, where start-up is most of it.
      const pair = processPair('small', 'lsres', ['-n', dns], ['get', 'pods,deployments,services', '-n', dns], options.runs, options.warmup);
      const r = await runPair(pair, 'lsres small');
      const wall = wallRow(`\`lsres -n ${dns}\` (a few objects) vs \`kubectl get pods,deployments,services\``, r, { maxRatio: 0.6, text: '≤ 0.6× wall' });
      const rss = rssRow('  ↳ peak RSS', r, { maxRatio: 1.0, text: '≤ 1.0× RSS' });
      rows.push(wall, rss, ...cpuRow(r));
      missed(wall, { key: 'small', plugin: 'lsres', args: pair.pluginArgs, env });
    }
    if (want('cm')) {
      const pair = processPair('cm', 'lsres', ['cm', '-A'], ['get', 'cm', '-A'], options.bigRuns, Math.min(1, options.warmup));
      const r = await runPair(pair, 'lsres cm -A');
      const count = r?.checked ? `${(r.checked.kubectlLines - 1).toLocaleString('en')} ConfigMaps` : 'ConfigMaps';
      const wall = wallRow(`\`lsres cm -A\` (${count}) vs \`kubectl get cm -A\``, r, { maxRatio: 0.3, text: '≤ 0.3× wall' });
      const rss = rssRow('  ↳ peak RSS', r, { maxRatio: 1.5, text: '≤ 1.5× RSS' });
      rows.push(wall, rss, ...cpuRow(r));
      // V8's figures beside JavaScriptCore's: the same bundle under the pinned Node (the V8 flag the Node executables had).
      const onV8 = cmd(process.execPath, ['--max-semi-space-size=2', join(repoRoot, 'dist', 'bundle', 'kubectl-lsres.cjs'), ...pair.pluginArgs]);
      const rv = await runPair({ ...pair, key: 'cmV8', ours: timed(onV8), oursCommand: onV8 }, 'lsres cm -A on V8');
      rows.push(wallRow('  ↳ V8: the same bundle on the pinned Node vs `kubectl get cm -A`', rv, null), rssRow('  ↳ V8: peak RSS', rv, null));
      missed(wall, { key: 'cm', plugin: 'lsres', args: pair.pluginArgs, env });
      missed(rss, { key: 'cm', plugin: 'lsres', args: pair.pluginArgs, env });
    }
    if (want('dynget')) {
      // kubectl resolves plural, singular and short names but not a kind (`get aiops` is "the
      // server doesn't have a resource type"): it gets the plural, its most direct lookup.
      const oursArgs = ['aiops', '-n', dns];
      const kubectlArgs = ['get', 'myresources', '-n', dns];
      const cold: ProcessPair = {
        ...processPair('dyngetCold', 'dynget', oursArgs, kubectlArgs, options.runs, options.warmup),
        ours: coldRunner((dir) => cmd(plugin('dynget'), oursArgs, { KUBECACHEDIR: dir })),
        kubectl: coldRunner((dir) => cmd(kubectl, [...kubectlArgs, '--cache-dir', dir], { KUBECACHEDIR: dir })),
      };
      const rc = await runPair(cold, 'dynget cold cache');
      const warm = processPair('dyngetWarm', 'dynget', oursArgs, [...kubectlArgs, '--cache-dir', warmCache], options.runs, options.warmup);
      const rw = await runPair(warm, 'dynget warm cache');
      const coldRow = wallRow('`dynget aiops`, cold discovery cache vs `kubectl get myresources` (fresh `--cache-dir`)', rc, { maxRatio: 1.0, text: '≤ 1.0× wall' });
      const warmRow = wallRow('`dynget aiops`, warm discovery cache vs `kubectl get myresources`', rw, { maxRatio: 0.6, text: '≤ 0.6× wall' });
      rows.push(coldRow, warmRow, rssRow('  ↳ peak RSS (warm)', rw, { maxRatio: 1.0, text: '≤ 1.0× RSS' }), ...cpuRow(rw).map((x) => ({ ...x, measure: '  ↳ CPU time (warm)' })));
      // The runtime's own floor for this call: a single executable of ours doing only its request.
      try {
        const floor = await buildRuntimeFloor(paths.kubeconfig, dns, join(scratch, 'runtime-floor'));
        const floorCommand = cmd(floor.file, floor.args);
        const rf = await runPair({ ...warm, key: 'runtimeFloor', skipCheck: true, ours: timed(floorCommand), oursCommand: floorCommand }, 'runtime floor');
        rows.push(wallRow('  ↳ for scale: a Bun single executable doing only that request (TLS with the client certificate, one GET) vs `kubectl get myresources`', rf, null));
      } catch (error) {
        failures.push(`runtime floor: ${(error as Error).message}`);
        log(`runtime floor: FAILED: ${(error as Error).message}`);
      }
      const coldEnv = { ...env, KUBECACHEDIR: join(scratch, 'profile-cold-never-written') };
      missed(coldRow, { key: 'dyngetCold', plugin: 'dynget', args: oursArgs, env: coldEnv });
      missed(warmRow, { key: 'dyngetWarm', plugin: 'dynget', args: oursArgs, env });
    }
    if (want('exec')) {
      // Same exec credential plugin for both (a script printing a real token), small namespace:
      // what is measured is the credential path, not the listing.
      try {
        const setup = await prepareExecCredential(kubectl, paths.kubeconfig, dns, scratch);
        const execEnv = { KUBECONFIG: setup.kubeconfig };
        const args = ['-n', dns];
        const kubectlArgs = ['get', 'pods,deployments,services', '-n', dns];
        const pair: ProcessPair = {
          ...processPair('exec', 'lsres', args, kubectlArgs, options.runs, options.warmup),
          ours: timed(cmd(plugin('lsres'), args, execEnv)),
          kubectl: timed(cmd(kubectl, kubectlArgs, execEnv)),
          oursCommand: cmd(plugin('lsres'), args, execEnv),
          kubectlCommand: cmd(kubectl, kubectlArgs, execEnv),
        };
        const r = await runPair(pair, 'lsres with an exec plugin');
        const wall = wallRow(`\`lsres -n ${dns}\` with an exec credential plugin vs \`kubectl get pods,deployments,services\` with the same plugin`, r, { maxRatio: 0.7, text: '≤ 0.7× wall' });
        const rss = rssRow('  ↳ peak RSS', r, { maxRatio: 1.0, text: '≤ 1.0× RSS' });
        rows.push(wall, rss, ...cpuRow(r));
        missed(wall, { key: 'exec', plugin: 'lsres', args, env: { ...env, ...execEnv } });
        missed(rss, { key: 'exec', plugin: 'lsres', args, env: { ...env, ...execEnv } });
      } catch (error) {
        failures.push(`exec: ${(error as Error).message}`);
        log(`exec: FAILED: ${(error as Error).message}`);
        rows.push(notMeasured('lsres with an exec credential plugin vs kubectl with the same plugin', { maxRatio: 0.7, text: '≤ 0.7× wall' }, 'failed (see stderr)'));
      }
    }
    if (want('contexts')) {
      // Many clusters at once (issue 17): two contexts on the local server (the small namespace
      // and default) and one unreachable, against kubectl on one of them. Ours exits 5 (the
      // unreachable context); the outputs differ (a CONTEXT column, two contexts' rows).
      try {
        const setup = await prepareContexts(kubectl, paths.kubeconfig, [dns, 'default'], scratch);
        const ctxEnv = { KUBECONFIG: setup.kubeconfig };
        const args = ['--context', setup.contexts.join(',')];
        const kubectlArgs = ['--context', setup.contexts[0], 'get', 'pods,deployments,services'];
        const oursCommand = cmd(plugin('lsres'), args, ctxEnv);
        const kubectlCommand = cmd(kubectl, kubectlArgs, ctxEnv);
        const pair: ProcessPair = {
          ...processPair('contexts', 'lsres', args, kubectlArgs, options.runs, options.warmup),
          ours: () => measure(oursCommand, { ...measureOptions, expectExit: 5 }),
          kubectl: timed(kubectlCommand),
          oursCommand,
          kubectlCommand,
          skipCheck: true,
        };
        const r = await runPair(pair, 'lsres --context a,b,down');
        const wall = wallRow(`\`lsres --context ${args[1]}\` (two contexts on the local server, one unreachable) vs \`kubectl --context ${setup.contexts[0]} get pods,deployments,services\``, r, { maxRatio: 1.2, text: '≤ 1.2× wall' });
        // Not profiled when missed: the profiler wants exit 0, and this run exits 5 by design.
        rows.push(wall, rssRow('  ↳ peak RSS', r, null), ...cpuRow(r));
      } catch (error) {
        failures.push(`contexts: ${(error as Error).message}`);
        log(`contexts: FAILED: ${(error as Error).message}`);
        rows.push(notMeasured('lsres --context a,b,down vs kubectl --context a get', { maxRatio: 1.2, text: '≤ 1.2× wall' }, 'failed (see stderr)'));
      }
    }
    if (want('version')) {
      const pair = { ...processPair('version', 'lsres', ['--version'], ['version', '--client'], options.runs, options.warmup), skipCheck: true };
      const r = await runPair(pair, 'version');
      const wall = wallRow('`lsres --version` vs `kubectl version --client` (start-up)', r, { maxRatio: 0.35, text: '≤ 0.35× wall' });
      rows.push(wall, rssRow('  ↳ peak RSS', r, { maxRatio: 1.0, text: '≤ 1.0× RSS' }), ...cpuRow(r));
      missed(wall, { key: 'version', plugin: 'lsres', args: pair.pluginArgs, env });
      // How much of that is the runtime itself: the pinned Bun the executables are made of, running nothing.
      const bun = cmd(runtimeBinaryPath(bunRuntime, hostTarget()!, pinnedBunVersion()), ['-e', '0']);
      const bare: ProcessPair = { ...pair, key: 'runtimeStartup', skipCheck: true, ours: timed(bun), oursCommand: bun };
      const rb = await runPair(bare, 'bun -e 0');
      if (rb) rows.push(row(`  ↳ for scale: bare \`bun -e 0\` (Bun ${pinnedBunVersion()}) vs \`kubectl version --client\``, 'ms', rb.a.wallMs, rb.b.wallMs, null));
    }
  });

  if (want('complete')) {
    await phase('complete', async () => {
      // A fresh process on every TAB: our completer alone, and through kubectl (which finds
      // kubectl_complete-lsres on PATH and runs it: kubectl's own start-up plus ours).
      const direct: ProcessPair = { ...processPair('complete', 'lsres', ['__complete', ''], ['__complete', 'get', ''], options.runs, options.warmup), skipCheck: true };
      const r = await runPair(direct, 'completer');
      const wall = wallRow("our completer `kubectl-lsres __complete ''` vs `kubectl __complete get ''`", r, { maxRatio: 0.4, text: '≤ 0.4× wall' });
      rows.push(wall, rssRow('  ↳ peak RSS', r, { maxRatio: 1.0, text: '≤ 1.0× RSS' }), ...cpuRow(r));
      missed(wall, { key: 'complete', plugin: 'lsres', args: ['__complete', ''], env });
      const pathEnv = { PATH: `${distBin}:${env['PATH'] ?? ''}` };
      const through: ProcessPair = {
        ...direct,
        key: 'completeThroughKubectl',
        ours: timed(cmd(kubectl, ['__complete', 'lsres', ''], pathEnv)),
        oursCommand: cmd(kubectl, ['__complete', 'lsres', ''], pathEnv),
      };
      const rt = await runPair(through, 'completion through kubectl');
      rows.push(wallRow("through kubectl: `kubectl __complete lsres ''` vs `kubectl __complete get ''`", rt, { maxRatio: 1.5, text: '≤ 1.5× wall' }));
    });
  }
  if (want('size')) {
    const bytes = (file: string) => (existsSync(file) ? statSync(file).size : undefined);
    const executable = bytes(plugin('lsres'));
    const mb = (n: number) => summarize([n / 1e6]);
    if (executable !== undefined) rows.push(row('executable size, `dist/bin/kubectl-lsres` (linux_amd64, MB)', 'MB', mb(executable), null, { maxOurs: 120, text: '≤ 120 MB' }));
    const archive = bytes(join(repoRoot, 'dist', 'release', `kubectl-lsres_${versions.ours.replace(/^v/, '')}_linux_amd64.tar.gz`));
    rows.push(
      archive === undefined
        ? notMeasured('release archive size, linux_amd64 (MB)', { maxOurs: 43, text: '≤ 43 MB' }, 'no dist/release archive (npm run release)')
        : row('release archive size, `kubectl-lsres_…_linux_amd64.tar.gz` (MB)', 'MB', mb(archive), null, { maxOurs: 43, text: '≤ 43 MB' }),
    );
  }

  // 4. The floor, the work queue, watchq.
  let floorMethod: string | undefined;
  if (want('floor')) {
    await phase('floor', async () => {
      try {
        const floor = await createFloor(paths.kubeconfig, ns, measureOptions);
        floorMethod = floor.method;
        const ours = timed(cmd(plugin('lsres'), ['-n', ns]));
        log(`floor (${floor.method}): ${options.warmup} warm-up + ${options.runs} rounds (lsres, floor)…`);
        const r = await interleave(ours, () => floor.run(), { runs: options.runs, warmup: options.warmup });
        pairs['floor'] = r;
        const samples = r.b.samples as FloorSample[];
        const fetch = summarize(samples.map((s) => s.fetchMs));
        const parse = summarize(samples.map((s) => s.parseMs));
        const label = floor.method === 'curl' ? 'curl ×3 + JSON.parse' : 'node https ×3 + JSON.parse';
        rows.push(
          row(`\`lsres -n ${ns}\` vs the floor (${label}; fetch ${fetch.median.toFixed(0)} ms + parse ${parse.median.toFixed(1)} ms)`, 'ms', r.a.wallMs, r.b.wallMs, { maxRatio: 1.3, text: '≤ 1.3× (overhead)' }, { theirsLabel: 'floor' }),
        );
        log(`floor: lsres ${r.a.wallMs.median.toFixed(0)} ms, floor ${r.b.wallMs.median.toFixed(0)} ms (${(r.a.wallMs.median / r.b.wallMs.median).toFixed(2)}×)`);
      } catch (error) {
        failures.push(`floor: ${(error as Error).message}`);
        log(`floor: FAILED: ${(error as Error).message}`);
        rows.push(notMeasured('the floor (curl ×3 + JSON.parse)', { maxRatio: 1.3, text: '≤ 1.3× (overhead)' }, 'failed (see stderr)'));
      }
    });
  }

  let workqueue: WorkqueueBenchResult | undefined;
  const workqueueGoal: Goal = { minOurs: 1_000_000, text: '≥ 1,000,000/s' };
  if (want('workqueue')) {
    await phase('workqueue', async () => {
      try {
        workqueue = await runWorkqueueBench();
        const wq = workqueue;
        const go = wq.clientGo;
        rows.push(
          row('work queue add+get+done (1,000 keys) vs client-go workqueue', 'per-s', summarize(wq.ours.interleaved.perSec), go ? summarize(go.interleaved.perSec) : null, workqueueGoal, {
            theirsLabel: 'client-go',
            ratio: wq.ratio,
            met: wq.meetsGoal,
            ...(go ? {} : { note: `client-go not measured: ${wq.goError ?? 'skipped'}` }),
          }),
        );
      } catch (error) {
        failures.push(`workqueue: ${(error as Error).message}`);
        rows.push(notMeasured('work queue add+get+done vs client-go', workqueueGoal, 'failed (see stderr)'));
      }
    });
  }

  let watchq: unknown = null;
  if (want('watchq')) {
    await phase('watchq', async () => {
      const outcome = await runWatchq(paths.kubeconfig);
      watchq = outcome.result ?? null;
      rows.push(...outcome.rows);
      if (outcome.error) failures.push(`watchq: ${outcome.error}`);
    });
  }

  if (want('sync')) {
    await phase('sync', async () => {
      const goal = { maxRatio: 1.74, text: '≤ 1.74× wall' };
      try {
        // V8's figures beside JavaScriptCore's: the same bundle under the pinned Node, with the V8 flag the Node executables had.
        const onV8 = { file: process.execPath, args: ['--max-semi-space-size=2', join(repoRoot, 'dist', 'bundle', 'kubectl-watchq.cjs')] };
        const r = await runWatchqSyncBench({ kubeconfig: paths.kubeconfig, kubectl, watchq: plugin('watchq'), watchqOnV8: onV8, runs: Math.max(3, Math.min(options.runs, 7)), warmup: 1, env, log });
        pairs['sync'] = r;
        rows.push(
          row(`\`watchq configmaps -A -o json\` until all ${r.configMaps.toLocaleString('en')} ConfigMaps are handled vs a client-go informer + queue`, 'ms', r.a.wallMs, r.b.wallMs, goal, { theirsLabel: 'client-go' }),
          row('  ↳ peak RSS', 'kB', r.a.peakRssKb, r.b.peakRssKb, { maxRatio: 1.6, text: '≤ 1.6× RSS' }, { theirsLabel: 'client-go' }),
          ...(r.a.cpuMs && r.b.cpuMs ? [row('  ↳ CPU time (user + sys)', 'ms', r.a.cpuMs, r.b.cpuMs, null, { theirsLabel: 'client-go' })] : []),
          row('  ↳ the same vs client-go on JSON (watchq\'s and kubectl\'s wire format; client-go asks for protobuf)', 'ms', r.json.a.wallMs, r.json.b.wallMs, null, { theirsLabel: 'client-go JSON' }),
          row('  ↳ peak RSS vs client-go on JSON', 'kB', r.json.a.peakRssKb, r.json.b.peakRssKb, null, { theirsLabel: 'client-go JSON' }),
          ...(r.v8
            ? [
                row('  ↳ V8: the same bundle on the pinned Node vs client-go', 'ms', r.v8.a.wallMs, r.v8.b.wallMs, null, { theirsLabel: 'client-go' }),
                row('  ↳ V8: peak RSS vs client-go', 'kB', r.v8.a.peakRssKb, r.v8.b.peakRssKb, null, { theirsLabel: 'client-go' }),
              ]
            : []),
        );
      } catch (error) {
        failures.push(`sync: ${(error as Error).message}`);
        rows.push(notMeasured('watchq initial sync vs a client-go informer', goal, 'failed (see stderr)'));
      }
    });
  }

  let hooks: WatchqHooksResult | undefined;
  if (want('hooks')) {
    await phase('hooks', async () => {
      try {
        const r = await runWatchqHooksBench({ kubeconfig: paths.kubeconfig, kubectl, watchq: plugin('watchq'), runs: Math.min(options.runs, 5), warmup: Math.min(options.warmup, 1), env, log });
        hooks = r;
        rows.push(...hooksRows(r));
      } catch (error) {
        failures.push(`hooks: ${(error as Error).message}`);
        log(`hooks: FAILED: ${(error as Error).message}`);
        rows.push(notMeasured("watchq --exec 'cat >/dev/null' vs client-go with the same hook", hooksWallGoal, 'failed (see stderr)'), notMeasured('  ↳ peak RSS', hooksRssGoal, 'failed (see stderr)'));
      }
    });
  }

  let shards: ShardsBenchResult | undefined;
  if (want('shards')) {
    await phase('shards', async () => {
      try {
        const r = await runWatchqShardsBench({ kubeconfig: paths.kubeconfig, server: cluster.server, watchq: plugin('watchq'), runs: Math.min(options.runs, 2), env, log });
        shards = r;
        rows.push(...shardsRows(r));
      } catch (error) {
        failures.push(`shards: ${(error as Error).message}`);
        log(`shards: FAILED: ${(error as Error).message}`);
        rows.push(notMeasured('watchq --shards 12, 3 replicas: each replica against one', null, 'failed (see stderr)'));
      }
    });
  }

  // 5. Profiles of what fell short.
  if (options.profile && profileTargets.length > 0) {
    await phase('profile', async () => {
      for (const target of profileTargets) {
        try {
          log(`profiling ${target.plugin} ${target.args.join(' ')} (a goal was missed)…`);
          // The executables ignore NODE_OPTIONS (no --cpu-prof): the same bundle under the pinned Node.
          const summary = await profilePlugin({ plugin: target.plugin, args: target.args, env: target.env, top: 12, bundleDir: join(scratch, 'profile-bundles'), mode: 'bundle' });
          profiles[target.key] = summary;
          process.stderr.write(formatProfile(summary));
        } catch (error) {
          log(`profiling ${target.key} failed: ${(error as Error).message}`);
        }
      }
    });
  }
  await rm(scratch, { recursive: true, force: true });

  // 6. Report.
  const totalMs = performance.now() - started;
  const command = commandLine();
  const date = new Date().toISOString();
  const host = {
    platform: `${process.platform}/${process.arch}`,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavgStart: loadStart.map((v) => Number(v.toFixed(2))),
    loadavgEnd: os.loadavg().map((v) => Number(v.toFixed(2))),
  };
  const table = markdownTable(rows);
  const notes = [
    `Ours: ${relative(repoRoot, distBin)}/kubectl-* (${versions.ours}, single executables); kubectl ${versions.kubectl}; server ${versions.server} (${cluster.server}, local control plane with kwok nodes).`,
    `Page cache before measuring: ${pageCache}.`,
    `Wall time from spawn to exit, median (min–max) of ${options.runs} interleaved rounds after ${options.warmup} warm-up (cm -A: ${options.bigRuns} rounds); peak RSS via ${options.rss === 'gnu-time' ? '`/usr/bin/time -v`' : 'polling /proc/PID/status VmHWM (a lower bound)'}. Ratio = ours ÷ kubectl (medians).`,
    ...(want('dynget') ? ['kubectl does not resolve a kind (`kubectl get aiops`: "the server doesn\'t have a resource type"), so it is given the plural `myresources`; dynget resolves `aiops` itself. Cold: a fresh cache directory per run for both (`KUBECACHEDIR`, `--cache-dir`).'] : []),
    ...(floorMethod ? [`The floor: ${floorMethod === 'curl' ? 'one `curl --parallel` process fetching the three lists as Tables (`includeObject=None` as lsres asks, but no chunking) + `JSON.parse` timed inside the bench process' : 'no curl: three HTTPS GETs from the bench process + `JSON.parse`'}; no process start-up of a runtime.`] : []),
    ...(hooks ? [hooksNote(hooks)] : []),
    ...(shards ? [shardsNote(shards)] : []),
    `Host: ${host.cpus} CPUs (${host.cpuModel}), ${host.memoryGiB} GiB, load average ${host.loadavgStart[0]} at start, ${host.loadavgEnd[0]} at end. Total ${(totalMs / 1000).toFixed(0)} s (${Object.entries(phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} s`).join(', ')}).`,
  ];
  const markdown = `## Performance\n\n${date.slice(0, 10)}, \`${command}\`\n\n${table}\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'results.md'), markdown);
  await writeFile(
    join(outDir, 'results.json'),
    `${JSON.stringify({ date, command, totalMs: Math.round(totalMs), phases, host, versions, rssMethod: options.rss, floorMethod, options: { ...options, only: [...options.only] }, seed: seedReport, rows, pairs, workqueue, watchq, hooks, shards, profiles, failures }, null, 2)}\n`,
  );
  process.stdout.write(`\n${table}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  log(`results in ${relative(process.cwd(), join(outDir, 'results.md'))} and results.json (${(totalMs / 1000).toFixed(0)} s)`);
  for (const f of failures) log(`not measured: ${f}`);
  return failures.length > 0 ? 1 : 0;
}

/** `sync`, then drops clean pages from the page cache when this process may (root). */
async function settlePageCache(): Promise<string> {
  await new Promise<void>((resolve) => spawn('sync', [], { stdio: 'ignore' }).once('close', () => resolve()).once('error', () => resolve()));
  try {
    await writeFile('/proc/sys/vm/drop_caches', '1\n');
    return 'written back and dropped before measuring';
  } catch {
    return 'written back (not dropped: no permission); peak RSS may include cached pages of executables built just now';
  }
}

/** Runs each side once keeping stdout: both must succeed and should print as many lines. */
async function checkSameOutput(pair: ProcessPair, options: MeasureOptions): Promise<Checked> {
  const [ours, theirs] = [await capture(pair.oursCommand, options), await capture(pair.kubectlCommand, options)];
  for (const [who, r, c] of [['ours', ours, pair.oursCommand], ['kubectl', theirs, pair.kubectlCommand]] as const) {
    if (r.exitCode !== 0) throw new Error(`${who}: ${[c.file, ...c.args].join(' ')} exited ${r.exitCode}: ${r.stderr.trim().slice(0, 1000)}`);
  }
  const lines = (s: string) => s.split('\n').filter((l) => l !== '').length;
  const checked: Checked = { oursLines: lines(ours.stdout), kubectlLines: lines(theirs.stdout) };
  // Other users of the cluster may add or remove objects between the two runs: warn only.
  if (checked.oursLines !== checked.kubectlLines) checked.warning = `ours printed ${checked.oursLines} lines, kubectl ${checked.kubectlLines}`;
  return checked;
}

async function collectVersions(kubectl: string, lsres: string, env: NodeJS.ProcessEnv, transport: ReturnType<typeof benchTransport>) {
  const out = (file: string, args: string[]) =>
    new Promise<string>((resolve) => {
      const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (text += c));
      child.once('error', () => resolve(''));
      child.once('close', () => resolve(text.trim()));
    });
  const kubectlJson = await out(kubectl, ['version', '--client', '-o', 'json']);
  let kubectlVersion = 'unknown';
  try {
    kubectlVersion = (JSON.parse(kubectlJson) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
  } catch {
    // keep 'unknown'
  }
  const res = await transport.request({ path: '/version' });
  const server = res.status === 200 ? (JSON.parse(res.body.toString('utf8')) as { gitVersion: string }).gitVersion : 'unknown';
  return { ours: (await out(lsres, ['--version'])).replace(/^kubectl-lsres\s+/, '') || 'unknown', kubectl: kubectlVersion, server };
}

/**
 * watchq's bench lives in scripts/bench/watchq.ts (written separately): imported when it is
 * there, else a "not measured" row.
 */
async function runWatchq(kubeconfig: string): Promise<{ rows: Row[]; result?: unknown; error?: string }> {
  const goal: Goal = { minOurs: 2_000, text: '≥ 2,000 events/s, p99 ≤ 50 ms, flat memory' };
  const file = join(import.meta.dirname, 'watchq.ts');
  if (!existsSync(file)) return { rows: [notMeasured('watchq events → handler', goal, 'not measured (scripts/bench/watchq.ts does not exist yet)')] };
  try {
    const mod = (await import(pathToFileURL(file).href)) as { runWatchqBench?: (options?: { kubeconfig?: string }) => Promise<unknown> };
    if (typeof mod.runWatchqBench !== 'function') return { rows: [notMeasured('watchq events → handler', goal, 'not measured (watchq.ts exports no runWatchqBench)')] };
    log('watchq: runWatchqBench()…');
    const result = await mod.runWatchqBench({ kubeconfig });
    return { rows: watchqRows(result, goal), result };
  } catch (error) {
    log(`watchq: FAILED: ${(error as Error).message}`);
    return { rows: [notMeasured('watchq events → handler', goal, 'failed (see stderr)')], error: (error as Error).message };
  }
}

/** Rows from whatever runWatchqBench returns: its own `rows` if it gives them, else a summary. */
function watchqRows(result: unknown, goal: Goal): Row[] {
  const r = result as { rows?: Row[]; meetsGoal?: boolean; summary?: string } | null;
  if (r && Array.isArray(r.rows)) return r.rows;
  return [notMeasured('watchq events → handler', goal, r?.summary ?? 'see dist/bench/results.json (watchq)')].map((x) => ({ ...x, met: typeof r?.meetsGoal === 'boolean' ? r.meetsGoal : null }));
}

function describeSeed(report: SeedReport): string {
  const parts = Object.keys(report.reused).map((kind) => {
    const created = report.created[kind] ?? 0;
    const reused = report.reused[kind] ?? 0;
    return `${kind} ${created + reused}${created > 0 ? ` (${created} new)` : ''}`;
  });
  return parts.join(', ');
}

function commandLine(): string {
  const args = process.argv.slice(2);
  const viaNpm = process.env['npm_lifecycle_event'] === 'bench';
  return viaNpm ? `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}` : `node scripts/bench/main.ts${args.length > 0 ? ` ${args.join(' ')}` : ''}`;
}

function npmRun(script: string): Promise<void> {
  const npmCli = process.env['npm_execpath'];
  const [file, args] = npmCli ? [process.execPath, [npmCli, 'run', script]] : ['npm', ['run', script]];
  return new Promise((resolve, reject) => {
    // The build logs on stdout; keep ours for the table.
    const child = spawn(file, args, { cwd: repoRoot, stdio: ['ignore', process.stderr, process.stderr] });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run ${script} exited ${code}`))));
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
