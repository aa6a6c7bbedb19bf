/**
 * `kubectl-<name> completion bash|zsh|fish`: scripts for using the plugin binary directly,
 * each asking the plugin's own `__complete` for candidates. Through kubectl
 * (`kubectl <name> <TAB>`), kubectl ≥ 1.26 calls the `kubectl_complete-<name>` shim instead.
 */
import { UsageError } from '../errors.ts';

export const shells = ['bash', 'zsh', 'fish'] as const;

export function completionScript(shell: string, binary: string): string {
  const fn = `_${binary.replace(/[^A-Za-z0-9]/g, '_')}`;
  switch (shell) {
    case 'bash':
      return `# bash completion for ${binary}; load with: source <(${binary} completion bash)
${fn}() {
  local cur out directive c
  cur="\${COMP_WORDS[COMP_CWORD]}"
  out=$(${binary} __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return
  directive=\${out##*:}
  out=\${out%:*}
  COMPREPLY=()
  local IFS=$'\\n'
  for c in $out; do COMPREPLY+=("\${c%%$'\\t'*}"); done
  if [ \${#COMPREPLY[@]} -eq 0 ] && [ $((directive & 4)) -eq 0 ]; then compopt -o default 2>/dev/null; fi
}
complete -F ${fn} ${binary}
`;
    case 'zsh':
      return `#compdef ${binary}
# zsh completion for ${binary}; load with: source <(${binary} completion zsh)
${fn}() {
  local -a lines cands
  local out directive
  out=$(${binary} __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null) || return 1
  lines=("\${(@f)out}")
  directive=\${lines[-1]#:}
  cands=("\${(@)lines[1,-2]}")
  if (( \${#cands} )); then compadd -- "\${(@)cands%%$'\\t'*}"; elif (( (directive & 4) == 0 )); then _files; fi
}
compdef ${fn} ${binary}
`;
    case 'fish':
      return `# fish completion for ${binary}; load with: ${binary} completion fish | source
function ${fn}
    set -l args (commandline -opc)[2..-1]
    set -l out (${binary} __complete $args (commandline -ct) 2>/dev/null)
    for line in $out[1..-2]
        echo $line
    end
end
complete -c ${binary} -f -a '(${fn})'
`;
    default:
      throw new UsageError(`unsupported shell "${shell}": use one of ${shells.join(', ')}`);
  }
}

/** The shim kubectl's plugin completion looks for on PATH: `kubectl_complete-<name>`. */
export function kubectlShim(name: string): string {
  return `#!/bin/sh\n# Shell completion for 'kubectl ${name}' (kubectl >= 1.26 runs this on <TAB>).\nexec kubectl-${name} __complete "$@"\n`;
}
