/**
 * Node's official binaries carry their symbol tables (the linux-x64 one is 150 MB, 116 MB
 * without): every executable is built on a stripped copy, made once per binary and kept in the
 * cache beside the original (<cache>/node-bin/stripped/<package>-<version>/).
 *
 * - ELF (linux): `--strip-all` drops .symtab and debug sections; .dynsym, which native addons
 *   link against, stays. GNU strip reads only the host's ELF; llvm-strip reads every target.
 * - Mach-O (darwin): `-x` drops local symbols only; the exported ones (addons resolve against
 *   them) stay. Only llvm-strip reads Mach-O. The signature it invalidates is replaced by the
 *   ad-hoc one every darwin executable gets after injection (macho-sign.ts).
 * - PE (windows): Node ships node.exe without symbols (they are in a separate .pdb): used as is.
 *
 * Without a tool that reads the format, the binary is used unstripped and the build says so.
 * The copy is checked against the sha256 recorded when it was made, so a damaged cache entry is
 * made again rather than injected into.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { digestFile } from './runtime-integrity.ts';
import { writeFileAtomic } from './tasks.ts';
import { cacheRoot, hostTarget, targetName, type Target } from './targets.ts';

const run = promisify(execFile);

export interface StripCommand {
  command: string;
  args: string[];
}

/**
 * How to strip a binary of `target` (`input` → `output`), given the tools on PATH; undefined
 * when none reads its format or it has nothing to strip.
 */
export function stripCommand(target: Target, input: string, output: string, has: (tool: string) => boolean, host: Target | undefined = hostTarget()): StripCommand | undefined {
  if (target.os === 'windows') return undefined;
  const flags = target.os === 'darwin' ? ['-x'] : ['--strip-all'];
  if (has('llvm-strip')) return { command: 'llvm-strip', args: [...flags, '-o', output, input] };
  const hostElf = host !== undefined && host.os === 'linux' && target.os === 'linux' && target.arch === host.arch;
  if (hostElf && has('strip')) return { command: 'strip', args: [...flags, '-o', output, input] };
  return undefined;
}

export const strippedDir = (t: Target, version: string): string => join(cacheRoot(), 'node-bin', 'stripped', `${t.npmPackage}-${version}`);

interface StripStamp {
  /** sha256 of the binary it was made from, and of the result. */
  source: string;
  sha256: string;
  tool: string;
}

function onPath(tool: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, tool)));
}

export interface StrippedNode {
  path: string;
  /** What was done, for the build log. */
  note: string;
}

/**
 * A stripped copy of `source` (an official Node binary for `target`, already verified), or
 * `source` itself when it cannot be stripped here.
 */
export async function strippedNode(target: Target, source: string, version: string, has: (tool: string) => boolean = onPath): Promise<StrippedNode> {
  const dir = strippedDir(target, version);
  const output = join(dir, source.endsWith('.exe') ? 'node.exe' : 'node');
  const stampFile = join(dir, 'stamp.json');
  const tmp = `${output}.tmp-${process.pid}`;
  const command = stripCommand(target, source, tmp, has);
  if (command === undefined) {
    return { path: source, note: target.os === 'windows' ? 'node.exe as Node ships it (no symbols to strip)' : `not stripped: no llvm-strip for ${targetName(target)} binaries` };
  }
  const sourceSha = await digestFile(source, 'sha256', 'hex');
  if (existsSync(output) && existsSync(stampFile)) {
    const stamp = JSON.parse(await readFile(stampFile, 'utf8')) as StripStamp;
    if (stamp.source === sourceSha && stamp.sha256 === (await digestFile(output, 'sha256', 'hex'))) {
      return { path: output, note: `stripped (${stamp.tool}, cached)` };
    }
  }
  await mkdir(dir, { recursive: true });
  try {
    await run(command.command, command.args, { maxBuffer: 1 << 20 });
    await rename(tmp, output);
  } finally {
    await rm(tmp, { force: true });
  }
  const stamp: StripStamp = { source: sourceSha, sha256: await digestFile(output, 'sha256', 'hex'), tool: command.command };
  await writeFileAtomic(stampFile, JSON.stringify(stamp));
  const [before, after] = await Promise.all([stat(source), stat(output)]);
  return { path: output, note: `stripped with ${command.command}: ${(before.size / 2 ** 20).toFixed(1)} → ${(after.size / 2 ** 20).toFixed(1)} MiB` };
}
