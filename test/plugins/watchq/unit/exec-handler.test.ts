import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { execHandler } from '../../../../plugins/watchq/exec-handler.ts';
import type { WorkItem } from '../../../../plugins/watchq/handler.ts';

const item: WorkItem = {
  key: 'default/web',
  event: 'sync',
  object: { kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } },
  attempt: 2,
  kind: 'Deployment',
};
const never = new AbortController().signal;

function collect(): { output: (chunk: Buffer) => void; text: () => string } {
  let text = '';
  return { output: (chunk) => (text += chunk.toString()), text: () => text };
}

test('the command gets the object on stdin and WATCHQ_* in its environment; exit 0 succeeds', async (t) => {
  const out = collect();
  const h = execHandler({ command: 'echo "$WATCHQ_KEY $WATCHQ_EVENT $WATCHQ_ATTEMPT $WATCHQ_KIND $WATCHQ_NAMESPACE $WATCHQ_NAME"; cat', timeoutMs: 5000, output: out.output });
  await h.handle(item, never);
  const [env, stdin] = out.text().split('\n');
  t.is(env, '[default/web] default/web sync 2 Deployment default web');
  t.deepEqual(JSON.parse(stdin!.slice('[default/web] '.length)), item.object);
});

test('every line the command prints is prefixed with its key, partial lines joined, the last one ended', async (t) => {
  const out = collect();
  const h = execHandler({ command: "printf 'one\\ntw'; sleep 0.05; printf 'o\\nthree'", timeoutMs: 5000, output: out.output });
  await h.handle(item, never);
  t.deepEqual(out.text().split('\n').sort(), ['', '[default/web] one', '[default/web] three', '[default/web] two']);
});

test('a non-zero exit is a failure naming the status and the last line the command wrote to stderr', async (t) => {
  const h = execHandler({ command: 'echo first >&2; echo "failing: no such secret" >&2; echo fine; exit 3', timeoutMs: 5000, output: () => {} });
  await t.throwsAsync(h.handle(item, never), { message: 'exec "echo first >&2; echo "failing: no such secret" >&2; echo fine; exit 3" exited with status 3: failing: no such secret' });
  const quiet = execHandler({ command: 'exit 4', timeoutMs: 5000, output: () => {} });
  await t.throwsAsync(quiet.handle(item, never), { message: 'exec "exit 4" exited with status 4' });
});

test('a command that ignores stdin is fine', async (t) => {
  const h = execHandler({ command: 'true', timeoutMs: 5000, output: () => {} });
  await t.notThrowsAsync(h.handle({ ...item, object: { big: 'x'.repeat(1 << 20) } }, never));
});

test('the timeout kills the whole process group and fails', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-timeout-'));
  const marker = path.join(dir, 'survived');
  // A child of the shell that would outlive a kill of the shell alone.
  const h = execHandler({ command: `(sleep 1; touch ${marker}) & sleep 30`, timeoutMs: 200, output: () => {} });
  const started = performance.now();
  await t.throwsAsync(h.handle(item, never), { message: /timed out after 200ms \(killed\)/ });
  t.true(performance.now() - started < 3000);
  await new Promise((resolve) => setTimeout(resolve, 1300));
  t.false(fs.existsSync(marker), 'the background child was killed too');
  fs.rmSync(dir, { recursive: true });
});

test('a command ignoring SIGTERM is killed after the grace period', async (t) => {
  const h = execHandler({ command: "trap '' TERM; sleep 30", timeoutMs: 100, killGraceMs: 200, output: () => {} });
  const started = performance.now();
  await t.throwsAsync(h.handle(item, never), { message: /timed out/ });
  t.true(performance.now() - started < 3000);
});

test('the abort signal (drain timeout) stops a running command', async (t) => {
  const controller = new AbortController();
  const h = execHandler({ command: 'sleep 30', timeoutMs: 0, output: () => {} });
  const run = h.handle(item, controller.signal);
  setTimeout(() => controller.abort(), 100);
  await t.throwsAsync(run, { message: /stopped while watchq shut down/ });
});

