/**
 * `completion --install-kubectl-shim`: krew installs one binary per plugin, so the
 * `kubectl_complete-<name>` shim that kubectl's completion looks for is written by the plugin
 * itself, into the directory of PATH that kubectl finds the plugin in.
 *
 * That is not the directory of the executable itself: krew puts the executable in
 * `$KREW_ROOT/store/<name>/<version>/` and links it from `$KREW_ROOT/bin/` (on PATH), and the
 * kernel resolves the link, so `process.execPath` is the store's copy. A shim written there is
 * never found (PATH does not reach the store) and an upgrade deletes it with the old version.
 * The link is what kubectl ran: kubectl passes the path it found as argv[0].
 *
 * The directory is on PATH, so what lands there runs: the write follows no link and replaces
 * nothing it should not. The shim is written to a new temporary file (`wx`: never an existing
 * file or a link's target), set to 0755 and renamed into place (a rename replaces the entry, it
 * does not follow it). Refused, with nothing written: a destination that is a symlink, not a
 * regular file, not ours, or not a shim we wrote; a directory that other users may write to
 * (world-writable, group-writable by a group not ours, or owned by another user than us or root).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { kubectlShim } from './shell-scripts.ts';

export interface ShimContext {
  /** The running executable, links resolved (`process.execPath`). */
  execPath: string;
  /** argv[0] as the caller passed it (`process.argv0`): kubectl passes the full path it found. */
  argv0: string;
  /** PATH, searched when argv[0] is a bare name (a shell ran `kubectl-<name>` itself). */
  path: string;
}

const sameFile = (a: string, b: string): boolean => {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
};

/**
 * The `kubectl-<name>` that started this process, as found on PATH (where the shim must go
 * beside it): argv[0] when it is a path to this executable; else the first PATH entry whose
 * `kubectl-<name>` is this executable; else the executable itself.
 */
export function invokedAs(name: string, ctx: ShimContext): string {
  const binary = `kubectl-${name}`;
  if (ctx.argv0.includes(path.sep) && path.basename(ctx.argv0).startsWith(binary) && sameFile(ctx.argv0, ctx.execPath)) {
    return path.resolve(ctx.argv0);
  }
  for (const dir of ctx.path.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.resolve(dir, binary);
    if (sameFile(candidate, ctx.execPath)) return candidate;
  }
  return ctx.execPath;
}

/** Writes the shim next to the `kubectl-<name>` kubectl runs; returns the shim's path. */
export function installKubectlShim(
  name: string,
  ctx: ShimContext = { execPath: process.execPath, argv0: process.argv0, path: process.env['PATH'] ?? '' },
): string {
  const executable = invokedAs(name, ctx);
  if (!path.basename(executable).startsWith(`kubectl-${name}`)) {
    throw new UsageError(`run this from the installed kubectl-${name} binary (this is ${path.basename(executable)})`);
  }
  const dir = path.dirname(executable);
  const file = path.join(dir, `kubectl_complete-${name}`);
  checkDirectory(dir);
  checkDestination(file, name);
  // Through a new temporary name: a shell completing right now never runs half a script.
  const tmp = `${file}.tmp-${process.pid}-${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}`;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o755);
    fs.writeFileSync(fd, kubectlShim(name));
    fs.fchmodSync(fd, 0o755);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (cause) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  return file;
}

/** Who we are, where the platform says (not on Windows, where none of this applies). */
const me = (): { uid: number; gid: number } | undefined =>
  typeof process.getuid === 'function' && typeof process.getgid === 'function' ? { uid: process.getuid(), gid: process.getgid() } : undefined;

/** A directory on PATH that another user could write into is not one to put an executable in. */
function checkDirectory(dir: string): void {
  const self = me();
  if (self === undefined) return;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (cause) {
    throw new UsageError(`cannot write into ${dir}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
  if ((stat.mode & 0o002) !== 0) throw new UsageError(`refusing to write into ${dir}: any user may write to it (mode ${mode})`);
  if ((stat.mode & 0o020) !== 0 && stat.gid !== self.gid) {
    throw new UsageError(`refusing to write into ${dir}: group ${stat.gid} may write to it (mode ${mode})`);
  }
  if (stat.uid !== self.uid && stat.uid !== 0) throw new UsageError(`refusing to write into ${dir}: it belongs to user ${stat.uid}`);
}

/** The shims we write: this installer's and the release archives' (scripts/sea/completion-shim.ts). */
export function isOurShim(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^#!/bin/sh\n# (?:Shell completion for 'kubectl ${escaped}'|kubectl plugin completion: kubectl runs kubectl_complete-${escaped} )[^\n]*\nexec kubectl-${escaped} __complete "\\$@"\n$`).test(text);
}

/** Only a shim of ours is replaced: never a link, another kind of file, or a file someone else wrote. */
function checkDestination(file: string, name: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UsageError(`cannot write ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  if (stat.isSymbolicLink()) throw new UsageError(`refusing to replace ${file}: it is a symbolic link`, { hint: `remove it if it is yours: rm ${file}` });
  if (!stat.isFile()) throw new UsageError(`refusing to replace ${file}: it is not a regular file`);
  const self = me();
  if (self !== undefined && stat.uid !== self.uid) throw new UsageError(`refusing to replace ${file}: it belongs to user ${stat.uid}`);
  const text = stat.size <= 4096 ? readNoFollow(file) : undefined;
  if (text === undefined || !isOurShim(text, name)) {
    throw new UsageError(`refusing to replace ${file}: it is not a completion shim written by kubectl-${name}`, { hint: `remove it if it is yours: rm ${file}` });
  }
}

function readNoFollow(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    if (!fs.fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(4097);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return n > 4096 ? undefined : buf.toString('utf8', 0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
