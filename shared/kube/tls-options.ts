/**
 * The TLS options of every connection to the API server, built in one place:
 *
 * - **TLS 1.2 at least**, set explicitly on the context: Node's default minimum can be lowered
 *   from outside (`--tls-min-v1.0` in NODE_OPTIONS for a plain `node`; tls.DEFAULT_MIN_VERSION),
 *   and client-go also refuses anything older than TLS 1.2.
 * - **Our own secure context** (`tls.createSecureContext` with the CA, client certificate and
 *   key): passing `ca`/`cert`/`key` to a request instead puts them into the https.Agent's pool
 *   name (`Agent.getName`), a string that NODE_DEBUG=https prints and that lives on in every
 *   socket's bookkeeping. A context is an opaque handle: the name carries no key material.
 * - Verification stays on unless insecure-skip-tls-verify (`rejectUnauthorized: false`), and
 *   `servername` sends the kubeconfig's tls-server-name for SNI and the certificate check.
 *
 * A context is made once per client certificate and key (they may be renewed by an exec plugin
 * or a rotated file): `createTlsOptions(...)` returns a function that remembers the last one.
 */
import type https from 'node:https';
import type tls from 'node:tls';

export const minTlsVersion: tls.SecureVersion = 'TLSv1.2';

export interface TlsTrust {
  /** The cluster's CA bundle; none: the system's roots. */
  ca?: Buffer | undefined;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string | undefined;
}

export interface ClientCertificate {
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
}

/** What goes into https.request (or an https.Agent): no `ca`, `cert` or `key` among them. */
export type TlsRequestOptions = Pick<https.AgentOptions, 'secureContext' | 'rejectUnauthorized' | 'servername' | 'minVersion'>;

/** The options for one client certificate (or none). */
export function tlsRequestOptions(trust: TlsTrust, client: ClientCertificate = {}): TlsRequestOptions {
  const secureContext = process.getBuiltinModule('node:tls').createSecureContext({
    minVersion: minTlsVersion,
    ...(trust.ca ? { ca: trust.ca } : {}),
    ...(client.cert ? { cert: client.cert } : {}),
    ...(client.key ? { key: client.key } : {}),
  });
  return {
    secureContext,
    // Also on the request: it is part of the agent's pool name, so a socket made with a weaker
    // minimum is never reused for it.
    minVersion: minTlsVersion,
    rejectUnauthorized: !trust.insecureSkipTlsVerify,
    ...(trust.tlsServerName ? { servername: trust.tlsServerName } : {}),
  };
}

/** `tlsRequestOptions` for `trust`, made again only when the client certificate or key changes. */
export function createTlsOptions(trust: TlsTrust): (client?: ClientCertificate) => TlsRequestOptions {
  let last: { cert: Buffer | undefined; key: Buffer | undefined; options: TlsRequestOptions } | undefined;
  return (client = {}) => {
    if (last && last.cert === client.cert && last.key === client.key) return last.options;
    last = { cert: client.cert, key: client.key, options: tlsRequestOptions(trust, client) };
    return last.options;
  };
}
