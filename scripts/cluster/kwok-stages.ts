/**
 * kwok's Stage objects: which status transitions kwok applies to fake Nodes and Pods. kwok ships
 * them as kustomizations under `kustomize/stage/` in its Go module; we render the few we use into
 * one plain multi-document YAML file for `kwok --config`. Only `resources:` lists (files or
 * directories with their own kustomization) are supported, which is all these stages use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ClusterError } from './errors.ts';

/** The kustomizations under `<kwok module>/kustomize/stage/` that make nodes Ready and pods Running at once. */
export const stageKustomizations = ['node/fast', 'node/heartbeat-with-lease', 'pod/fast'];

export function renderStages(kwokModuleDir: string, kustomizations: string[] = stageKustomizations): string {
  const docs = kustomizations.flatMap((dir) => renderKustomization(path.join(kwokModuleDir, 'kustomize', 'stage', dir)));
  return `${docs.map((doc) => doc.trim()).join('\n---\n')}\n`;
}

/** The resource documents of the kustomization in `dir`, in order. */
export function renderKustomization(dir: string): string[] {
  const file = path.join(dir, 'kustomization.yaml');
  let kustomization: { resources?: unknown; [key: string]: unknown };
  try {
    kustomization = parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ClusterError(`cannot read kwok stage kustomization ${file}: ${(error as Error).message}`, { cause: error });
  }
  const unsupported = Object.keys(kustomization).filter((key) => !['apiVersion', 'kind', 'resources'].includes(key));
  if (unsupported.length > 0) {
    throw new ClusterError(`kwok stage kustomization ${file} uses ${unsupported.join(', ')}, which this renderer does not support`);
  }
  const resources = Array.isArray(kustomization.resources) ? (kustomization.resources as unknown[]) : [];
  return resources.flatMap((entry) => {
    const target = path.join(dir, String(entry));
    if (fs.statSync(target).isDirectory()) return renderKustomization(target);
    return fs
      .readFileSync(target, 'utf8')
      .split(/^---\s*$/m)
      .filter((doc) => doc.trim() !== '');
  });
}
