/**
 * How low a Node single executable can go on the everyday small call (issue 18): node-floor/main.ts
 * built the way the plugins are (the stripped pinned Node, the same esbuild options, a code
 * cache) and run beside `dynget aiops` and `kubectl get myresources`. What the plugin spends above
 * it is ours (flags, kubeconfig, discovery, printing); what it spends above kubectl is the runtime.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { loadRestConfig } from '../../shared/kube/rest-config.ts';
import { esbuildOptions } from '../sea/bundle.ts';
import { buildSea, builderNode, checkBuilderNode } from '../sea/sea.ts';
import { strippedNode } from '../sea/strip-node.ts';
import { hostTarget, pinnedNodeVersion } from '../sea/targets.ts';

/** The kubeconfig's server and client certificate (as floor.ts reads them), as files for the floor's argv. */
async function credentialFiles(kubeconfig: string, dir: string): Promise<{ server: string; files: [string, string, string] }> {
  const config = loadRestConfig({ kubeconfig });
  if (!config.ca || !config.cert || !config.key) throw new Error(`the floor needs a client certificate, key and CA in ${kubeconfig}`);
  const files = ['ca.crt', 'client.crt', 'client.key'].map((f) => join(dir, f)) as [string, string, string];
  await Promise.all([config.ca, config.cert, config.key].map((data, i) => writeFile(files[i]!, data, { mode: 0o600 })));
  return { server: config.server, files };
}

/** Builds the floor executable in `dir`; returns the argv that lists `namespace`'s MyResources. */
export async function buildNodeFloor(kubeconfig: string, namespace: string, dir: string): Promise<{ file: string; args: string[] }> {
  await mkdir(dir, { recursive: true });
  const target = hostTarget();
  if (target === undefined) throw new Error(`no release target for this host (${process.platform}/${process.arch})`);
  const version = await checkBuilderNode(pinnedNodeVersion());
  await esbuild.build({ ...esbuildOptions([], dir), entryPoints: { floor: join(import.meta.dirname, 'node-floor', 'main.ts') } });
  const file = join(dir, 'kubectl-floor');
  const base = await strippedNode(target, builderNode(), version);
  await buildSea({ main: join(dir, 'floor.cjs'), executable: base.path, output: file, useCodeCache: true, workDir: join(dir, 'work'), macho: false }, version);
  const { server, files } = await credentialFiles(kubeconfig, dir);
  return { file, args: [`${server}/apis/aiops.org/v1alpha1/namespaces/${namespace}/myresources?limit=500`, ...files] };
}
