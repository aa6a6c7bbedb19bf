/**
 * How the executables compile a plugin's CommonJS bundle (sea-main.ts), and how the build trains
 * its code cache (train-main.ts): the same function source and options, since V8 takes a code
 * cache only for the script it was made from.
 */
import vm from 'node:vm';

export function compileBundle(source: string, filename: string, cachedData?: Buffer): vm.Script {
  return new vm.Script(wrapped(source), {
    filename,
    ...(cachedData ? { cachedData } : {}),
    // The bundle's own import() (node:sea, in auth-provider-loader.ts) goes to Node's loader.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

/** A package's bundle (deferred-packages.ts): no import() of its own, so no loader for one. */
export function compilePackage(source: string, filename: string): vm.Script {
  return new vm.Script(wrapped(source), { filename });
}

const wrapped = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

/** Runs the bundle as a CommonJS module whose file is `filename`; returns its exports. */
export function runBundle(script: vm.Script, require: NodeJS.Require, filename: string, dirname: string): unknown {
  const module: { exports: unknown } = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, filename, dirname);
  return module.exports;
}
