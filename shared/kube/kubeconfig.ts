/**
 * Loading and merging kubeconfig files by kubectl's rules (client-go clientcmd):
 * - `--kubeconfig` names exactly one file, which must exist;
 * - otherwise every file in `KUBECONFIG` (path-list separated; missing ones are skipped) is merged,
 *   and the first file to set a value wins: cluster, user and context entries by name, and
 *   current-context. Duplicate names never fail;
 * - otherwise `~/.kube/config` if it exists.
 * Relative paths inside a file are resolved against that file's directory.
 * (client-node's own merge lets the last file win and throws on duplicates: we do not use it.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.ts';

export interface ClusterEntry {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

export interface ExecConfig {
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  apiVersion?: string;
  [key: string]: unknown;
}

export interface UserEntry {
  token?: string;
  'token-file'?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  as?: string;
  'as-groups'?: string[];
  exec?: ExecConfig;
  'auth-provider'?: { name: string; config?: Record<string, string> };
}

export interface ContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface Kubeconfig {
  clusters: Map<string, ClusterEntry>;
  users: Map<string, UserEntry>;
  contexts: Map<string, ContextEntry>;
  currentContext: string | undefined;
  /** The files that were read, in precedence order. */
  files: string[];
}

export interface KubeconfigSources {
  /** The `--kubeconfig` flag. */
  explicitPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** Which files to read, in precedence order; `explicit` when the user named the file. */
export function kubeconfigPaths(sources: KubeconfigSources): { paths: string[]; explicit: boolean } {
  if (sources.explicitPath) return { paths: [sources.explicitPath], explicit: true };
  const env = sources.env ?? process.env;
  const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).filter((p) => p.trim() !== '');
  if (fromEnv.length > 0) return { paths: [...new Set(fromEnv)], explicit: false };
  return { paths: [path.join(sources.homeDir ?? os.homedir(), '.kube', 'config')], explicit: false };
}

/** Reads and merges the files; returns undefined when no file exists and none was demanded. */
export function loadKubeconfig(sources: KubeconfigSources): Kubeconfig | undefined {
  const { paths, explicit } = kubeconfigPaths(sources);
  const merged: Kubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined, files: [] };
  for (const file of paths) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (!explicit && code === 'ENOENT') continue;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? cause);
      throw new ConfigError(`cannot read kubeconfig ${file}: ${why}`, { cause, hint: 'check --kubeconfig or KUBECONFIG' });
    }
    mergeInto(merged, parseKubeconfig(text, file), path.dirname(path.resolve(file)));
    merged.files.push(file);
  }
  return merged.files.length === 0 ? undefined : merged;
}

interface RawKubeconfig {
  clusters?: Array<{ name?: string; cluster?: ClusterEntry }>;
  users?: Array<{ name?: string; user?: UserEntry }>;
  contexts?: Array<{ name?: string; context?: ContextEntry }>;
  'current-context'?: string;
}

export function parseKubeconfig(text: string, file: string): RawKubeconfig {
  let doc: unknown;
  try {
    doc = parseYaml(text, { logLevel: 'error' });
  } catch (cause) {
    const line = (cause as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw new ConfigError(`cannot parse kubeconfig ${file}${line ? ` (line ${line})` : ''}: malformed YAML`, { cause });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`cannot parse kubeconfig ${file}: not a kubeconfig (expected a mapping)`);
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    const value = (doc as Record<string, unknown>)[key];
    if (value !== undefined && value !== null && !Array.isArray(value)) {
      throw new ConfigError(`cannot parse kubeconfig ${file}: "${key}" must be a list`);
    }
  }
  return doc as RawKubeconfig;
}

function mergeInto(target: Kubeconfig, raw: RawKubeconfig, baseDir: string): void {
  for (const entry of raw.clusters ?? []) {
    if (!entry?.name || target.clusters.has(entry.name)) continue;
    const cluster = { ...(entry.cluster ?? {}) };
    resolvePath(cluster, 'certificate-authority', baseDir);
    target.clusters.set(entry.name, cluster);
  }
  for (const entry of raw.users ?? []) {
    if (!entry?.name || target.users.has(entry.name)) continue;
    const user = { ...(entry.user ?? {}) };
    resolvePath(user, 'client-certificate', baseDir);
    resolvePath(user, 'client-key', baseDir);
    resolvePath(user, 'token-file', baseDir);
    if (user.exec?.command && user.exec.command.includes(path.sep) && !path.isAbsolute(user.exec.command)) {
      user.exec = { ...user.exec, command: path.join(baseDir, user.exec.command) };
    }
    target.users.set(entry.name, user);
  }
  for (const entry of raw.contexts ?? []) {
    if (!entry?.name || target.contexts.has(entry.name)) continue;
    target.contexts.set(entry.name, { ...(entry.context ?? {}) });
  }
  if (!target.currentContext && raw['current-context']) target.currentContext = raw['current-context'];
}

function resolvePath<K extends string>(obj: Partial<Record<K, unknown>>, key: K, baseDir: string): void {
  const value = obj[key];
  if (typeof value === 'string' && value !== '' && !path.isAbsolute(value)) obj[key] = path.join(baseDir, value);
}
