/**
 * Loads oidc-auth-provider.ts only when a kubeconfig user has an auth-provider. In a single
 * executable it is the SEA asset `oidc-auth-provider.cjs` (its own esbuild bundle, see
 * scripts/sea/bundle.ts), compiled here; run from source (tests), it is imported. The import
 * specifier is computed so that esbuild leaves client-node out of the main script.
 */
import path from 'node:path';
import type * as OidcAuthProvider from './oidc-auth-provider.ts';

export const authProviderAsset = 'oidc-auth-provider.cjs';

export async function loadAuthProvider(): Promise<typeof OidcAuthProvider> {
  const sea = await import('node:sea').catch(() => undefined);
  if (sea?.isSea()) {
    const code = sea.getAsset(authProviderAsset, 'utf8');
    const module = { exports: {} as typeof OidcAuthProvider };
    const filename = path.join(path.dirname(process.execPath), authProviderAsset);
    const wrapped = process.getBuiltinModule('node:vm').runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename });
    wrapped(module.exports, process.getBuiltinModule('node:module').createRequire(process.execPath), module, filename, path.dirname(filename));
    return module.exports;
  }
  const specifier = ['.', 'oidc-auth-provider.ts'].join('/');
  return (await import(specifier)) as typeof OidcAuthProvider;
}
