/**
 * `npm run cluster -- <command>`: a real local Kubernetes control plane (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok with fake Nodes) on 127.0.0.1, built from the
 * Go modules in scripts/cluster/gomod and kept in $KUBECTL_PLUGINS_CACHE (~/.cache/kubectl-plugins).
 * This file only parses the command line and turns errors into exit codes; messages go to stderr,
 * data (`env`, `status`) to stdout.
 */
import os from 'node:os';
import { buildAll } from './cluster/build.ts';
import { componentNames, type ComponentName } from './cluster/components.ts';
import {
  apiPortEnvVar,
  compactionEnvVar,
  down,
  restartComponent,
  signalComponent,
  startComponentCommand,
  status,
  stopComponent,
  up,
  type Output,
} from './cluster/control-plane.ts';
import { ClusterError } from './cluster/errors.ts';
import { withLock } from './cluster/lock.ts';
import { cacheEnvVar, clusterPaths } from './cluster/paths.ts';

const usage = `usage: npm run cluster -- <command>

  up                         build if needed, start the cluster (or reuse a running one)
  down                       stop the cluster's processes and remove its state
  status                     show what runs
  env                        print export KUBECONFIG=... (eval "$(npm run -s cluster -- env)")
  build                      build the binaries only
  restart-apiserver          stop and start kube-apiserver (same port and flags)
  stop-apiserver             stop kube-apiserver, leave the rest running
  start-apiserver            start a stopped kube-apiserver
  signal-apiserver STOP|CONT freeze or resume kube-apiserver
  stop|start|restart COMPONENT, signal COMPONENT SIGNAL
                             the same for any of: ${componentNames.join(', ')}

environment:
  ${cacheEnvVar.padEnd(33)}cache directory (default ~/.cache/kubectl-plugins)
  ${compactionEnvVar.padEnd(33)}kube-apiserver --etcd-compaction-interval (default 5m)
  ${apiPortEnvVar.padEnd(33)}fixed API server port (default: any free port)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const paths = clusterPaths();
  const out: Output = { log: (line) => process.stderr.write(`${line}\n`), tty: process.stderr.isTTY === true };
  switch (command) {
    case 'up':
      await up(paths, out);
      return 0;
    case 'down':
      await down(paths, out);
      return 0;
    case 'status':
      return printStatus(paths);
    case 'env': {
      const s = status(paths);
      if (!s.exists) throw new ClusterError('no local cluster', { hint: 'start one with `npm run cluster -- up`' });
      process.stdout.write(`export KUBECONFIG=${s.kubeconfig}\n`);
      return 0;
    }
    case 'build':
      await withLock(paths.lock, () => buildAll(paths, out), { onWait: (pid) => out.log(`waiting for another cluster command (pid ${pid}) to finish`) });
      out.log(`binaries are up to date in ${paths.bin}`);
      return 0;
    case 'restart-apiserver':
      await restartComponent(paths, 'kube-apiserver', out);
      return 0;
    case 'stop-apiserver':
      await stopComponent(paths, 'kube-apiserver', out);
      return 0;
    case 'start-apiserver':
      await startComponentCommand(paths, 'kube-apiserver', out);
      return 0;
    case 'signal-apiserver':
      signalComponent(paths, 'kube-apiserver', signalArg(rest[0]), out);
      return 0;
    case 'stop':
      await stopComponent(paths, componentArg(rest[0]), out);
      return 0;
    case 'start':
      await startComponentCommand(paths, componentArg(rest[0]), out);
      return 0;
    case 'restart':
      await restartComponent(paths, componentArg(rest[0]), out);
      return 0;
    case 'signal':
      signalComponent(paths, componentArg(rest[0]), signalArg(rest[1]), out);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`error: unknown command "${command}"\n${usage}`);
      return 2;
  }
}

function printStatus(paths: ReturnType<typeof clusterPaths>): number {
  const s = status(paths);
  for (const line of s.cleaned) process.stderr.write(`stale pid file removed (${line})\n`);
  if (!s.exists) {
    process.stdout.write(`no local cluster (state: ${paths.state})\n`);
    return 1;
  }
  const width = Math.max(...s.components.map((c) => c.name.length));
  process.stdout.write(`api server: ${s.server}\nkubeconfig: ${s.kubeconfig}\n`);
  for (const c of s.components) {
    const what = c.state === 'running' ? `running  pid ${c.pid}` : c.state === 'stale' ? `dead     (${c.detail})` : 'stopped';
    process.stdout.write(`  ${c.name.padEnd(width)}  ${what}\n`);
  }
  return s.components.every((c) => c.state === 'running') ? 0 : 1;
}

function componentArg(value: string | undefined): ComponentName {
  if (value !== undefined && (componentNames as readonly string[]).includes(value)) return value as ComponentName;
  throw new ClusterError(`expected a component name (${componentNames.join(', ')}), got ${value === undefined ? 'nothing' : `"${value}"`}`);
}

function signalArg(value: string | undefined): NodeJS.Signals {
  const name = `SIG${(value ?? '').toUpperCase().replace(/^SIG/, '')}`;
  if (!(name in os.constants.signals)) {
    throw new ClusterError(`expected a signal name such as STOP or CONT, got ${value === undefined ? 'nothing' : `"${value}"`}`);
  }
  return name as NodeJS.Signals;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ClusterError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.detail !== undefined && error.detail !== '') process.stderr.write(`${error.detail.replace(/^/gm, '  | ')}\n`);
    if (error.hint !== undefined) process.stderr.write(`hint: ${error.hint}\n`);
  } else {
    process.stderr.write(`unexpected error (please report this as a bug):\n${(error as Error).stack ?? String(error)}\n`);
  }
  process.exitCode = 1;
}
