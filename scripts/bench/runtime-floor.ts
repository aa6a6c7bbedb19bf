/**
 * How low a single executable of our runtime can go on the everyday small call: runtime-floor/main.ts
 * built the way the plugins are (the same esbuild options, the pinned Bun, bytecode) and run
 * beside `dynget aiops` and `kubectl get myresources`. What the plugin spends above
 * it is ours (flags, kubeconfig, discovery, printing); what it spends above kubectl is the runtime.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { loadRestConfig } from '../../shared/kube/rest-config.ts';
import { esbuildOptions } from '../sea/bundle.ts';
import { makeExecutable } from '../sea/executable.ts';
import { hardenedRuntime } from '../sea/harden-runtime.ts';
import { fetchRuntimeBinary } from '../sea/runtime-binaries.ts';
import { bunRuntime } from '../sea/runtime-integrity.ts';
import { hostTarget, pinnedBunVersion } from '../sea/targets.ts';

/** The kubeconfig's server and client certificate (as floor.ts reads them), as files for the floor's argv. */
async function credentialFiles(kubeconfig: string, dir: string): Promise<{ server: string; files: [string, string, string] }> {
  const config = loadRestConfig({ kubeconfig });
  if (!config.ca || !config.cert || !config.key) throw new Error(`the floor needs a client certificate, key and CA in ${kubeconfig}`);
  const files = ['ca.crt', 'client.crt', 'client.key'].map((f) => join(dir, f)) as [string, string, string];
  await Promise.all([config.ca, config.cert, config.key].map((data, i) => writeFile(files[i]!, data, { mode: 0o600 })));
  return { server: config.server, files };
}

/** Builds the floor executable in `dir`; returns the argv that lists `namespace`'s MyResources. */
export async function buildRuntimeFloor(kubeconfig: string, namespace: string, dir: string): Promise<{ file: string; args: string[] }> {
  await mkdir(dir, { recursive: true });
  const target = hostTarget();
  if (target === undefined) throw new Error(`no release target for this host (${process.platform}/${process.arch})`);
  const bun = await fetchRuntimeBinary(bunRuntime, target, pinnedBunVersion());
  await esbuild.build({ ...esbuildOptions([], dir), entryPoints: { floor: join(import.meta.dirname, 'runtime-floor', 'main.ts') } });
  const outfile = join(dir, 'floor.cjs');
  const sha256 = createHash('sha256').update(await readFile(outfile)).digest('hex');
  const file = join(dir, 'kubectl-floor');
  await makeExecutable({ plugin: 'floor', target, bundle: { plugin: 'floor', outfile, bytes: 0, eagerBytes: 0, sha256 }, builder: bun, runtime: await hardenedRuntime(bun, target), output: file, stateDir: join(dir, 'state') });
  const { server, files } = await credentialFiles(kubeconfig, dir);
  return { file, args: [`${server}/apis/aiops.org/v1alpha1/namespaces/${namespace}/myresources?limit=500`, ...files] };
}