/** Whether a process exists (signal 0). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('after a timeout the whole group is killed once the grace period is over, even when the shell exited at SIGTERM', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-exec-'));
  const pidFile = path.join(dir, 'grandchild.pid');
  // The grandchild ignores SIGTERM and holds no pipe of ours; the shell dies of the SIGTERM.
  const command = `(trap '' TERM; exec sleep 30) </dev/null >/dev/null 2>&1 & echo $! > ${pidFile}; wait`;
  const h = execHandler({ command, timeoutMs: 300, killGraceMs: 400, output: () => {} });
  const started = Date.now();
  await t.throwsAsync(h.handle(item, never), { message: /timed out after 300ms \(killed\)/ });
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  t.true(Number.isInteger(pid) && pid > 0);
  t.true(alive(pid), 'the grandchild survives the SIGTERM (it ignores it)');
  while (alive(pid) && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
  // A zombie not yet reaped by init still answers signal 0: look at its state.
  const state = (() => {
    try {
      return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      return undefined;
    }
  })();
  t.true(state === undefined || state === 'Z', `grandchild ${pid} still running (state ${state})`);
  t.true(Date.now() - started >= 650, 'killed after the grace period, not before');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('WATCHQ_PATCH (also KUBERNETES_PATCH_PATH): carried out after exit 0; after a failure only ignoreHookError status patches; a refusal fails the run', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-patch-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const written: string[][] = [];
  let refuse = false;
  const writeBack = async (ops: Array<{ operation: string }>) => {
    written.push(ops.map((op) => op.operation));
    if (refuse) throw new Error('document 1 (line 1): Apply v1/Secret s: forbidden');
  };
  const ops = 'operation: Apply\nobject: {apiVersion: v1, kind: Secret, metadata: {name: s}}\n---\noperation: MergePatch\nkind: Deployment\nname: web\nsubresource: status\nignoreHookError: true\nmergePatch: {status: {x: 1}}\n';
  const file = path.join(dir, 'ops.yaml');
  fs.writeFileSync(file, ops);
  const hook = (status: number) => execHandler({ command: `[ "$WATCHQ_PATCH" = "$KUBERNETES_PATCH_PATH" ] && cat ${file} > "$KUBERNETES_PATCH_PATH"; exit ${status}`, timeoutMs: 5000, output: () => {}, resultDir: dir, writeBack });
  await hook(0).handle(item, never);
  await t.throwsAsync(hook(1).handle(item, never), { message: /exited with status 1$/ });
  t.deepEqual(written, [['Apply', 'MergePatch'], ['MergePatch']]);
  refuse = true;
  await t.throwsAsync(hook(0).handle(item, never), { message: 'write-back document 1 (line 1): Apply v1/Secret s: forbidden' });
  t.deepEqual(fs.readdirSync(dir), ['ops.yaml'], 'no file is left behind');
});

test('WATCHQ_PATCH that is not operations: a usage error naming the document; no file: nothing written', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchq-patch-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  let calls = 0;
  const writeBack = async () => void calls++;
  const bad = execHandler({ command: 'printf "operation: Frobnicate\\n" > "$WATCHQ_PATCH"', timeoutMs: 5000, output: () => {}, resultDir: dir, writeBack });
  const error = await t.throwsAsync(bad.handle(item, never));
  t.is(error!.message, '--exec "printf "operation: Frobnicate\\n" > "$WATCHQ_PATCH"" wrote to WATCHQ_PATCH, document 1 (line 1): unknown operation "Frobnicate"');
  t.is((error as { exitCode?: number }).exitCode, 2);
  await execHandler({ command: 'true', timeoutMs: 5000, output: () => {}, resultDir: dir, writeBack }).handle(item, never);
  t.is(calls, 0);
});
