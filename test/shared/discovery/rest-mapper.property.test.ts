import test from 'ava';
import fc from 'fast-check';
import type { GroupDiscoveryList, ResourceDiscovery } from '../../../shared/discovery/aggregated.ts';
import { flattenDiscovery } from '../../../shared/discovery/aggregated.ts';
import type { ApiResource } from '../../../shared/discovery/api-resource.ts';
import { fullName, fullyQualifiedName } from '../../../shared/discovery/api-resource.ts';
import { createRestMapper } from '../../../shared/discovery/rest-mapper.ts';

/** One group-resource of a generated document, served in some of its group's versions. */
interface Spec {
  group: string;
  plural: string;
  singular: string;
  kind: string;
  shortNames: string[];
  /** Indexes into the group's version list (0 = preferred). */
  versions: number[];
}

const VERSIONS = ['v1', 'v2', 'v1beta1'];

/** Builds the two documents: the core group (`''`) goes to `/api`, the rest to `/apis` in order. */
function documents(groups: Array<{ name: string; versions: string[] }>, specs: Spec[]) {
  const list = (items: GroupDiscoveryList['items']): GroupDiscoveryList => ({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', items });
  const item = (g: { name: string; versions: string[] }) => ({
    metadata: { name: g.name },
    versions: g.versions.map((version, vi) => ({
      version,
      resources: specs
        .filter((s) => s.group === g.name && s.versions.includes(vi))
        .map(
          (s): ResourceDiscovery => ({
            resource: s.plural,
            singularResource: s.singular,
            responseKind: { group: '', version: '', kind: s.kind },
            scope: 'Namespaced',
            verbs: ['list'],
            shortNames: s.shortNames,
          }),
        ),
    })),
  });
  return {
    core: list(groups.filter((g) => g.name === '').map(item)),
    groups: list(groups.filter((g) => g.name !== '').map(item)),
  };
}

const groupsArb = (names: string[]) =>
  fc
    .uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 4 })
    .chain((gs) =>
      fc.tuple(
        ...[...gs]
          .sort((a, b) => Number(a !== '') - Number(b !== ''))
          .map((name) => fc.uniqueArray(fc.constantFrom(...VERSIONS), { minLength: 1, maxLength: 3 }).map((versions) => ({ name, versions }))),
      ),
    );

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const gvrOf = (r: ApiResource) => `${r.resource}.${r.version}.${r.group}`;

// ---- 1. every resource is reachable by each of its names, when names are unique ----

