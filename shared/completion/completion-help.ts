/** `kubectl <plugin> completion --help`: the page, in the layout of every other help (shared/cli/help.ts). */
import type { HelpPage } from '../cli/help.ts';
import { shells } from './shell-scripts.ts';

export function completionHelpPage(plugin: string): HelpPage {
  const binary = `kubectl-${plugin}`;
  return {
    description: `Output shell completion code for ${binary} (${shells.join(', ')}), or install the kubectl_complete-${plugin} shim with which 'kubectl ${plugin} <TAB>' completes (kubectl 1.26 or newer).`,
    examples: [
      [`source <(${binary} completion bash)`, `Load completion for ${binary} into the current bash shell`],
      [`${binary} completion zsh > "\${fpath[1]}/_${binary}"`, 'Install it for zsh'],
      [`${binary} completion fish | source`, 'Load it into fish'],
      [`${binary} completion --install-kubectl-shim`, `Let kubectl itself complete 'kubectl ${plugin} <TAB>'`],
    ],
    usage: `kubectl ${plugin} completion SHELL [options]\n  kubectl ${plugin} completion --install-kubectl-shim`,
    flags: [
      {
        def: { name: 'install-kubectl-shim', kind: 'bool' },
        description: `Write the kubectl_complete-${plugin} shim, which kubectl runs to complete 'kubectl ${plugin}'`,
        defaultValue: false,
        global: false,
      },
    ],
    optionsCommand: `kubectl ${plugin} options`,
  };
}
