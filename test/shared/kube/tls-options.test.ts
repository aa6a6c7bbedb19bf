import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { createTlsOptions, minTlsVersion, tlsRequestOptions } from '../../../shared/kube/tls-options.ts';

interface Pem {
  cert: Buffer;
  key: Buffer;
}

/** A self-signed certificate for 127.0.0.1 (openssl), and a client one. */
function selfSigned(cn: string): Pem {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-options-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${cn}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem')], { stdio: 'ignore' });
    return { cert: fs.readFileSync(path.join(dir, 'c.pem')), key: fs.readFileSync(path.join(dir, 'k.pem')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const server = selfSigned('server');
const client = selfSigned('client');

/** An HTTPS server speaking at most `maxVersion`; returns its port and a close function. */
async function serve(maxVersion: tls.SecureVersion): Promise<{ port: number; close: () => void }> {
  const s = https.createServer({ ...server, minVersion: 'TLSv1', maxVersion, ciphers: 'DEFAULT:@SECLEVEL=0' }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { port: (s.address() as { port: number }).port, close: () => s.close() };
}

function get(port: number, options: https.RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/', agent: false, ...options }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

test.serial('TLS 1.2 is the minimum even when the process default was lowered (NODE_OPTIONS=--tls-min-v1.0)', async (t) => {
  const old = await serve('TLSv1.1');
  const saved = tls.DEFAULT_MIN_VERSION;
  tls.DEFAULT_MIN_VERSION = 'TLSv1';
  try {
    // What the client did before: ca/cert/key on the request, the process default minimum.
    t.is(await get(old.port, { ca: server.cert, ciphers: 'DEFAULT:@SECLEVEL=0' }), 'ok');
    const error = await t.throwsAsync(get(old.port, { ...tlsRequestOptions({ ca: server.cert, insecureSkipTlsVerify: false }), ciphers: 'DEFAULT:@SECLEVEL=0' }));
    t.regex(`${(error as NodeJS.ErrnoException).code} ${error?.message}`, /EPROTO.*(protocol version|unsupported protocol)/i);
  } finally {
    tls.DEFAULT_MIN_VERSION = saved;
    old.close();
  }
});

test('a TLS 1.2/1.3 server is reached and verified with the CA; a wrong CA fails; insecure skips the check', async (t) => {
  const s = await serve('TLSv1.3');
  try {
    t.is(await get(s.port, tlsRequestOptions({ ca: server.cert, insecureSkipTlsVerify: false })), 'ok');
    const wrong = await t.throwsAsync(get(s.port, tlsRequestOptions({ ca: client.cert, insecureSkipTlsVerify: false })));
    t.regex(String((wrong as NodeJS.ErrnoException).code), /SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
    t.is(await get(s.port, tlsRequestOptions({ insecureSkipTlsVerify: true })), 'ok');
  } finally {
    s.close();
  }
});

test('no key material in the agent pool name (which NODE_DEBUG=https prints)', (t) => {
  const agent = new https.Agent();
  const before = agent.getName({ host: 'h', port: 443, ca: server.cert.toString(), cert: client.cert.toString(), key: client.key.toString() } as https.RequestOptions);
  t.true(before.includes('PRIVATE KEY'), 'Node puts ca/cert/key options into the name');
  const options = tlsRequestOptions({ ca: server.cert, insecureSkipTlsVerify: false, tlsServerName: 'kubernetes' }, client);
  const name = agent.getName({ host: 'h', port: 443, ...options } as https.RequestOptions);
  t.false(name.includes('PRIVATE KEY'));
  t.false(name.includes('CERTIFICATE'));
  t.deepEqual(Object.keys(options).sort(), ['minVersion', 'rejectUnauthorized', 'secureContext', 'servername']);
  t.is(options.minVersion, minTlsVersion);
});

test('one secure context per client certificate: made again only when it changes', (t) => {
  const options = createTlsOptions({ ca: server.cert, insecureSkipTlsVerify: false });
  const a = options(client);
  t.is(options(client), a);
  t.not(options({ cert: server.cert, key: server.key }), a);
  t.not(options(), a);
});
