/**
 * Before/after figures for a change, without two full builds: bundle the working tree, make the
 * change, bundle again, then time the two bundles in alternation against the real cluster.
 *
 *   node scripts/bench/ab.ts bundle DIR                     esbuild every plugin into DIR (the build's options)
 *   node scripts/bench/ab.ts compare [--runs N] BEFORE AFTER PLUGIN [ARGS...]
 *   e.g. node scripts/bench/ab.ts compare /tmp/before /tmp/after lsres -n bench-lsres
 *
 * `compare` runs `node BEFORE/kubectl-PLUGIN.cjs ARGS` and `node AFTER/…` (the pinned Node; the
 * bundles, not single executables: V8 on Node, not the executables' Bun), or
 * `BEFORE/kubectl-PLUGIN` itself when a directory holds executables (dist/bin of two checkouts),
 * with KUBECONFIG set to the local cluster's, and prints wall, CPU and peak RSS medians as JSON.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { clusterPaths } from '../cluster/paths.ts';
import { esbuildOptions } from '../sea/bundle.ts';
import { interleave } from './interleave.ts';
import { defaultRssMethod, measure, type Command } from './measure.ts';

export async function bundleTo(dir: string, plugins: string[]): Promise<void> {
  await esbuild.build({ ...esbuildOptions(plugins, dir), metafile: false, write: true });
}

export async function compare(before: string, after: string, plugin: string, args: string[], runs: number) {
  const scratch = await mkdtemp(join(os.tmpdir(), 'bench-ab-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: process.env['KUBECONFIG'] ?? clusterPaths().kubeconfig, KUBECACHEDIR: join(scratch, 'cache') };
    delete env['NODE_OPTIONS'];
    const options = { rss: defaultRssMethod(), scratchDir: scratch };
    const command = (dir: string): Command => {
      const bundle = join(dir, `kubectl-${plugin}.cjs`);
      return existsSync(bundle) ? { file: process.execPath, args: [bundle, ...args], env } : { file: join(dir, `kubectl-${plugin}`), args, env };
    };
    const r = await interleave(() => measure(command(before), options), () => measure(command(after), options), { runs, warmup: 2 });
    const side = (s: typeof r.a) => ({ wallMs: Math.round(s.wallMs.median), cpuMs: s.cpuMs?.median ?? null, peakRssMiB: s.peakRssKb ? Math.round(s.peakRssKb.median / 1024) : null });
    return { command: `${plugin} ${args.join(' ')}`, runs, before: side(r.a), after: side(r.b), wallRatio: Number((r.b.wallMs.median / r.a.wallMs.median).toFixed(2)), loadavg: os.loadavg()[0] };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'bundle' && rest[0]) {
    await bundleTo(rest[0], ['lsres', 'dynget']);
  } else if (mode === 'compare') {
    // The plugin's own flags follow: only a leading --runs is ours.
    const runs = rest[0] === '--runs' ? Number(rest.splice(0, 2)[1]) : 15;
    const [before, after, plugin, ...args] = rest;
    if (!before || !after || !plugin || !Number.isInteger(runs) || runs < 1) throw new Error('usage: ab.ts compare [--runs N] BEFORE AFTER PLUGIN [ARGS...]');
    process.stdout.write(`${JSON.stringify(await compare(before, after, plugin, args, runs), null, 2)}\n`);
  } else {
    process.stderr.write('usage: node scripts/bench/ab.ts bundle DIR | compare [--runs N] BEFORE AFTER PLUGIN [ARGS...]\n');
    process.exitCode = 2;
  }
}
