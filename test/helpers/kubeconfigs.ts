/**
 * Kubeconfig fixtures for the reliability tests: files built from parts (server, CA,
 * credentials), a set of broken ones (each broken in exactly one way), and client certificates
 * minted by openssl with the cluster's CA, another CA, or already expired.
 * Everything is written under a directory the caller owns (and removes).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const execFileAsync = promisify(execFile);

/** The user entry of a kubeconfig, as written (token, client-certificate, exec, username…). */
export type UserParts = Record<string, unknown>;

export interface KubeconfigParts {
  server: string;
  /** A CA file; omitted: no CA in the file (the system roots, which do not know the cluster). */
  caFile?: string | undefined;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  user: UserParts;
  namespace?: string;
  /** Default `test`; `null` leaves current-context out. */
  currentContext?: string | null;
  /** The cluster and user the context names (default the ones defined: `test`). */
  contextCluster?: string;
  contextUser?: string;
}

/** A kubeconfig with one cluster, user and context, all named `test` unless told otherwise. */
export function kubeconfigYaml(parts: KubeconfigParts): string {
  const cluster: Record<string, unknown> = { server: parts.server };
  if (parts.caFile) cluster['certificate-authority'] = parts.caFile;
  if (parts.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  if (parts.tlsServerName) cluster['tls-server-name'] = parts.tlsServerName;
  const doc: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster }],
    users: [{ name: 'test', user: parts.user }],
    contexts: [{ name: 'test', context: { cluster: parts.contextCluster ?? 'test', user: parts.contextUser ?? 'test', namespace: parts.namespace ?? 'default' } }],
  };
  if (parts.currentContext !== null) doc['current-context'] = parts.currentContext ?? 'test';
  return stringify(doc);
}

/** Writes `text` to `dir/name` (mode 0600: fixtures hold credentials) and returns the path. */
export function writeFixture(dir: string, name: string, text: string | Buffer, mode = 0o600): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return file;
}

export function writeKubeconfig(dir: string, name: string, parts: KubeconfigParts): string {
  return writeFixture(dir, name, kubeconfigYaml(parts));
}

export interface KeyPair {
  cert: string;
  key: string;
}

/** A new self-signed CA (ECDSA P-256), unknown to the cluster. */
export async function createCa(dir: string, name: string): Promise<KeyPair> {
  const pair = { cert: path.join(dir, `${name}.crt`), key: writeKey(dir, name) };
  const config = requestConfig(dir);
  await openssl(['req', '-x509', '-new', '-sha256', '-days', '30', '-config', config, '-extensions', 'v3_ca', '-subj', `/CN=${name}`, '-key', pair.key, '-out', pair.cert]);
  return pair;
}

export interface ClientCertificateOptions {
  /** e.g. `/O=system:masters/CN=someone` */
  subject: string;
  /** Valid until yesterday (openssl `-days -1`: not after = now − 1 day). */
  expired?: boolean;
  /** A serving certificate (serverAuth) for these names instead, e.g. `['IP:127.0.0.1']`. */
  serverAltNames?: string[];
}

/** A client certificate (clientAuth) signed by `ca`, with a fresh key. */
export async function issueClientCertificate(dir: string, name: string, ca: KeyPair, options: ClientCertificateOptions): Promise<KeyPair> {
  const pair = { cert: path.join(dir, `${name}.crt`), key: writeKey(dir, name) };
  const csr = path.join(dir, `${name}.csr`);
  const usage = options.serverAltNames ? ['extendedKeyUsage = serverAuth', `subjectAltName = ${options.serverAltNames.join(', ')}`] : ['extendedKeyUsage = clientAuth'];
  const ext = writeFixture(dir, `${name}.ext`, ['[ext]', 'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment', ...usage, ''].join('\n'));
  await openssl(['req', '-new', '-sha256', '-config', requestConfig(dir), '-subj', options.subject, '-key', pair.key, '-out', csr]);
  await openssl([
    'x509', '-req', '-sha256', '-days', options.expired ? '-1' : '1', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key,
    '-set_serial', `0x${crypto.randomBytes(16).toString('hex')}`, '-extfile', ext, '-extensions', 'ext', '-out', pair.cert,
  ]);
  fs.rmSync(csr, { force: true });
  fs.rmSync(ext, { force: true });
  return pair;
}

/** A port nothing listens on (bound once, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ClusterAccess {
  server: string;
  caFile: string;
  /** The cluster CA's private key, to sign client certificates the API server accepts. */
  caKey: string;
}

