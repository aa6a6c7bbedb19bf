/**
 * checksums.txt, signed: krew checks each archive's sha256 against its manifest, but someone
 * downloading an archive by hand has only checksums.txt, fetched from the same place. A
 * signature ties it to the project's release key.
 *
 * The tool is OpenSSH's `ssh-keygen -Y sign` (openssh-client, in every distribution's registry;
 * no other key infrastructure needed): the release signs with RELEASE_SIGNING_KEY (a private key
 * file) and writes checksums.txt.sig beside it. Users verify with the published allowed-signers
 * line (release/allowed_signers in the repository, once the maintainers put their key there):
 *
 *   ssh-keygen -Y verify -f allowed_signers -I release@kubectl-plugins -n kubectl-plugins-release \
 *     -s checksums.txt.sig < checksums.txt
 *   sha256sum --ignore-missing -c checksums.txt
 *
 * Without RELEASE_SIGNING_KEY the release says that checksums.txt is unsigned (it does not fail:
 * local and test releases have no key).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The signature's namespace: a signature for another purpose never verifies as a release's. */
export const signatureNamespace = 'kubectl-plugins-release';
export const signerIdentity = 'release@kubectl-plugins';

/** Signs `file` with the private key at `key`; returns the signature's path (`file`.sig). */
export async function signChecksums(file: string, key: string): Promise<string> {
  if (!existsSync(key)) throw new Error(`RELEASE_SIGNING_KEY ${key} does not exist`);
  const sig = `${file}.sig`;
  await rm(sig, { force: true });
  try {
    await run('ssh-keygen', ['-Y', 'sign', '-q', '-f', key, '-n', signatureNamespace, file]);
  } catch (error) {
    throw new Error(`ssh-keygen -Y sign ${file}: ${((error as { stderr?: string }).stderr ?? (error as Error).message).trim()}`, { cause: error });
  }
  if (!existsSync(sig)) throw new Error(`ssh-keygen -Y sign wrote no ${sig}`);
  return sig;
}

/** What a user runs: true when `signature` is a release signature of `data` by a key in `allowedSigners`. */
export function verifyChecksums(data: Buffer, signature: string, allowedSigners: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh-keygen', ['-Y', 'verify', '-f', allowedSigners, '-I', signerIdentity, '-n', signatureNamespace, '-s', signature], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.once('error', reject);
    child.once('close', (code) => resolve(code === 0));
    child.stdin.end(data);
  });
}

/** The allowed-signers line for a public key (`ssh-ed25519 AAAA… comment`). */
export const allowedSignersLine = (publicKey: string): string => `${signerIdentity} namespaces="${signatureNamespace}" ${publicKey.trim().split(/\s+/).slice(0, 2).join(' ')}\n`;
