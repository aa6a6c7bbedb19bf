/**
 * The kubeconfig matrix: for each case, which server, namespace and user kubectl uses (seen in
 * its -v=6 request log and in the server's answer) against what we use, on the same files,
 * environment and flags. The observation is the same for both: the host of the first request,
 * the namespace and HTTP status of the list, the user a refusal names, or that it failed early.
 */
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createNamespace, deleteNamespace, ensureCluster, kubectlOk } from '../helpers/cluster.ts';
import { forEachLimited } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';

interface Case {
  title: string;
  /** File name → contents, with SERVER, BAD, CA, CADATA, CERT, KEY, CERTDATA, KEYDATA, TOKA, TOKB, NS, DIR replaced. */
  files: Record<string, string>;
  /** KUBECONFIG, as file names joined by ':' (empty entries allowed); undefined leaves it unset. */
  env?: string;
  flags?: string[];
}

const cluster = (name: string, server = 'SERVER', extra = 'certificate-authority-data: CADATA') => `- name: ${name}\n  cluster:\n    server: ${server}\n    ${extra}\n`;
const user = (name: string, body: string) => `- name: ${name}\n  user:\n    ${body}\n`;
const context = (name: string, c: string, u: string, ns?: string) => `- name: ${name}\n  context:\n    cluster: ${c}\n    user: ${u}\n${ns ? `    namespace: ${ns}\n` : ''}`;
const config = (parts: { clusters?: string; users?: string; contexts?: string; current?: string }) =>
  `apiVersion: v1\nkind: Config\nclusters:\n${parts.clusters ?? ''}users:\n${parts.users ?? ''}contexts:\n${parts.contexts ?? ''}${parts.current ? `current-context: ${parts.current}\n` : ''}`;
const admin = 'client-certificate-data: CERTDATA\n    client-key-data: KEYDATA';
const full = (ns?: string) => config({ clusters: cluster('c1'), users: user('u1', admin), contexts: context('ctx-1', 'c1', 'u1', ns), current: 'ctx-1' });

