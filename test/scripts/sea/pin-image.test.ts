import test from 'ava';
import fs from 'node:fs';
import { imagesOf, isPinned, pinImage, placeholderDigest, watchqManifest } from '../../../scripts/sea/pin-image.ts';

const digest = `sha256:${'ab'.repeat(32)}`;

test('the release step pins the watchq image of the manifest to the pushed digest and version', (t) => {
  const text = fs.readFileSync(watchqManifest, 'utf8');
  const pinned = pinImage(text, digest, '0.2.0');
  t.deepEqual(imagesOf(pinned), [`ghcr.io/kubectl-plugins/kubectl-watchq:0.2.0@${digest}`]);
  t.is(pinned.replace(/kubectl-watchq:0\.2\.0@sha256:[0-9a-f]{64}/, 'X'), text.replace(/kubectl-watchq:0\.1\.0@sha256:[0-9a-f]{64}/, 'X'), 'nothing else changes');
  t.is(pinImage(pinned, digest, '0.2.0'), pinned, 'idempotent');
});

test('a digest that is not one, the placeholder, or a manifest without the image: refused', (t) => {
  const text = fs.readFileSync(watchqManifest, 'utf8');
  t.throws(() => pinImage(text, 'sha256:abc', '0.1.0'), { message: /is not a digest/ });
  t.throws(() => pinImage(text, 'latest', '0.1.0'), { message: /is not a digest/ });
  t.throws(() => pinImage(text, placeholderDigest, '0.1.0'), { message: /placeholder/ });
  t.throws(() => pinImage('image: nginx:latest\n', digest, '0.1.0'), { message: /no image/ });
});

test('pinned means name[:tag]@sha256:<64 hex>', (t) => {
  t.true(isPinned(`gcr.io/distroless/cc-debian12:nonroot@${digest}`));
  t.false(isPinned('gcr.io/distroless/cc-debian12:nonroot'));
  t.false(isPinned('nginx@sha256:abc'));
});
