/**
 * Cross-built executables: every staged one is Bun's runtime for its platform with the plugin's
 * module graph where Bun's loader looks for it (ELF section `.bun`, Mach-O segment `__BUN`, PE
 * section `.bun`, each ending in Bun's trailer), the plugin inside; linux_arm64 runs under
 * qemu-aarch64 (with the arm64 cross libraries as sysroot). Skipped, saying why, when the
 * emulator or the staged binaries (npm run release) are missing.
 *
 * Not run: macOS (no emulator; macho.test.ts checks the signatures).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseMachO } from '../../../scripts/sea/macho.ts';
import { binaryName, findTarget, paths, releaseVersion, targetName, targets, type Target } from '../../../scripts/sea/targets.ts';

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

/** Bun's standalone module graph ends with this trailer (src/StandaloneModuleGraph.zig). */
const BUN_TRAILER = '\n---- Bun! ----\n';

/** The section names of a PE image (COFF section headers after the optional header). */
function peSections(image: Buffer): string[] {
  const pe = image.readUInt32LE(0x3c);
  const count = image.readUInt16LE(pe + 6);
  const optional = image.readUInt16LE(pe + 20);
  const first = pe + 24 + optional;
  return Array.from({ length: count }, (_, i) => image.toString('latin1', first + i * 40, first + i * 40 + 8).replace(/\0+$/, ''));
}

/** The section names of an ELF64 image. */
function elfSections(image: Buffer): string[] {
  const shoff = Number(image.readBigUInt64LE(0x28));
  const size = image.readUInt16LE(0x3a);
  const count = image.readUInt16LE(0x3c);
  const strndx = image.readUInt16LE(0x3e);
  const strtab = Number(image.readBigUInt64LE(shoff + strndx * size + 0x18));
  return Array.from({ length: count }, (_, i) => {
    const name = strtab + image.readUInt32LE(shoff + i * size);
    return image.toString('latin1', name, image.indexOf(0, name));
  });
}

for (const target of targets) {
  const binary = join(paths.stage, targetName(target), binaryName('lsres', target));
  const ready = existsSync(binary);
  (ready ? test : test.skip)(`the ${targetName(target)} kubectl-lsres carries the plugin where Bun's loader looks${ready ? '' : ` (skipped: ${binary} missing, run npm run release)`}`, async (t) => {
    const image = await readFile(binary);
    t.true(image.includes(BUN_TRAILER), "Bun's module graph trailer");
    t.true(image.includes('List pods, deployments and services (or any resource types) like kubectl get.'), 'the plugin is embedded');
    if (target.os === 'darwin') {
      t.true(parseMachO(image).segments.some((x) => x.segname === '__BUN'), 'Mach-O segment __BUN');
    } else if (target.os === 'windows') {
      t.true(peSections(image).includes('.bun'), 'PE section .bun');
    } else {
      t.true(elfSections(image).includes('.bun'), 'ELF section .bun');
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