const cases: Case[] = [
  { title: 'one file, admin certificate', files: { a: full() }, env: 'a' },
  { title: 'the context\'s namespace', files: { a: full('NS') }, env: 'a' },
  { title: '-n overrides the context\'s namespace', files: { a: full('kube-system') }, env: 'a', flags: ['-n', 'NS'] },
  { title: 'a context without a namespace is default', files: { a: full() }, env: 'a' },
  { title: 'first file\'s current-context wins', files: { a: full('NS'), b: config({ clusters: cluster('c2', 'BAD'), users: user('u2', admin), contexts: context('ctx-2', 'c2', 'u2'), current: 'ctx-2' }) }, env: 'a:b' },
  { title: 'first file\'s cluster entry wins by name', files: { a: config({ clusters: cluster('c1', 'BAD'), current: 'ctx-1' }), b: full() }, env: 'a:b' },
  { title: 'first file\'s user entry wins by name', files: { a: config({ users: user('u1', 'token: TOKA') }), b: full() }, env: 'a:b' },
  { title: 'a context referencing a cluster and user from another file', files: { a: config({ contexts: context('ctx-x', 'c1', 'u1', 'NS'), current: 'ctx-x' }), b: config({ clusters: cluster('c1'), users: user('u1', admin) }) }, env: 'a:b' },
  { title: 'a missing file in the list is skipped', files: { b: full('NS') }, env: 'missing:b' },
  { title: 'an empty file in the list is skipped', files: { a: '', b: full('NS') }, env: 'a:b' },
  { title: 'empty entries in the list', files: { a: full('NS') }, env: ':a::' },
  { title: 'the same file twice', files: { a: full('NS') }, env: 'a:a' },
  { title: 'a relative certificate-authority from the file\'s directory', files: { 'sub/a': config({ clusters: cluster('c1', 'SERVER', 'certificate-authority: ca.crt'), users: user('u1', admin), contexts: context('ctx-1', 'c1', 'u1'), current: 'ctx-1' }), 'sub/ca.crt': 'CAPEM' }, env: 'sub/a' },
  { title: 'relative client certificate and key files', files: { 'sub/a': config({ clusters: cluster('c1'), users: user('u1', 'client-certificate: admin.crt\n    client-key: admin.key'), contexts: context('ctx-1', 'c1', 'u1'), current: 'ctx-1' }), 'sub/admin.crt': 'CERTPEM', 'sub/admin.key': 'KEYPEM' }, env: 'sub/a' },
  { title: 'tokenFile, relative to the file', files: { 'sub/a': config({ clusters: cluster('c1'), users: user('u1', 'tokenFile: token.txt'), contexts: context('ctx-1', 'c1', 'u1', 'NS'), current: 'ctx-1' }), 'sub/token.txt': 'TOKA\n' }, env: 'sub/a' },
  // client-go reads the file whenever tokenFile is set (rest.Config: BearerTokenFile takes precedence).
  { title: 'tokenFile beats token', files: { a: config({ clusters: cluster('c1'), users: user('u1', 'token: TOKB\n    tokenFile: DIR/tok'), contexts: context('ctx-1', 'c1', 'u1', 'NS'), current: 'ctx-1' }), tok: 'TOKA' }, env: 'a' },
  { title: 'insecure-skip-tls-verify without a CA', files: { a: config({ clusters: cluster('c1', 'SERVER', 'insecure-skip-tls-verify: true'), users: user('u1', admin), contexts: context('ctx-1', 'c1', 'u1'), current: 'ctx-1' }) }, env: 'a' },
  { title: '--context picks another context', files: { a: full() + context('ctx-2', 'c1', 'u1', 'NS').replace(/^/, '').replace(/^- /, '- ') }, env: 'a', flags: ['--context', 'ctx-1'] },
  { title: '--cluster overrides the context\'s cluster', files: { a: config({ clusters: cluster('c1', 'BAD') + cluster('c2'), users: user('u1', admin), contexts: context('ctx-1', 'c1', 'u1'), current: 'ctx-1' }) }, env: 'a', flags: ['--cluster', 'c2'] },
  { title: '--user overrides the context\'s user', files: { a: config({ clusters: cluster('c1'), users: user('u1', admin) + user('u2', 'token: TOKA'), contexts: context('ctx-1', 'c1', 'u1', 'NS'), current: 'ctx-1' }) }, env: 'a', flags: ['--user', 'u2'] },
  { title: '--server overrides the cluster\'s server', files: { a: config({ clusters: cluster('c1', 'BAD'), users: user('u1', admin), contexts: context('ctx-1', 'c1', 'u1'), current: 'ctx-1' }) }, env: 'a', flags: ['--server', 'SERVER'] },
  { title: '--token overrides the user\'s credentials', files: { a: full('NS') }, env: 'a', flags: ['--token', 'TOKB'] },
  { title: '--kubeconfig beside KUBECONFIG: only --kubeconfig counts', files: { a: full('NS'), b: config({ clusters: cluster('c1', 'BAD'), users: user('u1', admin), contexts: context('ctx-1', 'c1', 'u1'), current: 'ctx-1' }) }, env: 'b', flags: ['--kubeconfig', 'DIR/a'] },
  { title: 'impersonation fields in the user (as)', files: { a: config({ clusters: cluster('c1'), users: user('u1', `${admin}\n    as: system:serviceaccount:NS:alpha`), contexts: context('ctx-1', 'c1', 'u1', 'NS'), current: 'ctx-1' }) }, env: 'a' },
  { title: 'as with as-groups', files: { a: config({ clusters: cluster('c1'), users: user('u1', `${admin}\n    as: someone\n    as-groups: [team-a, team-b]`), contexts: context('ctx-1', 'c1', 'u1', 'NS'), current: 'ctx-1' }) }, env: 'a' },
  { title: 'no current-context but --context', files: { a: config({ clusters: cluster('c1'), users: user('u1', admin), contexts: context('ctx-1', 'c1', 'u1', 'NS') }) }, env: 'a', flags: ['--context', 'ctx-1'] },
  { title: 'current-context naming a missing context', files: { a: config({ clusters: cluster('c1'), users: user('u1', admin), contexts: context('ctx-1', 'c1', 'u1'), current: 'nope' }) }, env: 'a' },
  { title: '--context naming a missing context', files: { a: full() }, env: 'a', flags: ['--context', 'nope'] },
  { title: 'a context naming a missing user', files: { a: config({ clusters: cluster('c1'), contexts: context('ctx-1', 'c1', 'ghost', 'NS'), current: 'ctx-1' }) }, env: 'a' },
  { title: 'duplicate names across files, second file\'s extra entries still used', files: { a: config({ users: user('u1', 'token: TOKA') }), b: config({ clusters: cluster('c1'), users: user('u1', admin) + user('u2', 'token: TOKB'), contexts: context('ctx-1', 'c1', 'u2', 'NS'), current: 'ctx-1' }) }, env: 'a:b' },
];

let ns = '';
const values: Record<string, string> = {};

