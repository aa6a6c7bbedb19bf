/**
 * Turns an API server answer or a network failure into the typed error of the common contract:
 * 401/403 → exit 3, 404 → exit 4, other statuses → exit 1, cannot connect/TLS/timeout → exit 5.
 * Messages follow kubectl's wording and carry the server's Status message.
 */
import type { V1Status } from '@kubernetes/client-node';
import { AccessDeniedError, ApiError, ConfigError, ForbiddenError, NotFoundError, type PluginError } from '../errors.ts';
import { redactUrl } from './redact-url.ts';

/** The API server's Status object, typed by client-node's generated model (types only: no code is loaded). */
export type Status = V1Status;

export function parseStatus(body: Buffer | string): Status | undefined {
  try {
    const parsed = JSON.parse(body.toString()) as Status;
    return parsed && parsed.kind === 'Status' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function errorForStatus(status: number, body: Buffer | string): PluginError {
  const parsed = parseStatus(body);
  const message = parsed?.message || fallbackMessage(status, body);
  switch (status) {
    case 401:
      return new AccessDeniedError('You must be logged in to the server (Unauthorized)', {
        hint: 'the credentials in the kubeconfig were rejected: refresh the token or certificate',
      });
    case 403:
      return new ForbiddenError(message);
    case 404:
      return new NotFoundError(message);
    default:
      return new ApiError(message, status);
  }
}

function fallbackMessage(status: number, body: Buffer | string): string {
  const text = body.toString().trim().split('\n')[0] ?? '';
  return `the server responded with status ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'temporary failure in name resolution',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'i/o timeout',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'x509: certificate signed by unknown authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'x509: certificate signed by unknown authority',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'x509: certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'x509: certificate signed by unknown authority',
  CERT_HAS_EXPIRED: 'x509: certificate has expired or is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'x509: certificate is not valid for this host',
};

/** A failure below HTTP (DNS, TCP, TLS, timeout): the cluster cannot be reached. */
export function errorForNetwork(server: string, error: unknown): ConfigError {
  const e = error as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  let reason = networkReasons[code];
  if (!reason && /alert|certificate|ssl|tls/i.test(`${code} ${e?.message ?? ''}`)) {
    reason = `TLS handshake failed (${code || 'remote error'}): the server rejected the client certificate or it is invalid`;
  }
  if (!reason && e?.name === 'TimeoutError') reason = e.message;
  // The server URL may carry a password (https://bob:secret@…): shown as bob:*** as kubectl does.
  return new ConfigError(redactUrl(`unable to connect to the server ${server}: ${reason ?? (e?.message || String(error))}`), {
    cause: error,
    hint: code === 'ENOTFOUND' || code === 'ECONNREFUSED' ? 'is the cluster running and the kubeconfig pointing at it?' : undefined,
  });
}
