/**
 * What authenticates each request, as client-go's transport layers it:
 * - impersonation headers (Impersonate-User, -Uid, -Group, -Extra-*) on every request;
 * - a bearer token (--token or the user's token), a tokenFile (read again when it changes; the
 *   token is the fallback when it cannot be read), or basic auth;
 * - a client certificate from the kubeconfig (files read again when they change);
 * - otherwise an exec plugin's token or certificate (exec-authenticator.ts caches it, and a 401
 *   renews it once);
 * - a legacy oidc auth-provider through @kubernetes/client-node, loaded only for it
 *   (auth-provider-loader.ts).
 * Nothing here logs or prints a credential.
 */
import fs from 'node:fs';
import { ConfigError } from '../errors.ts';
import type { Clock } from '../time/clock.ts';
import { loadAuthProvider } from './auth-provider-loader.ts';
import { createExecAuthenticator, type ExecAuthenticator } from './exec-authenticator.ts';
import { runExecPlugin, type ExecCredential } from './exec-credential.ts';
import type { RestConfig } from './rest-config.ts';

/** What one request carries; hand it back to `renew` when the server says 401. */
export interface AuthAttempt {
  headers: Record<string, string | string[]>;
  /** Client certificate and key (the kubeconfig's, or an exec plugin's); same objects until they change. */
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  /** The exec credential used, if any. */
  exec?: ExecCredential | undefined;
}

export interface Credentials {
  attempt(): Promise<AuthAttempt>;
  /** The server answered 401 to `attempt`: true when fresh credentials make one retry worthwhile. */
  renew(attempt: AuthAttempt): Promise<boolean>;
}

export interface CredentialsOptions {
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
}

/** Exec plugins without --request-timeout: long enough for a slow cloud CLI, never forever. */
export const defaultExecTimeoutMs = 5 * 60_000;

export function createCredentials(config: RestConfig, options: CredentialsOptions = {}): Credentials {
  const impersonation = impersonationHeaders(config);
  const fileToken = config.tokenFile ? createTokenFileReader(config.tokenFile, config.token) : undefined;
  const certFiles = config.certFile || config.keyFile ? createCertReader(config) : undefined;
  const staticAuth = fileToken ? 'Bearer' : config.token ? 'Bearer' : config.basicAuth ? 'Basic' : undefined;
  const hasStaticCert = config.cert !== undefined || config.key !== undefined;

  // client-go: a token, basic auth or client certificate in the config means the exec plugin is not used.
  let exec: ExecAuthenticator | undefined;
  if (config.exec && !staticAuth && !hasStaticCert) {
    const provider = config.exec;
    const timeoutMs = config.requestTimeoutMs > 0 ? config.requestTimeoutMs : defaultExecTimeoutMs;
    const timeoutSource = config.requestTimeoutMs > 0 ? '--request-timeout' : 'exec plugins get 5 minutes';
    exec = createExecAuthenticator(() => runExecPlugin(provider, { timeoutMs, timeoutSource, ...(options.env ? { env: options.env } : {}) }), options.clock ? { clock: options.clock } : {});
  }
  let delegated: Promise<{ headers: Record<string, string>; cert?: Buffer; key?: Buffer }> | undefined;

  return {
    async attempt() {
      const headers: Record<string, string | string[]> = { ...impersonation };
      const out: AuthAttempt = { headers };
      if (fileToken) headers.Authorization = `Bearer ${fileToken()}`;
      else if (config.token) headers.Authorization = `Bearer ${config.token}`;
      else if (config.basicAuth) headers.Authorization = `Basic ${Buffer.from(`${config.basicAuth.username}:${config.basicAuth.password}`).toString('base64')}`;
      if (certFiles) Object.assign(out, certFiles());
      else if (hasStaticCert) Object.assign(out, { cert: config.cert, key: config.key });
      if (exec) {
        const credential = await exec.get();
        out.exec = credential;
        if (credential.token) headers.Authorization = `Bearer ${credential.token}`;
        if (credential.cert) Object.assign(out, { cert: credential.cert, key: credential.key });
      } else if (config.authProvider && !staticAuth) {
        const d = await (delegated ??= resolveAuthProvider(config));
        Object.assign(headers, d.headers);
        if (d.cert && !hasStaticCert) Object.assign(out, { cert: d.cert, key: d.key });
      }
      return out;
    },
    async renew(attempt) {
      if (!exec || !attempt.exec) return false;
      return exec.renew(attempt.exec);
    },
  };
}

/** client-go's ImpersonationConfig as headers. */
function impersonationHeaders(config: RestConfig): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (!config.impersonateUser && config.impersonateGroups.length === 0) return headers;
  if (config.impersonateUser) headers['Impersonate-User'] = config.impersonateUser;
  if (config.impersonateUid) headers['Impersonate-Uid'] = config.impersonateUid;
  if (config.impersonateGroups.length > 0) headers['Impersonate-Group'] = config.impersonateGroups;
  for (const [key, values] of Object.entries(config.impersonateExtra)) {
    // Header names cannot hold every character a key may: client-go percent-encodes them.
    headers[`Impersonate-Extra-${encodeExtraKey(key)}`] = values ?? [];
  }
  return headers;
}

/** As client-go's transport: legal header-name characters stay, everything else is %XX (UTF-8). */
function encodeExtraKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9!#$&'*+\-.^_`|~]/.test(c) && c !== '%' ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Reads a token file again when its modification time changes (ServiceAccount token rotation).
 * When it cannot be read, the user's token (if any) is used, as client-go falls back to it.
 */
function createTokenFileReader(file: string, fallback: string | undefined): () => string {
  let cached = '';
  let stamp = -1;
  return () => {
    try {
      const mtime = fs.statSync(file).mtimeMs;
      if (mtime !== stamp) {
        cached = fs.readFileSync(file, 'utf8').trim();
        stamp = mtime;
      }
      return cached;
    } catch (cause) {
      if (fallback) return fallback;
      if (stamp !== -1) return cached;
      throw new ConfigError(`cannot read token file ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
    }
  };
}

/**
 * Client certificate and key files, read again when either changes (a renewed certificate
 * in a long-running watchq). The Buffers stay the same objects until then.
 */
function createCertReader(config: RestConfig): () => { cert?: Buffer | undefined; key?: Buffer | undefined } {
  let current = { cert: config.cert, key: config.key };
  let stamps = stampOf(config.certFile, config.keyFile);
  return () => {
    const now = stampOf(config.certFile, config.keyFile);
    if (now !== stamps) {
      try {
        const cert = config.certFile ? fs.readFileSync(config.certFile) : config.cert;
        const key = config.keyFile ? fs.readFileSync(config.keyFile) : config.key;
        current = { cert, key };
        stamps = now;
      } catch {
        // Half-written or gone: keep the pair we have.
      }
    }
    return current;
  };
}

function stampOf(...files: Array<string | undefined>): string {
  return files
    .map((f) => {
      if (!f) return '-';
      try {
        const s = fs.statSync(f);
        return `${s.mtimeMs}:${s.size}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

async function resolveAuthProvider(config: RestConfig): Promise<{ headers: Record<string, string>; cert?: Buffer; key?: Buffer }> {
  const { userName, user } = config.authProvider!;
  try {
    const { resolveAuthProvider: resolve } = await loadAuthProvider();
    return await resolve({ server: config.server, insecureSkipTlsVerify: config.insecureSkipTlsVerify, userName, user });
  } catch (cause) {
    throw new ConfigError(`getting credentials for user "${userName}" from its auth-provider "${user['auth-provider']?.name}" failed`, { cause });
  }
}