test.before(async () => {
  const c = await ensureCluster();
  ns = await createNamespace('parity-kubeconfig');
  for (const sa of ['alpha', 'beta']) await kubectlOk(['create', 'serviceaccount', sa, '-n', ns]);
  const pki = path.dirname(c.caFile);
  Object.assign(values, {
    SERVER: c.server,
    BAD: 'https://127.0.0.1:1',
    CADATA: fs.readFileSync(c.caFile).toString('base64'),
    CERTDATA: fs.readFileSync(path.join(pki, 'admin.crt')).toString('base64'),
    KEYDATA: fs.readFileSync(path.join(pki, 'admin.key')).toString('base64'),
    CAPEM: fs.readFileSync(c.caFile, 'utf8'),
    CERTPEM: fs.readFileSync(path.join(pki, 'admin.crt'), 'utf8'),
    KEYPEM: fs.readFileSync(path.join(pki, 'admin.key'), 'utf8'),
    TOKA: (await kubectlOk(['create', 'token', 'alpha', '-n', ns, '--duration=1h'])).trim(),
    TOKB: (await kubectlOk(['create', 'token', 'beta', '-n', ns, '--duration=1h'])).trim(),
    NS: ns,
  });
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
});

interface Observed {
  outcome: string;
}

/** What one run shows: the first server it asked, and the list's namespace, status and refused user. */
function observe(code: number, stderr: string, requests: Array<{ url: string; status: string }>): Observed {
  const first = requests[0];
  const list = requests.find((r) => /\/configmaps(\?|$)/.test(r.url));
  const refusedUser = /User "([^"]+)"/.exec(stderr)?.[1];
  if (!first) return { outcome: code === 0 ? 'ok without a request?' : 'failed before any request' };
  const host = new URL(first.url).host;
  if (!list) return { outcome: `${host}: no list (${code === 0 ? 'exit 0' : 'failed'})` };
  const namespace = /\/namespaces\/([^/]+)\//.exec(new URL(list.url).pathname)?.[1] ?? '-';
  return { outcome: `${host} ns=${namespace} status=${list.status || 'none'}${refusedUser ? ` user=${refusedUser}` : ''}` };
}

function runKubectl(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(binaryOfKubectl, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}
let binaryOfKubectl = '';

test('the kubeconfig matrix: the same server, namespace and user as kubectl', async (t) => {
  binaryOfKubectl = (await ensureCluster()).kubectl;
  t.true(cases.length >= 25);
  const diverged: string[] = [];
  await forEachLimited(cases, 3, async (c) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcfg-'));
    try {
      const fill = (text: string) => text.replace(/\b(SERVER|BAD|CADATA|CERTDATA|KEYDATA|CAPEM|CERTPEM|KEYPEM|TOKA|TOKB|NS|DIR)\b/g, (k) => (k === 'DIR' ? dir : values[k]!));
      for (const [name, text] of Object.entries(c.files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), fill(text));
      }
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', KUBECACHEDIR: path.join(dir, '.cache') };
      if (c.env !== undefined) env.KUBECONFIG = c.env.split(':').map((f) => (f === '' ? '' : path.join(dir, f))).join(':');
      const flags = (c.flags ?? []).map(fill);
      const args = ['configmaps', ...flags, '-v=6', '--request-timeout=5s'];
      const theirs = await runKubectl(['get', ...args], env);
      const ours = await runPlugin('lsres', args, { env });
      const kubectlRequests = [...theirs.stderr.matchAll(/url="([^"]+)" status="([^"]*)"/g)].map((m) => ({ url: m[1]!, status: m[2]!.split(' ')[0]! }));
      // Answered requests log `GET URL 200 OK in N milliseconds`; failed ones `GET URL  in N milliseconds (ECONNREFUSED)`.
      const ourRequests = [...ours.stderr.matchAll(/round_trippers\] [A-Z]+ (https?:\/\/\S+) (\d{3})? ?\S* ?in \d+ milliseconds/g)].map((m) => ({ url: m[1]!, status: m[2] ?? '' }));
      const expected = observe(theirs.code, theirs.stderr, kubectlRequests);
      const actual = observe(ours.code, ours.stderr, ourRequests);
      if (expected.outcome !== actual.outcome) diverged.push(`${c.title}: kubectl ${expected.outcome} | ours ${actual.outcome}${actual.outcome.startsWith('failed') ? ` (${ours.stderr.trim().split('\n').at(-1)})` : ''}`);
      if (ours.stderr.includes(values.TOKA!) || ours.stderr.includes(values.TOKB!)) diverged.push(`${c.title}: a token in our output`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  t.deepEqual(diverged, [], `${cases.length} cases`);
});
