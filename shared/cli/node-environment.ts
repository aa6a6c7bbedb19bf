/**
 * Node's own environment variables, which users set for their other Node tools, must not change
 * what a kubectl plugin does or prints:
 *
 * - NODE_OPTIONS is ignored by the single executables (`execArgvExtension: "none"` in the SEA
 *   configuration, scripts/sea/sea.ts): no `--require`, no `--tls-min-v1.0`.
 * - NODE_DEBUG cannot be ignored from inside: Node reads it before our code runs. For the
 *   network modules it prints request headers (`Authorization: Bearer …`) and TLS options, so a
 *   plugin refuses to start with it (exit 5, one line), before any request. Other sections
 *   (`fs`, `module`, …) print nothing of ours and are left alone.
 * - NODE_TLS_REJECT_UNAUTHORIZED=0 does nothing: every connection sets rejectUnauthorized
 *   itself. It is removed from the environment at start (`ignoreNodeVariables`), so Node does not
 *   warn that TLS is insecure when it is not (and `--exec` commands do not inherit it).
 * - NODE_EXTRA_CA_CERTS is honoured, like SSL_CERT_FILE for kubectl: it adds roots to the system
 *   store, which is used only for a cluster whose kubeconfig names no CA.
 */
import { ConfigError } from '../errors.ts';

/** The debuglog sections that would print credentials or TLS material. */
export const sensitiveDebugSections = ['http', 'http2', 'https', 'net', 'tls', 'undici', 'fetch'] as const;

/** The sections NODE_DEBUG enables among `sensitiveDebugSections` (Node's rules: comma list, `*` wildcards, any case). */
export function sensitiveDebug(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  const patterns = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => new RegExp(`^${s.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replaceAll('*', '.*')}$`, 'i'));
  return sensitiveDebugSections.filter((section) => patterns.some((p) => p.test(section)));
}

/** Throws a ConfigError (exit 5) when the environment would make Node print credentials. */
export function checkNodeEnvironment(env: NodeJS.ProcessEnv): void {
  const sections = sensitiveDebug(env['NODE_DEBUG']);
  if (sections.length > 0) {
    throw new ConfigError(`NODE_DEBUG=${env['NODE_DEBUG']} would make Node print credentials (its ${sections.join(', ')} debug output): unset it, and use -v=7 to see requests with credentials masked`);
  }
}

/** Node variables that do nothing for us but would mislead: removed from `env` (the process's, at start). */
export function ignoreNodeVariables(env: NodeJS.ProcessEnv): void {
  delete env['NODE_TLS_REJECT_UNAUTHORIZED'];
}
