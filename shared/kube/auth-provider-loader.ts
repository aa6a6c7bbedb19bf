/**
 * Loads oidc-auth-provider.ts (and with it @kubernetes/client-node) only when a kubeconfig user
 * has an auth-provider: the bundle inlines it behind this import, so no other call runs or
 * compiles it.
 */
import type * as OidcAuthProvider from './oidc-auth-provider.ts';

export const loadAuthProvider = (): Promise<typeof OidcAuthProvider> => import('./oidc-auth-provider.ts');
