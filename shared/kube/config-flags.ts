/**
 * kubectl's global connection flags, as one options object shared by every plugin
 * (cli-runtime's ConfigFlags). Parsed by shared/cli/common-flags.ts.
 */
export interface ConfigFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  cluster?: string | undefined;
  user?: string | undefined;
  namespace?: string | undefined;
  as?: string | undefined;
  asGroups?: string[] | undefined;
  /** Milliseconds; 0 or undefined means no limit. */
  requestTimeoutMs?: number | undefined;
  insecureSkipTlsVerify?: boolean | undefined;
  server?: string | undefined;
  token?: string | undefined;
  /**
   * Why stdin is taken (`-f -` reads manifests from it), as kubectl's StdinUnavailable: an exec
   * plugin then may not prompt (IfAvailable) or is refused (Always).
   */
  stdinUnavailable?: string | undefined;
}
