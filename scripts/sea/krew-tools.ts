/**
 * krew and its manifest validator, built from Go modules (scripts/krew-check pins
 * sigs.k8s.io/krew) into <cache>/bin. Go is needed only for these checks, never for a release.
 *
 * Usage: node scripts/sea/krew-tools.ts   (builds them when missing; prints their paths)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot, repoRoot } from './targets.ts';
import { withLock } from './tasks.ts';

const run = promisify(execFile);

export interface KrewTools {
  krew: string;
  validator: string;
}

export const toolsBin = (): string => join(cacheRoot(), 'bin');

export const krewTools = (): KrewTools => ({
  krew: join(toolsBin(), 'krew'),
  validator: join(toolsBin(), 'validate-krew-manifest'),
});

const built = (tools: KrewTools): boolean => existsSync(tools.krew) && existsSync(tools.validator);

/**
 * Builds the tools when missing (`go install`, a few minutes the first time). Test files asking
 * at once take turns: one builds, the others find the tools built.
 */
export async function ensureKrewTools(log: (line: string) => void = () => {}): Promise<KrewTools> {
  const tools = krewTools();
  if (built(tools)) return tools;
  await mkdir(toolsBin(), { recursive: true });
  return withLock(join(toolsBin(), '.krew-tools.lock'), async () => (built(tools) ? tools : goInstall(tools, log)));
}

async function goInstall(tools: KrewTools, log: (line: string) => void): Promise<KrewTools> {
  log(`go install krew and validate-krew-manifest into ${toolsBin()}`);
  try {
    await run('go', ['install', 'sigs.k8s.io/krew/cmd/krew', 'sigs.k8s.io/krew/cmd/validate-krew-manifest'], {
      cwd: join(repoRoot, 'scripts', 'krew-check'),
      env: { ...process.env, GOBIN: toolsBin() },
      maxBuffer: 16 << 20,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('go is not installed: it is needed to build krew for these checks', { cause: error });
    throw new Error(`go install failed: ${e.stderr ?? e.message}`, { cause: error });
  }
  return tools;
}

if (import.meta.main) {
  const tools = await ensureKrewTools((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${tools.krew}\n${tools.validator}\n`);
}
