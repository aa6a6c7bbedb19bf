/**
 * `completion --install-kubectl-shim`: krew installs one binary per plugin, so the
 * `kubectl_complete-<name>` shim that kubectl's completion looks for is written by the plugin
 * itself, next to its own executable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { kubectlShim } from './shell-scripts.ts';

export function installKubectlShim(name: string, executable: string = process.execPath): string {
  if (!path.basename(executable).startsWith(`kubectl-${name}`)) {
    throw new UsageError(`run this from the installed kubectl-${name} binary (this is ${path.basename(executable)})`);
  }
  const file = path.join(path.dirname(executable), `kubectl_complete-${name}`);
  try {
    fs.writeFileSync(file, kubectlShim(name), { mode: 0o755 });
  } catch (cause) {
    throw new UsageError(`cannot write ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  return file;
}