const uniqueWorld = groupsArb(['', 'apps', 'a.io', 'b.io', 'example.io', 'v1.example.io']).chain((groups) =>
  fc
    .array(
      fc.record({
        group: fc.integer({ min: 0, max: groups.length - 1 }),
        shorts: fc.integer({ min: 0, max: 2 }),
        versions: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }),
        kindCase: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .chain((shapes) =>
      fc.uniqueArray(fc.stringMatching(/^[a-z]{2,7}$/), { minLength: 30, maxLength: 30 }).map((tokens) => {
        let next = 0;
        const take = () => tokens[next++]!;
        const specs: Spec[] = shapes.map((s) => {
          const g = groups[s.group]!;
          const kindToken = take();
          return {
            group: g.name,
            plural: take(),
            singular: take(),
            kind: s.kindCase ? kindToken.toUpperCase() : capitalize(kindToken),
            shortNames: Array.from({ length: s.shorts }, take),
            versions: s.versions.filter((v) => v < g.versions.length).length > 0 ? s.versions.filter((v) => v < g.versions.length) : [0],
          };
        });
        return { groups, specs };
      }),
    ),
);

test('with unique names, every name form of every resource resolves to it', (t) => {
  const details = fc.check(
    fc.property(uniqueWorld, ({ groups, specs }) => {
      const { core, groups: apis } = documents(groups, specs);
      const mapper = createRestMapper(flattenDiscovery(core, apis).resources);
      for (const s of specs) {
        const versions = groups.find((g) => g.name === s.group)!.versions;
        const preferred = versions[Math.min(...s.versions)]!;
        const expect = (input: string, version = preferred) => {
          const got = gvrOf(mapper.resolveOne(input));
          if (got !== `${s.plural}.${version}.${s.group}`) throw new Error(`${input} → ${got}, want ${s.plural}.${version}.${s.group}`);
        };
        const g = s.group === '' ? '' : `.${s.group}`;
        // kubectl's version-qualified core form keeps the trailing dot: `pods.v1.`
        const vg = `.${s.group}`;
        for (const name of [s.plural, s.singular, ...s.shortNames, s.kind, s.kind.toLowerCase(), s.plural.toUpperCase()]) {
          expect(name);
          expect(`${name}${g}`);
        }
        for (const vi of s.versions) {
          const v = versions[vi]!;
          expect(`${s.plural}.${v}${vg}`, v);
          expect(`${s.singular}.${v}${vg}`, v);
          expect(`${s.kind}.${v}${vg}`, v);
        }
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.false(details.failed, fc.defaultReportMessage(details) ?? '');
});

// ---- 2. with colliding names: sound, priority-ordered, and never a silent pick of a short name ----

const POOL = ['po', 'foo', 'bar', 'baz', 'qux'];

const collidingWorld = groupsArb(['', 'apps', 'a.io', 'b.io', 'x.example.com']).chain((groups) =>
  fc
    .array(
      fc.record({
        group: fc.integer({ min: 0, max: groups.length - 1 }),
        plural: fc.constantFrom(...POOL.map((p) => `${p}s`)),
        kind: fc.constantFrom(...POOL.map(capitalize)),
        shortNames: fc.uniqueArray(fc.constantFrom(...POOL), { maxLength: 2 }),
        versions: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((raw) => {
      const specs: Spec[] = [];
      for (const r of raw) {
        const g = groups[r.group]!;
        const versions = r.versions.filter((v) => v < g.versions.length);
        // A group serves a plural once (the server guarantees it).
        if (versions.length === 0 || specs.some((s) => s.group === g.name && s.plural === r.plural)) continue;
        specs.push({ group: g.name, plural: r.plural, singular: r.plural.slice(0, -1), kind: r.kind, shortNames: r.shortNames, versions });
      }
      return { groups, specs };
    }),
);

test('with colliding names, resolution is sound and follows group priority, short names too', (t) => {
  const details = fc.check(
    fc.property(collidingWorld, ({ groups, specs }) => {
      const { core, groups: apis } = documents(groups, specs);
      const resources = flattenDiscovery(core, apis).resources;
      const mapper = createRestMapper(resources);
      const byPriority = (a: ApiResource, b: ApiResource) => a.groupPriority - b.groupPriority || a.versionPriority - b.versionPriority;
      const names = new Set(resources.flatMap((r) => [r.resource, r.singular, ...r.shortNames, r.kind.toLowerCase()]));

      for (const name of names) {
        const exact = resources.filter((r) => r.resource === name || r.singular === name).sort(byPriority);
        const shortClaims = resources.filter((r) => r.shortNames.includes(name)).sort(byPriority);
        const got = mapper.resolveOne(name);
        // a short name (with no exact match) goes to its highest-priority claimant, as in kubectl
        if (exact.length === 0 && shortClaims.length > 0 && !shortClaims.some((r) => gvrOf(r) === gvrOf(got)) && got.kind.toLowerCase() !== name) {
          throw new Error(`${name} → ${gvrOf(got)}, which does not claim it`);
        }
        if (exact.length === 0 && shortClaims.length > 0 && fullName(got) !== fullName(shortClaims[0]!)) {
          throw new Error(`${name} → ${gvrOf(got)}, want ${gvrOf(shortClaims[0]!)}`);
        }
        // sound: the result carries the name
        if (![got.resource, got.singular, ...got.shortNames, got.kind.toLowerCase()].includes(name)) {
          throw new Error(`${name} → ${gvrOf(got)}, which has no such name`);
        }
        // priority: an exact plural/singular wins, the highest-priority one
        if (exact.length > 0 && gvrOf(got) !== gvrOf(exact[0]!)) {
          throw new Error(`${name} → ${gvrOf(got)}, want ${gvrOf(exact[0]!)}`);
        }
        // a short name shared with core goes to core
        if (exact.length === 0 && shortClaims.some((r) => r.group === '') && got.group !== '') {
          throw new Error(`${name} → ${gvrOf(got)}, want the core group`);
        }
      }
      // The fully qualified name always means exactly one resource.
      for (const r of resources) {
        const fq = fullyQualifiedName(r);
        if (gvrOf(mapper.resolveOne(fq)) !== gvrOf(r)) throw new Error(`${fq} → ${gvrOf(mapper.resolveOne(fq))}`);
      }
      return true;
    }),
    { numRuns: 500 },
  );
  t.false(details.failed, fc.defaultReportMessage(details) ?? '');
});
