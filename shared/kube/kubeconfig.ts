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
import { parseBlockYaml } from './block-yaml.ts';
import { ConfigError } from '../errors.ts';
import { checkFields, checkNamedList, clusterFields, configFields, contextFields, userFields } from './kubeconfig-fields.ts';

/**
 * The kubeconfig v1 fields, spelled as client-go's `tools/clientcmd/api/v1` types spell them
 * (mostly kebab-case, but `tokenFile`, and the exec fields, are camelCase). Every field of those
 * types is here; rest-config.ts says what each one does, or refuses it by name.
 */
export interface NamedExtension {
  name: string;
  extension: unknown;
}

export interface ClusterEntry {
  server?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority'?: string;
  /** Base64 of the PEM bundle. */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  /** `client.authentication.k8s.io/exec` is handed to exec plugins (provideClusterInfo). */
  extensions?: NamedExtension[];
}

export interface ExecEnvVar {
  name: string;
  value: string;
}

export type ExecInteractiveMode = 'Never' | 'IfAvailable' | 'Always';

export interface ExecConfig {
  command: string;
  args?: string[] | null;
  env?: ExecEnvVar[] | null;
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: ExecInteractiveMode;
}

export interface AuthProviderConfig {
  name: string;
  config?: Record<string, string> | null;
}

export interface UserEntry {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[];
  'as-user-extra'?: Record<string, string[]>;
  username?: string;
  password?: string;
  'auth-provider'?: AuthProviderConfig;
  exec?: ExecConfig;
  extensions?: NamedExtension[];
}

export interface ContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
  extensions?: NamedExtension[];
}

export interface Preferences {
  colors?: boolean;
  extensions?: NamedExtension[];
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
  preferences?: Preferences;
  extensions?: NamedExtension[];
}

/**
 * Parses one file as kubectl does: YAML 1.1 (`yes`/`on` are booleans, as sigs.k8s.io/yaml reads
 * them), unknown fields ignored, known fields of the wrong type refused by name.
 */
export function parseKubeconfig(text: string, file: string): RawKubeconfig {
  let doc: unknown;
  try {
    doc = parseBlockYaml(text) ?? fullYaml().parse(text, { logLevel: 'error', version: '1.1' });
  } catch (cause) {
    const line = (cause as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw new ConfigError(`cannot parse kubeconfig ${file}${line ? ` (line ${line})` : ''}: malformed YAML`, { cause });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`cannot parse kubeconfig ${file}: not a kubeconfig (expected a mapping)`);
  const raw = doc as Record<string, unknown>;
  checkNamedList(file, 'clusters', 'cluster', raw.clusters, clusterFields);
  checkNamedList(file, 'users', 'user', raw.users, userFields);
  checkNamedList(file, 'contexts', 'context', raw.contexts, contextFields);
  checkFields(file, 'config', raw, configFields);
  return raw as RawKubeconfig;
}

/**
 * The `yaml` package, loaded on first use: most kubeconfigs never need it (block-yaml.ts reads
 * them). In the bundle `require` is esbuild's, which makes the module's evaluation lazy; run from
 * source (ESM), Node's own require finds it.
 */
function fullYaml(): typeof import('yaml') {
  return typeof require === 'function' ? require('yaml') : process.getBuiltinModule('node:module').createRequire(import.meta.url)('yaml');
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
    resolvePath(user, 'tokenFile', baseDir);
    // A command with a slash is a path relative to this file; a bare name is looked up on PATH.
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