/** Kubeconfig files, each wrong in one way (the comment says how and what a client should do). */
export interface BrokenKubeconfigs {
  /** A path that does not exist. */
  missing: string;
  /** A directory where a file should be (root reads every file, so "unreadable" is this). */
  directory: string;
  /** An unterminated flow sequence. */
  malformedYaml: string;
  /** YAML, but a list instead of a mapping. */
  notAMapping: string;
  /** `clusters` is a mapping, not a list. */
  clustersNotAList: string;
  /** Valid, but no current-context. */
  noCurrentContext: string;
  /** The context names a cluster that is not defined. */
  unknownCluster: string;
  /** The context names a user that is not defined. */
  unknownUser: string;
  /** certificate-authority names a file that does not exist. */
  missingCaFile: string;
  /** The real server, but a CA that did not sign its certificate. */
  wrongCa: string;
  /** The real server with no CA at all: the system roots do not trust it. */
  noCa: string;
  /** The real server, its CA, and tls-server-name the certificate does not cover. */
  wrongServerName: string;
  /** A client certificate from the cluster CA that expired yesterday. */
  expiredCertificate: string;
  /** A client certificate signed by another CA. */
  foreignCertificate: string;
  /** A bearer token the server does not know. */
  invalidToken: string;
  /** Username and password (the API server has no basic auth: 401). */
  basicAuth: string;
  /** A port on 127.0.0.1 nothing listens on. */
  serverDown: string;
  /** A host that cannot resolve (.invalid is reserved, RFC 6761). */
  dnsFailure: string;
  /** A server URL with a scheme no client speaks. */
  badServerUrl: string;
  /** The values the files carry that must never be printed. */
  secrets: { token: string; password: string };
}

export async function brokenKubeconfigs(dir: string, cluster: ClusterAccess): Promise<BrokenKubeconfigs> {
  fs.mkdirSync(dir, { recursive: true });
  const clusterCa: KeyPair = { cert: cluster.caFile, key: cluster.caKey };
  const otherCa = await createCa(dir, 'other-ca');
  const [expired, foreign] = await Promise.all([
    issueClientCertificate(dir, 'expired-client', clusterCa, { subject: '/O=system:masters/CN=reliability-expired', expired: true }),
    issueClientCertificate(dir, 'foreign-client', otherCa, { subject: '/O=system:masters/CN=reliability-foreign' }),
  ]);
  const secrets = { token: `invalid-token-${crypto.randomBytes(12).toString('hex')}`, password: `pw-${crypto.randomBytes(12).toString('hex')}` };
  const real = { server: cluster.server, caFile: cluster.caFile };
  const token = { token: secrets.token };
  const write = (name: string, parts: KubeconfigParts) => writeKubeconfig(dir, `${name}.kubeconfig`, parts);
  const directory = path.join(dir, 'a-directory.kubeconfig');
  fs.mkdirSync(directory, { recursive: true });
  return {
    missing: path.join(dir, 'no-such.kubeconfig'),
    directory,
    malformedYaml: writeFixture(dir, 'malformed.kubeconfig', 'apiVersion: v1\nclusters: [\n  {name: a, cluster: {server: "https://x\n'),
    notAMapping: writeFixture(dir, 'list.kubeconfig', '- apiVersion: v1\n- kind: Config\n'),
    clustersNotAList: writeFixture(dir, 'clusters-map.kubeconfig', 'apiVersion: v1\nkind: Config\nclusters: {name: a}\n'),
    noCurrentContext: write('no-current-context', { ...real, user: token, currentContext: null }),
    unknownCluster: write('unknown-cluster', { ...real, user: token, contextCluster: 'ghost-cluster' }),
    unknownUser: write('unknown-user', { ...real, user: token, contextUser: 'ghost-user' }),
    missingCaFile: write('missing-ca-file', { ...real, caFile: path.join(dir, 'no-such-ca.crt'), user: token }),
    wrongCa: write('wrong-ca', { ...real, caFile: otherCa.cert, user: token }),
    noCa: write('no-ca', { server: cluster.server, user: token }),
    wrongServerName: write('wrong-server-name', { ...real, tlsServerName: 'not-the-apiserver.example.com', user: token }),
    expiredCertificate: write('expired-cert', { ...real, user: { 'client-certificate': expired.cert, 'client-key': expired.key } }),
    foreignCertificate: write('foreign-cert', { ...real, user: { 'client-certificate': foreign.cert, 'client-key': foreign.key } }),
    invalidToken: write('invalid-token', { ...real, user: token }),
    basicAuth: write('basic-auth', { ...real, user: { username: 'admin', password: secrets.password } }),
    serverDown: write('server-down', { ...real, server: `https://127.0.0.1:${await freePort()}`, user: token }),
    dnsFailure: write('dns-failure', { ...real, server: 'https://no-such-host.invalid:6443', user: token }),
    badServerUrl: write('bad-server-url', { ...real, server: 'ftp://127.0.0.1:21', user: token }),
    secrets,
  };
}

function writeKey(dir: string, name: string): string {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return writeFixture(dir, `${name}.key`, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
}

function requestConfig(dir: string): string {
  const file = path.join(dir, 'openssl-req.cnf');
  if (!fs.existsSync(file)) {
    writeFixture(
      dir,
      'openssl-req.cnf',
      ['[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = unused', '[v3_ca]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, digitalSignature, keyCertSign, cRLSign', ''].join('\n'),
    );
  }
  return file;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}
