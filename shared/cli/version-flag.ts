/**
 * `kubectl-NAME --version` alone: the one call answered before the plugin's code loads (entry.ts
 * answers it before importing the command), since start-up is all it costs.
 * Any other form, or NODE_DEBUG (which runPlugin refuses), goes to the parser, whose --version
 * prints the same line.
 */
import { sensitiveDebug } from './runtime-environment.ts';
import { version } from '../version.ts';

export function bareVersionLine(name: string, argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  return argv.length === 1 && argv[0] === '--version' && sensitiveDebug(env['NODE_DEBUG']).length === 0 ? `kubectl-${name} ${version}\n` : undefined;
}
