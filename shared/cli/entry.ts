/**
 * The process boundary, used only by each plugin's main.ts: argv in, streams, signals, and the
 * exit code out. Everything below it is testable without a process.
 *
 * The plugin's code (its command, yargs, the client) is loaded only after `--version` had its
 * chance: that answer needs none of it, and start-up is most of what it costs.
 */
import { ignoreRuntimeVariables } from './runtime-environment.ts';
import { preloadTls } from './preload-tls.ts';
import type { PluginSpec } from './run-plugin.ts';
import { processStreams } from './streams.ts';
import { bareVersionLine } from './version-flag.ts';

export function main<A>(name: string, load: () => Promise<PluginSpec<A>>): void {
  ignoreRuntimeVariables(process.env);
  const argv = process.argv.slice(2);
  const versionLine = bareVersionLine(name, argv, process.env);
  if (versionLine !== undefined) {
    process.stdout.write(versionLine);
    return;
  }
  preloadTls(argv, process.env);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    // A second signal stops at once, as kubectl does.
    if (signals > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  Promise.all([import('./run-plugin.ts'), load()])
    .then(([{ runPlugin }, spec]) => runPlugin(spec, argv, processStreams(), { signal: controller.signal }))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`error: ${(error as Error)?.message ?? error}\n`);
        process.exitCode = 1;
      },
    );
}
