/**
 * Every field of a kubeconfig v1 file with the type client-go decodes it as (the structs of
 * `k8s.io/client-go/tools/clientcmd/api/v1`). kubectl ignores fields it does not know (the
 * decoder is not strict) but refuses a known field of the wrong type, and a `[]byte` field
 * (`*-data`) that is not base64; so do we, naming the field:
 * `users[0].user.tokenFile must be a string`.
 */
import { ConfigError } from '../errors.ts';

type Kind = 'string' | 'boolean' | 'strings' | 'base64' | 'stringMap' | 'stringsMap' | 'extensions' | 'env' | Fields;
interface Fields {
  readonly [field: string]: Kind;
}

const extensions = 'extensions';

export const clusterFields: Fields = {
  server: 'string',
  'tls-server-name': 'string',
  'insecure-skip-tls-verify': 'boolean',
  'certificate-authority': 'string',
  'certificate-authority-data': 'base64',
  'proxy-url': 'string',
  'disable-compression': 'boolean',
  extensions,
};

export const execFields: Fields = {
  command: 'string',
  args: 'strings',
  env: 'env',
  apiVersion: 'string',
  installHint: 'string',
  provideClusterInfo: 'boolean',
  interactiveMode: 'string',
};

export const userFields: Fields = {
  'client-certificate': 'string',
  'client-certificate-data': 'base64',
  'client-key': 'string',
  'client-key-data': 'base64',
  token: 'string',
  tokenFile: 'string',
  as: 'string',
  'as-uid': 'string',
  'as-groups': 'strings',
  'as-user-extra': 'stringsMap',
  username: 'string',
  password: 'string',
  'auth-provider': { name: 'string', config: 'stringMap' },
  exec: execFields,
  extensions,
};

export const contextFields: Fields = { cluster: 'string', user: 'string', namespace: 'string', extensions };

export const preferencesFields: Fields = { colors: 'boolean', extensions };

/** The top level: the named lists are checked entry by entry by `checkNamedList`. */
export const configFields: Fields = { kind: 'string', apiVersion: 'string', 'current-context': 'string', preferences: preferencesFields, extensions };

/** Throws a ConfigError for the first field of `value` (at `where`) whose type is wrong. */
export function checkFields(file: string, where: string, value: unknown, fields: Fields): void {
  if (value === null || value === undefined) return;
  if (!isMapping(value)) throw invalid(file, where, 'a mapping');
  for (const [name, kind] of Object.entries(fields)) {
    const field = value[name];
    if (field === null || field === undefined) continue;
    checkKind(file, `${where}.${name}`, field, kind);
  }
}

/** `clusters`, `users`, `contexts`: lists of `{name, <key>: {...}}`. */
export function checkNamedList(file: string, list: string, key: string, value: unknown, fields: Fields): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) throw new ConfigError(`cannot parse kubeconfig ${file}: "${list}" must be a list`);
  value.forEach((entry: unknown, i) => {
    const where = `${list}[${i}]`;
    if (!isMapping(entry)) throw invalid(file, where, 'a mapping');
    if (entry.name !== undefined && entry.name !== null && typeof entry.name !== 'string') throw invalid(file, `${where}.name`, 'a string');
    checkFields(file, `${where}.${key}`, entry[key], fields);
  });
}

function checkKind(file: string, where: string, value: unknown, kind: Kind): void {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw invalid(file, where, 'a string');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(file, where, 'true or false');
      return;
    case 'strings':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalid(file, where, 'a list of strings');
      return;
    case 'base64':
      if (typeof value !== 'string' || !isBase64(value)) throw invalid(file, where, 'base64 data');
      return;
    case 'stringMap':
      if (!isMapping(value) || !Object.values(value).every((v) => typeof v === 'string')) throw invalid(file, where, 'a mapping of strings');
      return;
    case 'stringsMap':
      if (!isMapping(value) || !Object.values(value).every((v) => v === null || (Array.isArray(v) && v.every((s) => typeof s === 'string')))) {
        throw invalid(file, where, 'a mapping of string lists');
      }
      return;
    case 'extensions':
      if (!Array.isArray(value) || !value.every((e) => isMapping(e) && typeof e.name === 'string')) throw invalid(file, where, 'a list of {name, extension}');
      return;
    case 'env':
      if (!Array.isArray(value) || !value.every((e) => isMapping(e) && (e.name === undefined || typeof e.name === 'string') && (e.value === undefined || typeof e.value === 'string'))) {
        throw invalid(file, where, 'a list of {name, value} strings');
      }
      return;
    default:
      checkFields(file, where, value, kind);
  }
}

/** Go's encoding/json reads `[]byte` as standard base64 (padding required; newlines ignored). */
function isBase64(text: string): boolean {
  const compact = text.replace(/[\r\n]/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(file: string, where: string, expected: string): ConfigError {
  return new ConfigError(`cannot parse kubeconfig ${file}: ${where} must be ${expected}`);
}
