/**
 * The process boundary, used only by each plugin's main.ts: argv in, streams, signals, and the
 * exit code out. Everything below it is testable without a process.
 */
import { runPlugin, type PluginSpec } from './run-plugin.ts';
import { processStreams } from './streams.ts';

export function main<A>(spec: PluginSpec<A>): void {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    // A second signal stops at once, as kubectl does.
    if (signals > 1) process.exit(name === 'SIGINT' ? 130 : 143);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  runPlugin(spec, process.argv.slice(2), processStreams(), { signal: controller.signal }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${(error as Error)?.message ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
