import test from 'ava';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkManifest, defaultBaseUrl, downloadUrlProblem, releaseBaseUrl, renderManifest, shimCommand, type ReleasedArchive } from '../../../scripts/sea/krew-manifest.ts';
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
    t.true(m.spec.platforms.length === targets.length, 'every target');
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
    kubectl lsres -A lists everything
    $ kubectl get pods
    Lists things:
      in a code block
  caveats: |
    Run this first:
      kubectl create namespace x
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
    /description has a usage example: "kubectl lsres -A lists everything"/,
    /description has a usage example: "\$ kubectl get pods"/,
    /description has a usage example: "in a code block"/,
    /caveats run something other than the completion shim: "kubectl create namespace x"/,
    /linux_amd64 files are/,
    /must go to "."/,
    /bin lsres/,
    /sha256 is not 64/,
    /no platform for windows_amd64/,
  ]) {
    t.true(problems.some((p) => expected.test(p)), `${expected}: ${problems.join(' | ')}`);
  }
});

for (const plugin of plugins) {
  test(`krew/${plugin}.yaml: description without usage, caveats only for the completion shim`, async (t) => {
    const template = await readFile(join(paths.krewTemplates, `${plugin}.yaml`), 'utf8');
    const m = parse(template) as { spec: { shortDescription: string; description: string; caveats: string; homepage: string } };
    t.true(m.spec.shortDescription.length <= 50);
    t.true(m.spec.description.split('\n').every((l) => l.length <= 80));
    t.false(/kubectl[ -]\w+ -|^\s|`/m.test(m.spec.description), 'no command lines in the description');
    const commands = m.spec.caveats.split('\n').filter((l) => /^\s+\S/.test(l)).map((l) => l.trim());
    t.deepEqual(commands, [shimCommand(plugin), `rm "\${KREW_ROOT:-$HOME/.krew}/bin/kubectl_complete-${plugin}"`]);
  });
}

test('renderManifest with builtOnly keeps the platforms that have an archive, and checkManifest takes those targets', async (t) => {
  const template = await readFile(join(paths.krewTemplates, 'lsres.yaml'), 'utf8');
  const linux = targets.filter((x) => x.os === 'linux');
  const text = renderManifest(template, { version: '1.2.3', baseUrl: 'http://127.0.0.1:1', archives: archives('lsres').filter((a) => a.target.os === 'linux'), builtOnly: true });
  const m = parse(text) as { spec: { platforms: { selector: { matchLabels: Record<string, string> } }[]; caveats: string } };
  t.deepEqual(m.spec.platforms.map((p) => `${p.selector.matchLabels['os']}_${p.selector.matchLabels['arch']}`), ['linux_amd64', 'linux_arm64']);
  t.deepEqual(checkManifest('lsres', text, { rendered: true, targets: linux, allowLoopbackHttp: true }), []);
  t.true(checkManifest('lsres', text, { rendered: true, allowLoopbackHttp: true }).some((p) => /no platform for darwin_amd64/.test(p)), 'all five by default');
  t.is(m.spec.caveats, (parse(template) as { spec: { caveats: string } }).spec.caveats, 'block scalars survive the round trip');
  t.throws(() => renderManifest(template, { version: '1', baseUrl: 'u', archives: [], builtOnly: true }), { message: /no platform/ });
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

test('download URLs: https only for a real release; plain http on loopback only when a test allows it', (t) => {
  t.is(downloadUrlProblem('https://github.com/x/releases/download/v1/a.tar.gz'), undefined);
  t.regex(downloadUrlProblem('http://example.com/a.tar.gz') ?? '', /is not https$/);
  t.regex(downloadUrlProblem('http://127.0.0.1:8080/a.tar.gz') ?? '', /is not https \(plain http on loopback is for tests only\)/);
  t.is(downloadUrlProblem('http://127.0.0.1:8080/a.tar.gz', true), undefined);
  t.is(downloadUrlProblem('http://[::1]:8080/a.tar.gz', true), undefined);
  t.regex(downloadUrlProblem('http://example.com/a.tar.gz', true) ?? '', /is not https/);
  t.regex(downloadUrlProblem('ftp://127.0.0.1/a', true) ?? '', /is not https/);
  t.regex(downloadUrlProblem('https://u:p@host/a') ?? '', /no credentials/);
  t.regex(downloadUrlProblem('nope') ?? '', /not a URL/);
});

test('a rendered manifest with an http download URL fails the checks (before: accepted)', async (t) => {
  const template = await readFile(join(paths.krewTemplates, 'lsres.yaml'), 'utf8');
  const text = renderManifest(template, { version: '1.2.3', baseUrl: 'http://downloads.example.com/v1.2.3', archives: archives('lsres') });
  const problems = checkManifest('lsres', text, { rendered: true });
  t.is(problems.length, 5, problems.join('\n'));
  t.true(problems.every((p) => /uri: http:\/\/downloads\.example\.com\/v1\.2\.3\/kubectl-lsres_1\.2\.3_\w+\.(tar\.gz|zip) is not https$/.test(p)), problems.join('\n'));
});

test('release() refuses a non-https RELEASE_BASE_URL before building anything', async (t) => {
  const { release } = await import('../../../scripts/release.ts');
  const root = await mkdtemp(join(tmpdir(), 'release-url-'));
  await t.throwsAsync(release({ plugins: ['lsres'], targets: [], baseUrl: 'http://127.0.0.1:9/dl', root }), { message: /download URL http:\/\/127\.0\.0\.1:9\/dl \(RELEASE_BASE_URL\): .* is not https \(plain http on loopback is for tests only\)/ });
  t.deepEqual(await readdir(root), ['.state'], 'nothing built (only the lock directory)');
});
