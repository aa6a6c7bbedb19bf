/**
 * The release step that pins the in-cluster manifest (plugins/watchq/deploy/watchq.yaml) to the
 * watchq image it pushed, by digest: the image reference becomes
 * `ghcr.io/kubectl-plugins/kubectl-watchq:<version>@sha256:<digest>`.
 *
 *   docker buildx build -f plugins/watchq/deploy/Dockerfile --push \
 *     -t ghcr.io/kubectl-plugins/kubectl-watchq:0.1.0 --metadata-file /tmp/meta.json .
 *   node scripts/sea/pin-image.ts "$(jq -r '."containerimage.digest"' /tmp/meta.json)"
 *
 * Usage: node scripts/sea/pin-image.ts sha256:<64 hex> [--file PATH] [--version X]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from './tasks.ts';
import { releaseVersion, repoRoot } from './targets.ts';

export const watchqImage = 'ghcr.io/kubectl-plugins/kubectl-watchq';
export const watchqManifest = join(repoRoot, 'plugins', 'watchq', 'deploy', 'watchq.yaml');
/** Every in-cluster manifest carrying the image: one leader, and the sharded one. */
export const watchqManifests = [watchqManifest, join(repoRoot, 'plugins', 'watchq', 'deploy', 'watchq-sharded.yaml')];

/** A digest as registries give it. */
export const digestPattern = /^sha256:[0-9a-f]{64}$/;

/** The placeholder the checked-in manifest carries until a release pins it. */
export const placeholderDigest = `sha256:${'0'.repeat(64)}`;

/** `text` with every reference to the watchq image set to `version` and `digest`. */
export function pinImage(text: string, digest: string, version: string): string {
  if (!digestPattern.test(digest)) throw new Error(`"${digest}" is not a digest (sha256:<64 lowercase hex>)`);
  if (digest === placeholderDigest) throw new Error('that is the placeholder digest, not an image');
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version)) throw new Error(`version "${version}" is not semver`);
  const reference = new RegExp(`(image:\\s*)${watchqImage.replace(/[.]/g, '\\.')}(?::[\\w.-]+)?(?:@sha256:[0-9a-f]{64})?`, 'g');
  let count = 0;
  const out = text.replace(reference, (_m, prefix: string) => {
    count++;
    return `${prefix}${watchqImage}:${version}@${digest}`;
  });
  if (count === 0) throw new Error(`no image ${watchqImage} in the manifest`);
  return out;
}

/** Every `image:` of a manifest text, for checks. */
export function imagesOf(text: string): string[] {
  return [...text.matchAll(/^\s*image:\s*(\S+)\s*$/gm)].map((m) => m[1]!);
}

/** `name[:tag]@sha256:<64 hex>`: pinned by digest. */
export const isPinned = (image: string): boolean => /^[^\s@]+@sha256:[0-9a-f]{64}$/.test(image);

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { file: { type: 'string' }, version: { type: 'string' } } });
  const digest = positionals[0];
  if (digest === undefined || positionals.length > 1) throw new Error('usage: node scripts/sea/pin-image.ts sha256:<digest> [--file PATH] [--version X]');
  for (const file of values.file ? [values.file] : watchqManifests) {
    await writeFileAtomic(file, pinImage(readFileSync(file, 'utf8'), digest, values.version ?? releaseVersion()));
    process.stdout.write(`pinned ${file} to ${watchqImage}:${values.version ?? releaseVersion()}@${digest}\n`);
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`pin-image failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
