/**
 * watchq's initial sync against client-go's (issue 18): `kubectl watchq configmaps -A -o json`
 * and scripts/bench/informer-go (a SharedInformerFactory informer + rate-limiting queue, one
 * worker printing the same JSON line per key), each timed from spawn until it has printed a line
 * for every ConfigMap in the cluster, then stopped. Peak RSS (VmHWM) and CPU time are read from
 * /proc at that moment, before the kill. The two run interleaved after a warm-up.
 *
 * client-go's generated clients ask for protobuf for built-in types (rest.Request's
 * UseProtobufAsDefault, client-go 1.36), while watchq, like kubectl, speaks JSON. So the pair is
 * measured twice: against client-go as it comes (the baseline), and against the same
 * program told to speak JSON (`-wire json`), the like-for-like wire format.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { interleave, type PairResult } from './interleave.ts';
import { readCpuMs, readVmHwm, type Command, type Sample } from './measure.ts';

const execFileAsync = promisify(execFile);
const goDir = join(import.meta.dirname, 'informer-go');

/**
 * Spawns `command` and resolves when it has printed `lines` lines naming a key. A retried or
 * dropped key (its hook failed) names a key too without being handled: that is an error.
 */
export function timeToLines(command: Command, lines: number, timeoutMs = 60_000): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command.file, command.args, { env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let rest = '';
    let stderr = '';
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const sample: Sample = { wallMs: performance.now() - started, peakRssKb: readVmHwm(child.pid), cpuMs: readCpuMs(child.pid), exitCode: 0 };
      child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(sample);
    };
    const timer = setTimeout(() => finish(new Error(`${command.file}: ${seen} of ${lines} keys after ${timeoutMs} ms`)), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const text = rest + chunk;
      const end = text.lastIndexOf('\n');
      rest = text.slice(end + 1);
      const failed = end < 0 ? null : /"event":"(?:retry|drop)"/.exec(text.slice(0, end));
      if (failed) {
        const line = text.slice(text.lastIndexOf('\n', failed.index) + 1, text.indexOf('\n', failed.index));
        finish(new Error(`${command.file}: a key's run failed: ${line.slice(0, 500)}`));
        return;
      }
      for (let i = text.indexOf('"key":'); i !== -1 && i < end; i = text.indexOf('"key":', i + 6)) seen++;
      if (seen >= lines) finish();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => finish(error));
    child.once('close', (code) => finish(new Error(`${command.file} exited ${code} after ${seen} of ${lines} keys: ${stderr.trim().slice(0, 500)}`)));
  });
}

/**
 * The ConfigMaps in the cluster (or in `namespace`), once namespaces being deleted (the watchq
 * bench's) are gone with theirs: the count must hold for every round.
 */
export async function countConfigMaps(kubectlFile: string, kubeconfig: string, log: (line: string) => void, namespace?: string): Promise<number> {
  const kubectl = (args: string[]) => execFileAsync(kubectlFile, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 << 20 });
  for (const deadline = Date.now() + 180_000; ; ) {
    const { stdout: namespaces } = await kubectl(['get', 'namespaces', '--no-headers']);
    if (!/\sTerminating\s/.test(namespaces)) break;
    if (Date.now() > deadline) throw new Error('namespaces still terminating after 180 s: the ConfigMap count would not hold');
    log('waiting for terminating namespaces to be gone…');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const { stdout } = await kubectl(['get', 'configmaps', ...(namespace === undefined ? ['-A'] : ['-n', namespace]), '-o', 'name']);
  return stdout.split('\n').filter((l) => l !== '').length;
}

/** Builds scripts/bench/informer-go into `dir`: the path of the executable. */
export async function buildInformer(dir: string): Promise<string> {
  const bin = join(dir, 'informer-sync');
  await execFileAsync('go', ['build', '-o', bin, '.'], { cwd: goDir, maxBuffer: 16 << 20 });
  return bin;
}

export interface WatchqSyncOptions {
  kubeconfig: string;
  kubectl: string;
  watchq: string;
  /** The same bundle run by V8 (the pinned Node), for JavaScriptCore's figures beside V8's. */
  watchqOnV8?: { file: string; args: string[] };
  runs: number;
  warmup: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface WatchqSyncResult extends PairResult {
  configMaps: number;
  /** watchq against the same client-go program on JSON (`-wire json`). */
  json: PairResult;
  /** watchq's bundle on V8 (the pinned Node) against client-go (protobuf). */
  v8?: PairResult;
}

export async function runWatchqSyncBench(o: WatchqSyncOptions): Promise<WatchqSyncResult> {
  const configMaps = await countConfigMaps(o.kubectl, o.kubeconfig, (line) => o.log(`watchq sync: ${line}`));
  const scratch = await mkdtemp(join(tmpdir(), 'watchq-sync-'));
  try {
    o.log(`watchq sync: building the client-go informer (${goDir})…`);
    const bin = await buildInformer(scratch);
    const ours: Command = { file: o.watchq, args: ['configmaps', '-A', '-o', 'json', '--kubeconfig', o.kubeconfig], env: o.env };
    const theirs: Command = { file: bin, args: ['--kubeconfig', o.kubeconfig], env: o.env };
    const theirsOnJson: Command = { ...theirs, args: [...theirs.args, '-wire', 'json'] };
    o.log(`watchq sync: ${configMaps.toLocaleString('en')} ConfigMaps, ${o.warmup} warm-up + ${o.runs} rounds (watchq, client-go)…`);
    const result = await interleave(() => timeToLines(ours, configMaps), () => timeToLines(theirs, configMaps), { runs: o.runs, warmup: o.warmup });
    o.log(`watchq sync: the same against client-go on JSON…`);
    const json = await interleave(() => timeToLines(ours, configMaps), () => timeToLines(theirsOnJson, configMaps), { runs: o.runs, warmup: o.warmup });
    let v8: PairResult | undefined;
    if (o.watchqOnV8) {
      o.log('watchq sync: the same bundle on V8 (the pinned Node) against client-go…');
      const onV8: Command = { file: o.watchqOnV8.file, args: [...o.watchqOnV8.args, ...ours.args], env: o.env };
      v8 = await interleave(() => timeToLines(onV8, configMaps), () => timeToLines(theirs, configMaps), { runs: o.runs, warmup: o.warmup });
    }
    return { ...result, configMaps, json, ...(v8 ? { v8 } : {}) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
