import pkg from '../package.json' with { type: 'json' };

/** The suite's version, from package.json (inlined into the bundle at build time). */
export const version: string = `v${pkg.version}`;
