/**
 * `mkdeploy -f` reads what `kubectl create -f` reads, kubectl as the oracle on the same argv:
 * directories (only their own files, or every level with -R/--recursive, in the same order),
 * http:// URLs from a server on 127.0.0.1 (200, 404, a 500 retried), and the same refusals for
 * paths that do not exist or hold no manifest. Client dry runs print what kubectl prints.
 */
import test from 'ava';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createNamespace, deleteNamespace, ensureCluster, kubectl } from '../helpers/cluster.ts';
import { sameAsKubectl, type Outcome } from '../helpers/oracle.ts';
import { runPlugin } from '../helpers/plugin.ts';

let ns = '';
let kubeconfig = '';
let dir = '';
let server: http.Server;
let base = '';
const hits = new Map<string, number>();

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  from: ${name}\n`;

test.before(async () => {
  kubeconfig = (await ensureCluster()).kubeconfig;
  ns = await createNamespace('parity-mkdeploy-sources');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mkdeploy-sources-'));
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(path.join(tree, 'b-sub', 'deeper'), { recursive: true });
  fs.mkdirSync(path.join(tree, 'empty'));
  fs.writeFileSync(path.join(tree, 'a.yaml'), cm('top-a'));
  fs.writeFileSync(path.join(tree, 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'top-c' } }));
  fs.writeFileSync(path.join(tree, 'b-sub', 'b.yml'), cm('sub-b'));
  fs.writeFileSync(path.join(tree, 'b-sub', 'notes.txt'), 'not a manifest');
  fs.writeFileSync(path.join(tree, 'b-sub', 'deeper', 'd.yaml'), `${cm('deep-d')}---\n${cm('deep-e')}`);
  fs.mkdirSync(path.join(dir, 'nothing'));
  fs.writeFileSync(path.join(dir, 'nothing', 'readme.md'), '# no manifests here');
  server = http.createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    if (req.url === '/app.yaml') res.writeHead(200, { 'Content-Type': 'application/yaml' }).end(`${cm('from-url')}---\n${cm('from-url-2')}`);
    else if (req.url?.startsWith('/broken')) res.writeHead(500).end('boom');
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after.always(async () => {
  if (ns) await deleteNamespace(ns);
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const fill = (args: string[]) => args.map((a) => a.replaceAll('DIR', dir).replaceAll('URL', base));
const ours = (args: string[]) => (): Promise<Outcome> => runPlugin('mkdeploy', ['--kubeconfig', kubeconfig, '-n', ns, ...fill(args)]);
const theirs = (args: string[]) => (): Promise<Outcome> => kubectl(['create', '-n', ns, ...fill(args)]);

const accepted: string[][] = [
  ['-f', 'DIR/tree', '--dry-run=client'],
  ['-f', 'DIR/tree', '-R', '--dry-run=client'],
  ['-f', 'DIR/tree', '--recursive', '--dry-run=client', '-o', 'name'],
  ['-R', '-f', 'DIR/tree/b-sub', '-f', 'DIR/tree/a.yaml', '--dry-run=client'],
  ['-f', 'DIR/tree/b-sub/notes.txt', '-f', 'DIR/tree', '--dry-run=client', '--validate=false'],
  ['-f', 'URL/app.yaml', '--dry-run=client'],
  ['-f', 'DIR/tree/*.yaml', '-f', 'DIR/tree/b-sub/[bd]*', '--dry-run=client'],
  ['-f', 'URL/app.yaml', '-f', 'DIR/tree/a.yaml', '--dry-run=client', '-o', 'yaml'],
  ['-f', 'DIR/tree', '-R', '--dry-run=server', '-o', 'name'],
];

for (const args of accepted) {
  test(`mkdeploy ${args.join(' ')}: as kubectl create`, async (t) => {
    if (args.includes('DIR/tree/b-sub/notes.txt')) {
      // A file named on the line is read whatever its extension; this one is no manifest: both refuse it.
      const [a, b] = await Promise.all([ours(args)(), theirs(args)()]);
      t.not(a.code, 0);
      t.not(b.code, 0);
      t.is(a.stdout, '');
      return;
    }
    // A client dry run prints objects as written: kubectl fills in the namespace, which needs
    // discovery (is the kind namespaced?), and ours sends nothing (README "mkdeploy").
    const mask = args.includes('--dry-run=client') ? (text: string) => text.replace(new RegExp(`^\\s+namespace: ${ns}\\n`, 'gm'), '') : undefined;
    await sameAsKubectl(t, args.join(' '), ours(args), theirs(args), mask ? { mask } : {});
  });
}

/** kubectl's message lines, `error: ` or not (it prints several missing paths bare). */
const messages = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('hint: ') && !l.startsWith('See ')).map((l) => l.replace(/^error: /, ''));

const refused: string[][] = [
  ['-f', 'DIR/missing.yaml'],
  ['-f', 'DIR/tree/*.yml'],
  ['-f', 'DIR/missing.yaml', '-f', 'DIR/tree', '-f', 'DIR/also-missing'],
  ['-f', 'DIR/tree/empty'],
  ['-f', 'DIR/nothing', '-R'],
  ['-f', 'URL/missing.yaml'],
  ['-f', 'URL/broken.yaml'],
];

for (const args of refused) {
  test(`refused as kubectl create refuses it: ${args.join(' ')}`, async (t) => {
    const [a, b] = await Promise.all([ours([...args, '--dry-run=client'])(), theirs([...args, '--dry-run=client'])()]);
    t.is(a.code, 2, a.stderr);
    t.not(b.code, 0);
    t.is(a.stdout, '');
    t.deepEqual(messages(a.stderr), messages(b.stderr));
  });
}

test('a URL answering 500 is tried three times, as kubectl tries it; a 404 once', async (t) => {
  hits.clear();
  await ours(['-f', 'URL/broken-ours.yaml', '--dry-run=client'])();
  await theirs(['-f', 'URL/broken-theirs.yaml', '--dry-run=client'])();
  await ours(['-f', 'URL/gone.yaml', '--dry-run=client'])();
  t.is(hits.get('/broken-ours.yaml'), 3);
  t.is(hits.get('/broken-theirs.yaml'), 3);
  t.is(hits.get('/gone.yaml'), 1);
});

test('-R without -f is refused, not ignored', async (t) => {
  const r = await ours(['web', '--image', 'nginx', '-R', '--dry-run=client'])();
  t.is(r.code, 2);
  t.is(r.stderr.split('\n')[0], 'error: -R/--recursive reads the directories given with -f: there is none');
});
