/**
 * The `kubectl_complete-<name>` shim: kubectl (>= 1.26) completes `kubectl <name> ...` by running
 * this executable from PATH, and the shim hands the words to the plugin's hidden `__complete`
 * command (cobra's protocol). A POSIX sh script, or a .cmd file for Windows (found through PATHEXT).
 */
import { binaryName, shimName, type Target } from './targets.ts';

export function shimScript(plugin: string, target: Pick<Target, 'os' | 'exeSuffix'>): string {
  const bin = binaryName(plugin, target);
  if (target.os === 'windows') {
    return `@echo off\r\nrem kubectl plugin completion: kubectl runs ${shimName(plugin, target)} to complete "kubectl ${plugin}".\r\n${bin} __complete %*\r\n`;
  }
  return `#!/bin/sh\n# kubectl plugin completion: kubectl runs ${shimName(plugin)} to complete "kubectl ${plugin}".\nexec ${bin} __complete "$@"\n`;
}
