import pkg from '../package.json' with { type: 'json' };

/**
 * Set by the bundler (esbuild `define`) when a release is built for a version other than
 * package.json's (`npm run release -- --release-version X`); undeclared otherwise.
 */
declare const KUBECTL_PLUGINS_VERSION: string | undefined;

/** The suite's version: package.json's (inlined into the bundle at build time), or the release's. */
export const version: string = `v${typeof KUBECTL_PLUGINS_VERSION === 'string' ? KUBECTL_PLUGINS_VERSION : pkg.version}`;
