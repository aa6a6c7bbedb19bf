/**
 * A 401 says which credentials were rejected: those given on the command line (`--token`) are
 * named as the flag, not as "the credentials in the kubeconfig" (api-errors.ts's default hint).
 */
import { AccessDeniedError, ForbiddenError, type PluginError } from '../errors.ts';
import type { ConfigFlags } from '../kube/config-flags.ts';

export const tokenFlagHint = 'the token given with --token was rejected: check it, or get a new one';

export function nameRejectedCredentials(error: PluginError, flags: ConfigFlags | undefined): PluginError {
  const unauthorized = error instanceof AccessDeniedError && !(error instanceof ForbiddenError) && error.message.includes('(Unauthorized)');
  if (!unauthorized || flags?.token === undefined || flags.token === '') return error;
  return new AccessDeniedError(error.message, { hint: tokenFlagHint, cause: error });
}
