/**
 * Real proxy servers for the proxy tests, each started on a free port on 127.0.0.1 and stopped
 * by the test that started it: tinyproxy (HTTP CONNECT, optionally with Basic auth) and
 * microsocks (SOCKS5, optionally with a username and password). Both come from Debian and are
 * installed when missing (scripts/proxies/install.ts). Their logs prove a connection went
 * through them: tinyproxy logs `CONNECT host:port`, microsocks `connected to host:port`.
 * `startTlsFront` makes an https proxy of a tinyproxy (a TLS listener in front of it).
 *
 * `apiserverAlias` is a name for 127.0.0.1 in /etc/hosts: Go (and so kubectl, and we) never send
 * localhost or a loopback address through HTTPS_PROXY, so HTTPS_PROXY is tested under this name
 * (with tls-server-name, which the API server's certificate covers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureProxyServers } from '../../scripts/proxies/install.ts';
import net from 'node:net';
import tls from 'node:tls';
import { freePort, issueClientCertificate, type KeyPair } from './kubeconfigs.ts';

export const apiserverAlias = 'kubectl-plugins-apiserver.test';

export interface ProxyAuth {
  user: string;
  password: string;
}

export interface RunningProxy {
  kind: 'tinyproxy' | 'microsocks';
  /** e.g. http://user:pass@127.0.0.1:PORT or socks5://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Everything the proxy logged so far. */
  log(): string;
  /** The `host:port` targets it connected to, in order. */
  targets(): string[];
  stop(): Promise<void>;
}

/** Adds `127.0.0.1 apiserverAlias` to /etc/hosts once (root; CI and test machines are). */
export function ensureHostsEntry(): void {
  const hosts = fs.readFileSync('/etc/hosts', 'utf8');
  if (new RegExp(`^127\\.0\\.0\\.1\\s+.*\\b${apiserverAlias.replace(/\./g, '\\.')}\\b`, 'm').test(hosts)) return;
  fs.appendFileSync('/etc/hosts', `${hosts.endsWith('\n') ? '' : '\n'}127.0.0.1 ${apiserverAlias}\n`);
}

export async function startTinyproxy(auth?: ProxyAuth): Promise<RunningProxy> {
  const { tinyproxy } = await ensureProxyServers((line) => process.stderr.write(`[proxies] ${line}\n`));
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyproxy-'));
  const logFile = path.join(dir, 'tinyproxy.log');
  const conf = path.join(dir, 'tinyproxy.conf');
  fs.writeFileSync(
    conf,
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 600', `LogFile "${logFile}"`, 'LogLevel Connect', 'MaxClients 200', 'Allow 127.0.0.1', ...(auth ? [`BasicAuth ${auth.user} ${auth.password}`] : []), ''].join('\n'),
  );
  const child = spawn(tinyproxy, ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const read = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  await listening(child, port, () => `${read()}`);
  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@` : '';
  return {
    kind: 'tinyproxy',
    url: `http://${credentials}127.0.0.1:${port}`,
    port,
    log: read,
    targets: () => [...read().matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1]!),
    stop: () => stop(child, dir),
  };
}

export async function startMicrosocks(auth?: ProxyAuth): Promise<RunningProxy> {
  const { microsocks } = await ensureProxyServers((line) => process.stderr.write(`[proxies] ${line}\n`));
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microsocks-'));
  const args = ['-i', '127.0.0.1', '-p', String(port), ...(auth ? ['-u', auth.user, '-P', auth.password] : [])];
  const child = spawn(microsocks, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await listening(child, port, () => output);
  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@` : '';
  return {
    kind: 'microsocks',
    url: `socks5://${credentials}127.0.0.1:${port}`,
    port,
    log: () => output,
    targets: () => [...output.matchAll(/connected to (\S+)/g)].map((m) => m[1]!),
    stop: () => stop(child, dir),
  };
}

/**
 * An https proxy: TLS on 127.0.0.1 (a certificate for IP:127.0.0.1 signed by `ca`) in front of
 * `inner` (tinyproxy), so the client speaks TLS to the proxy and CONNECT inside it. The log and
 * targets are the inner proxy's.
 */
export async function startTlsFront(inner: RunningProxy, ca: KeyPair, auth?: ProxyAuth): Promise<RunningProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-proxy-'));
  const pair = await issueClientCertificate(dir, 'proxy-serving', ca, { subject: '/CN=tls-proxy', serverAltNames: ['IP:127.0.0.1', 'DNS:localhost'] });
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: fs.readFileSync(pair.cert), key: fs.readFileSync(pair.key) }, (client) => {
    const upstream = net.connect(inner.port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@` : '';
  return {
    kind: inner.kind,
    url: `https://${credentials}127.0.0.1:${port}`,
    port,
    log: inner.log,
    targets: inner.targets,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
      await inner.stop();
    },
  };
}

async function listening(child: ChildProcess, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`proxy exited (${child.exitCode}) before listening on ${port}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`proxy did not listen on ${port} within 10 s: ${log()}`);
    await sleep(50);
  }
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
