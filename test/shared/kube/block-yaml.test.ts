/**
 * The quick kubeconfig reader against the full YAML parser (the `yaml` package, YAML 1.1, as
 * kubeconfig.ts calls it): whatever block-yaml accepts, it reads exactly as the full parser does,
 * and the kubeconfigs people have (kubectl's own output, cloud CLIs' exec users) are accepted.
 */
import test from 'ava';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { parseBlockYaml } from '../../../shared/kube/block-yaml.ts';

const full = (text: string): unknown => parse(text, { logLevel: 'error', version: '1.1' });

/** Either outside the subset, or the same value the full parser reads (which must not fail). */
function agrees(text: string): boolean {
  const quick = parseBlockYaml(text);
  if (quick === undefined) return true;
  let expected: unknown;
  try {
    expected = full(text);
  } catch {
    return false;
  }
  return JSON.stringify(quick) === JSON.stringify(expected) && sameTypes(quick, expected);
}

function sameTypes(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => sameTypes((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const kubectlStyle = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://127.0.0.1:40065
  name: local
- cluster:
    insecure-skip-tls-verify: true
    proxy-url: socks5://127.0.0.1:1080
    server: https://10.0.0.1
    tls-server-name: kubernetes.default
  name: other
contexts:
- context:
    cluster: local
    namespace: team-a
    user: admin
  name: local
current-context: local
kind: Config
preferences: {}
users:
- name: admin
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - prod
      command: aws
      env:
      - name: AWS_PROFILE
        value: prod
      interactiveMode: IfAvailable
      provideClusterInfo: false
- name: gke
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      installHint: "Install gke-gcloud-auth-plugin for use with kubectl by following\\n https://cloud.google.com/blog"
      provideClusterInfo: true
- name: oidc
  user:
    auth-provider:
      config:
        client-id: kubernetes
        idp-issuer-url: https://dex.example.com
      name: oidc
`;

test('kubectl\'s own layout, exec users and auth providers are read as the full parser reads them', (t) => {
  const quick = parseBlockYaml(kubectlStyle);
  t.not(quick, undefined);
  t.deepEqual(quick, full(kubectlStyle));
});

test('indented sequences, comments, quoted values, extra spaces after the dash and null values', (t) => {
  const text = [
    '# written by hand',
    'clusters:',
    '  - name: "quoted name"   # trailing comment',
    '    cluster:',
    "      server: 'https://it''s:6443'",
    '      extensions:',
    '      -   name: client.authentication.k8s.io/exec',
    '          extension:',
    '            audience: a#b',
    'users:',
    '-',
    '  name: empty',
    '  user:',
    'contexts: []',
    'current-context: ~',
    'flags: [ ]',
  ].join('\n');
  // `[ ]` is a flow sequence with spaces: outside the subset, like any other flow content.
  t.is(parseBlockYaml(text), undefined);
  const accepted = text.replace('flags: [ ]', 'flags: []');
  t.deepEqual(parseBlockYaml(accepted), full(accepted));
  t.like(parseBlockYaml(accepted) as object, { 'current-context': null, contexts: [] });
});

test('YAML 1.1 booleans and nulls, as kubectl reads them', (t) => {
  for (const word of ['yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y', 'true', 'True', 'TRUE', 'no', 'NO', 'off', 'Off', 'n', 'N', 'false', 'FALSE', 'null', 'Null', 'NULL', '~', 'nULL', 'yES', 'tRUE']) {
    const text = `value: ${word}\n`;
    t.deepEqual(parseBlockYaml(text), full(text), word);
  }
});

test('what the subset leaves to the full parser', (t) => {
  const outside = [
    'a: &x 1\nb: *x\n', // anchors
    'a: !!str 1\n', // tags
    'a: |\n  text\n', // block scalars
    'a: >\n  text\n',
    'a: one\n  two\n', // a multi-line plain scalar
    '- one\n  two\n',
    'a: {b: c}\n', // flow collections
    'a: [b]\n',
    '---\na: b\n', // documents
    '%YAML 1.1\n---\na: b\n',
    'a: b\r\nc: d\r\n', // CRLF, tabs
    'a:\tb\n',
    'a: b\na: c\n', // duplicate keys (the full parser's error)
    'a: 1\n', // numbers, dates, merges
    'a: -1\n',
    'a: .5\n',
    'a: 0x1F\n',
    'a: 2001-12-14\n',
    '<<: {a: b}\n',
    'yes: key\n', // keys the 1.1 schema reads as booleans or null
    'null: key\n',
    '"quoted": key\n',
    '1: key\n',
    'a: b: c\n', // errors
    'a: - b\n',
    '  a: b\n',
    'a:\n    b: c\n  d: e\n',
    'just a scalar\n',
    '',
    'a: "\\x41"\n', // escapes other than \\ \" \/ \n \t
  ];
  for (const text of outside) t.is(parseBlockYaml(text), undefined, JSON.stringify(text));
});

// Kubeconfig-shaped values (names, URLs, base64, flags), then strings the full printer must
// quote or that YAML reads as something else, and any string at all.
const plain = fc.constantFrom('local', 'https://127.0.0.1:6443', 'LS0tLS1CRUdJTi==', '--region', 'eu-west-1', 'a#b', 'IfAvailable', 'client.authentication.k8s.io/v1', '/home/me/.kube/ca.crt', 'yes', 'No', '~', 'null', 'true', '~x', 'tab\\t');
const awkward = fc.constantFrom('a #b', 'x: y', '', ' lead', 'trail ', "it's", 'say "hi"', 'back\\slash', 'line\nbreak', 'tab\there', '-', '- x', '1.5', '0755', '2001-12-14', '@at', '%p', '*star', '&amp', '!bang', '|pipe', '>gt', '[x]', '{x}', ':colon', '?q', ',c', '`tick`', '<<', '\u00e9t\u00e9');
const word = fc.oneof({ arbitrary: plain, weight: 8 }, { arbitrary: awkward, weight: 2 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
const key = fc.oneof({ arbitrary: fc.constantFrom('name', 'server', 'client-key-data', 'exec', 'args', 'env', 'value', 'a.b/c', '_x', 'insecure-skip-tls-verify'), weight: 12 }, { arbitrary: fc.constantFrom('yes', 'on', '1', 'null', 'x y', '-k', '"q"'), weight: 1 }, { arbitrary: fc.string({ minLength: 1, maxLength: 8 }), weight: 1 });
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, word, fc.boolean(), fc.constant(null), tie('map'), tie('seq')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  seq: fc.array(tie('node'), { maxLength: 4 }),
})).node;
const document = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });

test('property: on documents the full printer writes (kubectl\'s compact sequences and indented ones), the quick reader agrees or steps aside', (t) => {
  let accepted = 0;
  fc.assert(
    fc.property(document, fc.boolean(), (doc, indentSeq) => {
      const text = stringify(doc, { version: '1.1', indentSeq, lineWidth: 0 });
      if (parseBlockYaml(text) !== undefined) accepted++;
      return agrees(text);
    }),
    { numRuns: 3000 },
  );
  // The property must not hold only because everything fell back.
  t.true(accepted > 900, `${accepted} of 3000 documents read by the quick reader`);
});

test('property: mangled kubeconfigs (characters inserted, removed, indentation shifted) are never read differently', (t) => {
  const base = kubectlStyle.split('\n');
  let accepted = 0;
  const noise = fc.constantFrom(' ', '  ', '-', '- ', ':', ': ', '#', ' #', '"', "'", '{', '[', '&', '*', '!', '|', '>', '\\', '~', '1', 'yes', '\t', '\r');
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(40), fc.oneof(noise, fc.constant(''))), { minLength: 1, maxLength: 4 }), (edits) => {
      const lines = [...base];
      for (const [line, column, insert] of edits) {
        const text = lines[line]!;
        const at = Math.min(column, text.length);
        lines[line] = insert === '' ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + insert + text.slice(at);
      }
      const text = lines.join('\n');
      if (parseBlockYaml(text) !== undefined) accepted++;
      return agrees(text);
    }),
    { numRuns: 3000 },
  );
  t.true(accepted > 300, `${accepted} of 3000 mangled documents read by the quick reader`);
});
