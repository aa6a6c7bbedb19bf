import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allowedSignersLine, signChecksums, verifyChecksums } from '../../../scripts/sea/sign-checksums.ts';

function keyPair(dir: string, name: string): { key: string; allowed: string } {
  const key = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  const allowed = path.join(dir, `${name}.allowed_signers`);
  fs.writeFileSync(allowed, allowedSignersLine(fs.readFileSync(`${key}.pub`, 'utf8')));
  return { key, allowed };
}

test('checksums.txt signed with the release key verifies; changed, or signed by another key, it does not', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-checksums-'));
  const release = keyPair(dir, 'release');
  const other = keyPair(dir, 'other');
  const file = path.join(dir, 'checksums.txt');
  const text = `${'a'.repeat(64)}  kubectl-lsres_0.1.0_linux_amd64.tar.gz\n`;
  fs.writeFileSync(file, text);
  const sig = await signChecksums(file, release.key);
  t.is(sig, `${file}.sig`);
  t.regex(fs.readFileSync(sig, 'utf8'), /^-----BEGIN SSH SIGNATURE-----/);
  t.true(await verifyChecksums(Buffer.from(text), sig, release.allowed));
  t.false(await verifyChecksums(Buffer.from(text.replace('a', 'b')), sig, release.allowed), 'a changed checksum');
  t.false(await verifyChecksums(Buffer.from(text), sig, other.allowed), 'another key');
  await t.throwsAsync(signChecksums(file, path.join(dir, 'missing')), { message: /does not exist/ });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a release signs checksums.txt with RELEASE_SIGNING_KEY, and leaves no stale signature without it', async (t) => {
  const { release } = await import('../../../scripts/release.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-release-'));
  const { key, allowed } = keyPair(dir, 'release');
  const root = path.join(dir, 'dist');
  // No targets: nothing is built but the bundle; checksums.txt lists this version's archives (none).
  await release({ plugins: ['lsres'], targets: [], version: '0.0.0-signtest', root, signingKey: key });
  const file = path.join(root, 'release', 'checksums.txt');
  t.true(await verifyChecksums(fs.readFileSync(file), `${file}.sig`, allowed));
  await release({ plugins: ['lsres'], targets: [], version: '0.0.0-signtest', root, signingKey: '' });
  t.false(fs.existsSync(`${file}.sig`), 'an unsigned release removes the old signature');
  fs.rmSync(dir, { recursive: true, force: true });
});
