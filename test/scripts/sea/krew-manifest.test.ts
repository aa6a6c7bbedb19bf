import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkManifest, defaultBaseUrl, releaseBaseUrl, renderManifest, type ReleasedArchive } from '../../../scripts/sea/krew-manifest.ts';
import { archiveName, paths, targetName, targets } from '../../../scripts/sea/targets.ts';

const plugins = ['lsres', 'dynget', 'mkdeploy', 'watchq'];

const archives = (plugin: string): ReleasedArchive[] =>
  targets.map((target, i) => ({ target, fileName: archiveName(plugin, '1.2.3', target), sha256: `${i}`.repeat(64).toUpperCase() }));

for (const plugin of plugins) {
  test(`krew/${plugin}.yaml is a valid template and renders to a valid manifest`, async (t) => {
    const template = await readFile(join(paths.krewTemplates, `${plugin}.yaml`), 'utf8');
    t.deepEqual(checkManifest(plugin, template, { rendered: false }), []);

    const text = renderManifest(template, { version: '1.2.3', baseUrl: 'https://example.test/dl', archives: archives(plugin) });
    t.deepEqual(checkManifest(plugin, text, { rendered: true }), []);
    t.false(text.includes('{{'), 'no placeholder is left');
    t.false(text.startsWith('#'), "the template's note is not carried over");

    const m = parse(text) as { spec: { version: string; platforms: { uri: string; sha256: string; selector: { matchLabels: Record<string, string> } }[] } };
    t.is(m.spec.version, 'v1.2.3');
    for (const p of m.spec.platforms) {
      const name = `${p.selector.matchLabels['os']}_${p.selector.matchLabels['arch']}`;
      const i = targets.findIndex((x) => targetName(x) === name);
      t.is(p.uri, `https://example.test/dl/${archiveName(plugin, '1.2.3', targets[i]!)}`);
      t.is(p.sha256, `${i}`.repeat(64), 'sha256 is lowercase');
    }
  });
}

test('checkManifest reports what krew index reviewers would', (t) => {
  const bad = `apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: lsres
spec:
  version: v1.0.0
  homepage: http://insecure
  shortDescription: ${'x'.repeat(51)}
  description: |
    ${'y'.repeat(81)}
  caveats: nothing about completion
  platforms:
  - selector:
      matchLabels: {os: linux, arch: amd64}
    uri: https://x/a.tar.gz
    sha256: ABC
    files: [{from: kubectl-lsres, to: bin}]
    bin: lsres
`;
  const problems = checkManifest('lsres', bad, { rendered: true });
  for (const expected of [
    /shortDescription has 51/,
    /homepage/,
    /description line 1 has 81 columns/,
    /completion --install-kubectl-shim/,
    /linux_amd64 files are/,
    /must go to "."/,
    /bin lsres/,
    /sha256 is not 64/,
    /no platform for windows_amd64/,
  ]) {
    t.true(problems.some((p) => expected.test(p)), `${expected}: ${problems.join(' | ')}`);
  }
});

test('renderManifest refuses unknown placeholders and missing archives', (t) => {
  t.throws(() => renderManifest('x: "{{nope}}"', { version: '1', baseUrl: 'u', archives: [] }), { message: /unknown placeholder/ });
  t.throws(() => renderManifest('x: "{{uri linux_amd64}}"', { version: '1', baseUrl: 'u', archives: [] }), { message: /no archive/ });
});

test('the base URL comes from RELEASE_BASE_URL, else the GitHub release', (t) => {
  const saved = process.env['RELEASE_BASE_URL'];
  try {
    delete process.env['RELEASE_BASE_URL'];
    t.is(releaseBaseUrl('0.1.0'), defaultBaseUrl('0.1.0'));
    t.is(releaseBaseUrl('0.1.0'), 'https://github.com/kubectl-plugins/kubectl-plugins/releases/download/v0.1.0');
    process.env['RELEASE_BASE_URL'] = 'http://127.0.0.1:8080/rel/';
    t.is(releaseBaseUrl('0.1.0'), 'http://127.0.0.1:8080/rel');
  } finally {
    if (saved === undefined) delete process.env['RELEASE_BASE_URL'];
    else process.env['RELEASE_BASE_URL'] = saved;
  }
});
