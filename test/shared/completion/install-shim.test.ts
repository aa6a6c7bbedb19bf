/**
 * Where `completion --install-kubectl-shim` writes the shim: beside the kubectl-<name> that
 * PATH (and so kubectl) finds, also when that is krew's link into its store.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installKubectlShim, invokedAs } from '../../../shared/completion/install-shim.ts';
import { UsageError } from '../../../shared/errors.ts';

/** A krew-like root: store/x/v1/kubectl-x, linked from bin/kubectl-x. */
function krewRoot(): { root: string; bin: string; store: string; link: string; exe: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-'));
  const bin = path.join(root, 'bin');
  const store = path.join(root, 'store', 'x', 'v1');
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(store, { recursive: true });
  const exe = path.join(store, 'kubectl-x');
  fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
  const link = path.join(bin, 'kubectl-x');
  fs.symlinkSync(path.relative(bin, exe), link);
  return { root, bin, store, link, exe };
}

test('run by kubectl through krew\'s link: the shim goes beside the link (on PATH), not into the store', (t) => {
  const k = krewRoot();
  const file = installKubectlShim('x', { execPath: k.exe, argv0: k.link, path: '' });
  t.is(file, path.join(k.bin, 'kubectl_complete-x'));
  t.regex(fs.readFileSync(file, 'utf8'), /^#!\/bin\/sh\n[^]*exec kubectl-x __complete "\$@"\n$/);
  t.is(fs.statSync(file).mode & 0o777, 0o755);
  t.false(fs.existsSync(path.join(k.store, 'kubectl_complete-x')));
  t.deepEqual(fs.readdirSync(k.bin).sort(), ['kubectl-x', 'kubectl_complete-x'], 'no temporary file left');
});

test('run by a shell as a bare name: the first PATH entry holding this executable', (t) => {
  const k = krewRoot();
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-other-'));
  // Another kubectl-x earlier on PATH is not this one: skipped.
  fs.writeFileSync(path.join(other, 'kubectl-x'), 'other\n', { mode: 0o755 });
  const PATH = ['/nonexistent', other, '', k.bin].join(path.delimiter);
  t.is(invokedAs('x', { execPath: k.exe, argv0: 'kubectl-x', path: PATH }), path.join(k.bin, 'kubectl-x'));
});

test('argv[0] that is not this executable is not trusted', (t) => {
  const k = krewRoot();
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-other-'));
  fs.writeFileSync(path.join(other, 'kubectl-x'), 'other\n');
  t.is(invokedAs('x', { execPath: k.exe, argv0: path.join(other, 'kubectl-x'), path: k.bin }), path.join(k.bin, 'kubectl-x'));
});

test('found nowhere on PATH: beside the executable itself', (t) => {
  const k = krewRoot();
  t.is(invokedAs('x', { execPath: k.exe, argv0: 'kubectl-x', path: '/nonexistent' }), k.exe);
});

test('not a kubectl-<name> binary (e.g. run from source by node): a usage error, nothing written', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-node-'));
  const node = path.join(dir, 'node');
  fs.writeFileSync(node, '');
  const error = t.throws(() => installKubectlShim('x', { execPath: node, argv0: node, path: dir }));
  t.true(error instanceof UsageError);
  t.regex(error!.message, /run this from the installed kubectl-x binary \(this is node\)/);
  t.deepEqual(fs.readdirSync(dir), ['node']);
});

test('a symlink where the shim goes is refused, and the file it points to is left as it was', (t) => {
  const k = krewRoot();
  const victim = path.join(k.root, 'victim');
  fs.writeFileSync(victim, 'precious\n');
  fs.symlinkSync(victim, path.join(k.bin, 'kubectl_complete-x'));
  const error = t.throws(() => installKubectlShim('x', { execPath: k.exe, argv0: k.link, path: '' }), { instanceOf: UsageError });
  t.regex(error!.message, /refusing to replace .*kubectl_complete-x: it is a symbolic link/);
  t.is(fs.readFileSync(victim, 'utf8'), 'precious\n');
  t.true(fs.lstatSync(path.join(k.bin, 'kubectl_complete-x')).isSymbolicLink());
  t.deepEqual(fs.readdirSync(k.bin).sort(), ['kubectl-x', 'kubectl_complete-x'], 'no temporary file left');
});

test('a file we did not write is not replaced; our own shim (installer or release archive) is', (t) => {
  const k = krewRoot();
  const shim = path.join(k.bin, 'kubectl_complete-x');
  fs.writeFileSync(shim, '#!/bin/sh\necho someone else\n', { mode: 0o755 });
  t.throws(() => installKubectlShim('x', { execPath: k.exe, argv0: k.link, path: '' }), { message: /it is not a completion shim written by kubectl-x/ });
  t.is(fs.readFileSync(shim, 'utf8'), '#!/bin/sh\necho someone else\n');
  // The release archive's shim (scripts/sea/completion-shim.ts) is ours.
  fs.writeFileSync(shim, '#!/bin/sh\n# kubectl plugin completion: kubectl runs kubectl_complete-x to complete "kubectl x".\nexec kubectl-x __complete "$@"\n');
  t.notThrows(() => installKubectlShim('x', { execPath: k.exe, argv0: k.link, path: '' }));
  t.notThrows(() => installKubectlShim('x', { execPath: k.exe, argv0: k.link, path: '' }), 'and again over its own');
  t.is(fs.statSync(shim).mode & 0o777, 0o755);
  // A directory or a FIFO there is refused too.
  fs.rmSync(shim);
  fs.mkdirSync(shim);
  t.throws(() => installKubectlShim('x', { execPath: k.exe, argv0: k.link, path: '' }), { message: /it is not a regular file/ });
});

test('the mode is 0755 whatever the umask', (t) => {
  const k = krewRoot();
  const old = process.umask(0o077);
  try {
    const file = installKubectlShim('x', { execPath: k.exe, argv0: k.link, path: '' });
    t.is(fs.statSync(file).mode & 0o777, 0o755);
  } finally {
    process.umask(old);
  }
});

const asRoot = process.getuid?.() === 0;
(asRoot ? test : test.skip)('a directory other users may write to is refused (world- or foreign-group-writable, or another owner)', (t) => {
  const ctx = () => {
    const k = krewRoot();
    return { k, run: () => installKubectlShim('x', { execPath: k.exe, argv0: k.link, path: '' }) };
  };
  const world = ctx();
  fs.chmodSync(world.k.bin, 0o1777);
  t.throws(world.run, { message: /refusing to write into .*: any user may write to it \(mode 777\)/ });
  const group = ctx();
  fs.chownSync(group.k.bin, 0, 54321);
  fs.chmodSync(group.k.bin, 0o775);
  t.throws(group.run, { message: /refusing to write into .*: group 54321 may write to it \(mode 775\)/ });
  const owner = ctx();
  fs.chownSync(owner.k.bin, 54321, 0);
  t.throws(owner.run, { message: /refusing to write into .*: it belongs to user 54321/ });
  for (const c of [world, group, owner]) t.deepEqual(fs.readdirSync(c.k.bin), ['kubectl-x'], 'nothing written');
  // Our own group may write: that is a user's private group.
  const own = ctx();
  fs.chmodSync(own.k.bin, 0o775);
  t.notThrows(own.run);
});
