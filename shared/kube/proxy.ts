/**
 * Which proxy a request to the API server goes through, as kubectl decides it:
 * - the cluster's `proxy-url` (http, https or socks5) applies to every host, loopback included;
 * - otherwise Go's http.ProxyFromEnvironment (golang.org/x/net/http/httpproxy): HTTPS_PROXY
 *   (then https_proxy) for an https server, HTTP_PROXY (then http_proxy) for an http one,
 *   minus NO_PROXY (then no_proxy): `*`, IPs and CIDRs, `host`, `.domain` / `*.domain`, each
 *   with an optional `:port`. `localhost` and loopback addresses never go through an
 *   environment proxy. A proxy value without a scheme means http://.
 */
import type net from 'node:net';

export interface ProxyChoice {
  url: URL;
  /** Where it came from, for messages: `proxy-url` or the variable's name. */
  source: string;
}

export function proxyFor(server: URL, proxyUrl: string | undefined, env: NodeJS.ProcessEnv): ProxyChoice | undefined {
  if (proxyUrl) return { url: new URL(proxyUrl), source: 'proxy-url' };
  const names = server.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy'] : server.protocol === 'http:' ? ['HTTP_PROXY', 'http_proxy'] : [];
  const name = names.find((n) => env[n]);
  if (!name) return undefined;
  const url = parseProxy(env[name]!);
  if (!url) return undefined;
  if (!useProxy(server, env.NO_PROXY || env.no_proxy || '')) return undefined;
  return { url, source: name };
}

/** As httpproxy's parseProxy: `host:port` alone means http://host:port; unparsable: none. */
function parseProxy(text: string): URL | undefined {
  try {
    const url = new URL(text);
    if (url.host !== '') return url;
  } catch {
    // fall through to http://
  }
  try {
    return new URL(`http://${text}`);
  } catch {
    return undefined;
  }
}

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080' };

let loopbackList: net.BlockList | undefined;
const loopback = (): net.BlockList => {
  if (loopbackList) return loopbackList;
  loopbackList = blockList();
  loopbackList.addSubnet('127.0.0.0', 8, 'ipv4');
  loopbackList.addAddress('::1', 'ipv6');
  return loopbackList;
};
// node:net is loaded on first use: start-up (and a V8 startup snapshot) has no handles.
const blockList = (): net.BlockList => new (process.getBuiltinModule('node:net').BlockList)();

/** False when NO_PROXY (or loopback) says to connect directly. */
export function useProxy(server: URL, noProxy: string): boolean {
  const host = server.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = server.port || defaultPorts[server.protocol] || '';
  if (host === '') return true;
  if (host === 'localhost') return false;
  const family = ipFamily(host);
  if (family && loopback().check(host, family)) return false;
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return false;
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(p);
    if (cidr && ipFamily(cidr[1]!)) {
      const net4or6 = ipFamily(cidr[1]!)!;
      const bits = Number(cidr[2]);
      if (bits > (net4or6 === 'ipv4' ? 32 : 128)) continue;
      const list = blockList();
      list.addSubnet(cidr[1]!, bits, net4or6);
      if (family && list.check(host, family)) return false;
      continue;
    }
    let [phost, pport] = splitHostPort(p);
    if (phost === '') continue;
    const pfamily = ipFamily(phost);
    if (pfamily) {
      if (family && sameAddress(phost, pfamily, host, family) && (pport === '' || pport === port)) return false;
      continue;
    }
    if (phost.startsWith('*.')) phost = phost.slice(1);
    const matchHost = !phost.startsWith('.');
    if (matchHost) phost = `.${phost}`;
    // Domain entries never match an IP address.
    if (!family && (host.endsWith(phost) || (matchHost && host === phost.slice(1))) && (pport === '' || pport === port)) return false;
  }
  return true;
}

function ipFamily(text: string): 'ipv4' | 'ipv6' | undefined {
  const v = process.getBuiltinModule('node:net').isIP(text);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

function sameAddress(a: string, aFamily: 'ipv4' | 'ipv6', b: string, bFamily: 'ipv4' | 'ipv6'): boolean {
  const list = blockList();
  list.addAddress(a, aFamily);
  return list.check(b, bFamily);
}

/** `host:port`, `[v6]:port`, or just a host (no port); a bare IPv6 address has no port. */
function splitHostPort(p: string): [string, string] {
  const bracketed = /^\[([^\]]*)\]:(\d*)$/.exec(p);
  if (bracketed) return [bracketed[1]!, bracketed[2]!];
  const colon = p.lastIndexOf(':');
  if (colon > 0 && p.indexOf(':') === colon) return [p.slice(0, colon), p.slice(colon + 1)];
  return [p.replace(/^\[|\]$/g, ''), ''];
}
