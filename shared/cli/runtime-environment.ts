/**
 * The runtime's own environment variables, which users set for their other JavaScript tools,
 * must not change what a kubectl plugin does or prints. The executables run on Bun; most of its
 * hooks are closed in the runtime they are built from (scripts/sea/harden-runtime.ts). What
 * remains is handled here, before any kubeconfig is read:
 *
 * - BUN_JSC_* sets JavaScriptCore's options (JIT, GC, dumps to files) when the engine starts,
 *   before our code: a plugin refuses to run with one set (exit 5, one line), so nothing it could
 *   dump holds a credential.
 * - NODE_DEBUG: under Node it prints request headers (`Authorization: Bearer …`) and TLS options
 *   for the network modules; a plugin refuses to start with those sections (exit 5, one line),
 *   whichever runtime runs it. Other sections (`fs`, `module`, …) are left alone.
 * - NODE_TLS_REJECT_UNAUTHORIZED=0 does nothing: every connection sets rejectUnauthorized
 *   itself. It is removed from the environment at start (`ignoreRuntimeVariables`), so no
 *   runtime warns that TLS is insecure when it is not (and `--exec` commands do not inherit it).
 * - NODE_EXTRA_CA_CERTS and SSL_CERT_FILE are honoured, like SSL_CERT_FILE for kubectl: they add
 *   roots to the system store, which is used only for a cluster whose kubeconfig names no CA.
 * - NODE_OPTIONS is not read by Bun.
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

/** Throws a ConfigError (exit 5) when the environment would make the runtime print or dump credentials. */
export function checkRuntimeEnvironment(env: NodeJS.ProcessEnv): void {
  const engine = Object.keys(env).filter((name) => name.startsWith('BUN_JSC_'));
  if (engine.length > 0) {
    throw new ConfigError(`${engine.join(', ')} would change how the JavaScript engine runs this plugin (JavaScriptCore's options): unset ${engine.length === 1 ? 'it' : 'them'}`);
  }
  const sections = sensitiveDebug(env['NODE_DEBUG']);
  if (sections.length > 0) {
    throw new ConfigError(`NODE_DEBUG=${env['NODE_DEBUG']} would make Node print credentials (its ${sections.join(', ')} debug output): unset it, and use -v=7 to see requests with credentials masked`);
  }
}

/** Runtime variables that do nothing for us but would mislead: removed from `env` (the process's, at start). */
export function ignoreRuntimeVariables(env: NodeJS.ProcessEnv): void {
  delete env['NODE_TLS_REJECT_UNAUTHORIZED'];
}
