/**
 * Proxy selection as Go's http.ProxyFromEnvironment (golang.org/x/net/http/httpproxy) makes it,
 * case by case from its proxy_test.go, and the kubeconfig's proxy-url above it all.
 */
import test from 'ava';
import { proxyFor, useProxy } from '../../../shared/kube/proxy.ts';

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

test('proxy-url wins over the environment and applies to loopback too', (t) => {
  const choice = proxyFor(new URL('https://127.0.0.1:6443'), 'socks5://p:1080', env({ HTTPS_PROXY: 'http://other:3128', NO_PROXY: '*' }));
  t.is(choice?.url.href, 'socks5://p:1080');
  t.is(choice?.source, 'proxy-url');
});

test('HTTPS_PROXY before https_proxy for an https server; HTTP_PROXY is for http servers only', (t) => {
  const server = new URL('https://api.example.com:6443');
  t.is(proxyFor(server, undefined, env({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' }))?.url.host, 'upper:1');
  t.is(proxyFor(server, undefined, env({ https_proxy: 'http://lower:2' }))?.source, 'https_proxy');
  t.is(proxyFor(server, undefined, env({ HTTP_PROXY: 'http://plain:3' })), undefined);
  t.is(proxyFor(new URL('http://api.example.com:8080'), undefined, env({ HTTP_PROXY: 'http://plain:3' }))?.url.host, 'plain:3');
});

test('a proxy without a scheme is http://', (t) => {
  t.is(proxyFor(new URL('https://api.example.com'), undefined, env({ HTTPS_PROXY: 'cache.example.com:3128' }))?.url.href, 'http://cache.example.com:3128/');
});

test('localhost and loopback addresses never go through an environment proxy', (t) => {
  for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) {
    t.is(proxyFor(new URL(`https://${host}:6443`), undefined, env({ HTTPS_PROXY: 'http://p:1' })), undefined, host);
  }
});

const noProxyCases: Array<[string, string, boolean]> = [
  // [NO_PROXY, server, proxied?]
  ['', 'https://foo.com', true],
  ['*', 'https://foo.com', false],
  ['foo.com', 'https://foo.com', false],
  ['foo.com', 'https://www.foo.com', false],
  ['foo.com', 'https://barfoo.com', true],
  ['.foo.com', 'https://foo.com', true],
  ['.foo.com', 'https://www.foo.com', false],
  ['*.foo.com', 'https://www.foo.com', false],
  ['*.foo.com', 'https://foo.com', true],
  ['foo.com:6443', 'https://foo.com:6443', false],
  ['foo.com:6443', 'https://foo.com:443', true],
  ['foo.com:443', 'https://foo.com', false],
  ['10.0.0.0/8', 'https://10.1.2.3:6443', false],
  ['10.0.0.0/8', 'https://11.1.2.3:6443', true],
  ['10.0.0.0/8', 'https://ten.example.com', true],
  ['192.168.1.1', 'https://192.168.1.1', false],
  ['192.168.1.1:6443', 'https://192.168.1.1:443', true],
  ['2001:db8::/32', 'https://[2001:db8::1]:6443', false],
  ['[2001:db8::1]:6443', 'https://[2001:db8::1]:6443', false],
  ['bar.com, FOO.com ', 'https://foo.com', false],
  ['example.com', 'https://192.0.2.1', true],
];
for (const [noProxy, server, proxied] of noProxyCases) {
  test(`NO_PROXY=${JSON.stringify(noProxy)} ${server}: ${proxied ? 'proxied' : 'direct'}`, (t) => {
    t.is(useProxy(new URL(server), noProxy), proxied);
  });
}

test('no_proxy is read when NO_PROXY is unset', (t) => {
  t.is(proxyFor(new URL('https://foo.com'), undefined, env({ HTTPS_PROXY: 'http://p:1', no_proxy: 'foo.com' })), undefined);
});
