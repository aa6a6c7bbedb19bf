/**
 * Cross-built executables: every staged one carries the SEA (fuse flipped, blob where its
 * platform's loader looks, the bundle inside), and linux_arm64 runs under qemu-aarch64 (with the
 * arm64 cross libraries as sysroot). Skipped, saying why, when the emulator or the staged
 * binaries (npm run release) are missing.
 *
 * Not run: macOS (no emulator; macho.test.ts checks the signatures), and Windows: under Wine 8
 * even the official node.exe stops at V8 start-up ("Fatal process out of memory:
 * SegmentedTable::InitializeTable"), so a run there would test Wine, not us.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseMachO } from '../../../scripts/sea/macho.ts';
import { SEA_FUSE } from '../../../scripts/sea/sea.ts';
import { binaryName, findTarget, hostTarget, paths, releaseVersion, targetName, targets, type Target } from '../../../scripts/sea/targets.ts';

const run = promisify(execFile);

const onPath = (name: string): string | undefined =>
  (process.env['PATH'] ?? '')
    .split(':')
    .map((dir) => join(dir, name))
    .find((p) => p !== name && existsSync(p));

interface Emulator {
  target: Target;
  /** Why it cannot run here, or undefined. */
  missing: () => string | undefined;
  command: (binary: string, args: string[], home: string) => [string, string[], NodeJS.ProcessEnv];
}

const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';

const emulators: Emulator[] = [
  {
    target: findTarget('linux_arm64'),
    missing: () =>
      onPath('qemu-aarch64') === undefined || !existsSync(join(ARM64_SYSROOT, 'lib', 'libatomic.so.1'))
        ? 'needs qemu-aarch64 and the arm64 libraries (apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross libatomic1-arm64-cross)'
        : undefined,
    command: (binary, args, home) => ['qemu-aarch64', ['-L', ARM64_SYSROOT, binary, ...args], { PATH: process.env['PATH'], HOME: home }],
  },
];

for (const target of targets) {
  const binary = join(paths.stage, targetName(target), binaryName('lsres', target));
  const bundle = join(paths.bundle, `${binaryName('lsres')}.cjs`);
  const ready = existsSync(binary) && existsSync(bundle);
  (ready ? test : test.skip)(`the ${targetName(target)} kubectl-lsres carries the SEA blob where its loader looks${ready ? '' : ` (skipped: ${binary} missing, run npm run release)`}`, async (t) => {
    const image = await readFile(binary);
    t.true(image.includes(`${SEA_FUSE}:1`), 'the fuse is flipped');
    t.false(image.includes(`${SEA_FUSE}:0`));
    // The bundle's source is in the blob as is, when the stage was built from the current bundle.
    const source = await readFile(bundle);
    const stamp = join(paths.state, `sea-${targetName(target)}-${binaryName('lsres', target)}.json`);
    const built = existsSync(stamp) ? (JSON.parse(await readFile(stamp, 'utf8')) as { bundleSha256?: string }).bundleSha256 : undefined;
    // The host target's stage is a copy of dist/bin (same size and mtime while it is current).
    const copyOf = join(paths.bin, binaryName('lsres', target));
    const [a, b] = await Promise.all([stat(binary), stat(copyOf).catch(() => undefined)]);
    const hostCopyCurrent = target !== hostTarget() || (a.size === b?.size && Math.abs(a.mtimeMs - b.mtimeMs) < 1);
    if (built === createHash('sha256').update(source).digest('hex') && hostCopyCurrent) {
      t.true(image.includes(source.subarray(source.length - 4096)), 'the bundle is embedded');
    } else {
      t.log('the staged binary predates the current bundle (npm run release): bundle content not compared');
    }
    if (target.os === 'darwin') {
      const seg = parseMachO(image).segments.find((x) => x.segname === 'NODE_SEA');
      t.is(seg?.sections[0]?.sectname, '__NODE_SEA_BLOB', 'Mach-O segment NODE_SEA, section __NODE_SEA_BLOB');
    } else if (target.os === 'windows') {
      t.true(image.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le')), 'PE resource named NODE_SEA_BLOB');
    } else {
      t.true(image.includes(Buffer.from('NODE_SEA_BLOB\0')), 'ELF note named NODE_SEA_BLOB');
    }
  });
}

for (const emulator of emulators) {
  const name = targetName(emulator.target);
  const binary = join(paths.stage, name, binaryName('lsres', emulator.target));
  const why = emulator.missing() ?? (existsSync(binary) ? undefined : `${binary} missing (npm run release)`);
  (why === undefined ? test : test.skip)(`the ${name} kubectl-lsres runs --version and --help under emulation${why === undefined ? '' : ` (skipped: ${why})`}`, async (t) => {
    t.timeout(240_000);
    const home = await mkdtemp(join(tmpdir(), `emulate-${name}-`));
    try {
      const [cmd, args, env] = emulator.command(binary, ['--version'], home);
      const version = await run(cmd, args, { env, timeout: 180_000 });
      t.is(version.stdout.trim(), `kubectl-lsres v${releaseVersion()}`);
      const [cmd2, args2, env2] = emulator.command(binary, ['--help'], home);
      const help = await run(cmd2, args2, { env: env2, timeout: 180_000 });
      t.regex(help.stdout, /kubectl lsres/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
}
