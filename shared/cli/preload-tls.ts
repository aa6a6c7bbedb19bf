/**
 * Node 26 starts reading its root certificates (the bundled ones, and NODE_EXTRA_CA_CERTS) on a
 * thread of its own when `node:tls` is loaded, and the process's first secure context waits for
 * them: even one given its own CA (the kubeconfig's), because Node compares the context's store
 * with the default one first (SetCACert in src/crypto/crypto_context.cc). With this machine's
 * NODE_EXTRA_CA_CERTS (the whole system bundle) that wait was 6–15 ms; 3–4 ms once 20 ms of other
 * work had run since the load. So an everyday call loads `node:tls` first thing: the certificates
 * are read while the plugin reads its flags, kubeconfig and discovery cache.
 *
 * Not for calls that make no request (completion, help pages, a client dry run), and not when
 * NODE_DEBUG would print TLS material (the run refuses to start then: runtime-environment.ts).
 */
import { dryRunBare, dryRunStrategy } from './dry-run.ts';
import { sensitiveDebug } from './runtime-environment.ts';

/** A word that asks for a help page or for a client dry run (its values as dry-run.ts reads them). */
function sendsNothing(word: string): boolean {
  if (word === '-h' || word === '--help') return true;
  if (word !== '--dry-run' && !word.startsWith('--dry-run=')) return false;
  try {
    return dryRunStrategy(word === '--dry-run' ? dryRunBare : word.slice('--dry-run='.length), () => {}) === 'client';
  } catch {
    return false;
  }
}

export function shouldPreloadTls(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (argv[0] === '__complete' || argv[0] === 'completion' || argv[0] === 'options') return false;
  if (argv.some(sendsNothing)) return false;
  return sensitiveDebug(env['NODE_DEBUG']).length === 0;
}

export function preloadTls(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  if (shouldPreloadTls(argv, env)) process.getBuiltinModule('node:tls');
}
