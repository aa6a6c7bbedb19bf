/**
 * The http.Agent that reaches the API server through a proxy: `https-proxy-agent` (HTTP
 * CONNECT to an http or https proxy) or `socks-proxy-agent` (SOCKS5), both by the proxy-agents
 * project. They are imported only when a proxy is configured, so a direct connection pays
 * nothing for them at start-up.
 *
 * The connection to the proxy disables Nagle's algorithm, as Node's own agents do (without it a
 * TLS handshake through the tunnel waited on delayed ACKs: 50–100 ms a request).
 *
 * Proxy credentials in the URL (`http://user:pass@proxy:3128`) go in Proxy-Authorization (HTTP)
 * or the SOCKS5 username/password exchange; the agents never log them, and neither do we:
 * messages name the proxy with `redactProxyUrl`.
 */
import type http from 'node:http';

/** How an https proxy's own certificate is checked: as Go does, with the cluster's TLS settings. */
export interface ProxyTls {
  ca?: Buffer | undefined;
  rejectUnauthorized: boolean;
}

export async function createProxyAgent(proxy: URL, tls: ProxyTls = { rejectUnauthorized: true }): Promise<http.Agent> {
  if (proxy.protocol === 'socks5:' || proxy.protocol === 'socks5h:') {
    const { SocksProxyAgent } = await import('socks-proxy-agent');
    // Go's SOCKS5 dialer sends the host name for the proxy to resolve: that is socks5h here.
    const url = new URL(proxy.href);
    url.protocol = 'socks5h:';
    return new SocksProxyAgent(url, { keepAlive: true, socketOptions: { noDelay: true } as never });
  }
  if (proxy.protocol === 'http:' || proxy.protocol === 'https:') {
    const { HttpsProxyAgent } = await import('https-proxy-agent');
    // Go's transport dials an https proxy with the same TLS config as the server: the cluster's
    // CA (when it has one) and insecure-skip-tls-verify.
    const proxyTls = proxy.protocol === 'https:' ? { ...(tls.ca ? { ca: tls.ca } : {}), rejectUnauthorized: tls.rejectUnauthorized } : {};
    return new HttpsProxyAgent(proxy, { keepAlive: true, noDelay: true, ...proxyTls });
  }
  throw new Error(`unsupported proxy scheme ${proxy.protocol}`);
}
