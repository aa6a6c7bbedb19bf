/**
 * managedFields cut from a watch event's text: the result parses to the event with
 * object.metadata.managedFields deleted, and to nothing else changed, whatever the members around
 * it, their order, strings that look like the field, or a field of that name elsewhere.
 */
import test from 'ava';
import fc from 'fast-check';
import { eventTextWithoutManagedFields, withoutManagedFields } from '../../../shared/listwatch/strip-managed-fields.ts';

const managedFields = [{ apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } }, manager: 'kubectl', operation: 'Update', time: '2026-12-02T07:41:57Z' }];
const tricky = fc.constantFrom('"managedFields":[', '\\', '\\"', '{"managedFields":[]}', ']', '}', ',', 'é', '\u2028');
const text = fc.oneof(fc.string({ maxLength: 8 }), tricky);
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.oneof(text, fc.constant('managedFields')), tie('value'), { maxKeys: 3 })),
})).value;

/** An object of `entries` in this order, the managed fields (maybe) among them at `at`. */
const members = (withField: boolean) =>
  fc.tuple(fc.dictionary(fc.string({ maxLength: 6 }).filter((k) => k !== 'managedFields'), value, { maxKeys: 4 }), fc.nat(5), fc.oneof(fc.constant(managedFields), value)).map(([entries, at, field]) => {
    const list = Object.entries(entries);
    if (withField) list.splice(at % (list.length + 1), 0, ['managedFields', field]);
    return Object.fromEntries(list);
  });

const events = fc.record({
  type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK'),
  object: fc.tuple(fc.boolean(), members(true), members(false), fc.dictionary(fc.constantFrom('spec', 'data', 'status', 'managedFields'), value, { maxKeys: 3 }), fc.boolean()).chain(([withField, withIt, without, rest, metadataFirst]) => {
    const metadata = withField ? withIt : without;
    const object = metadataFirst ? { kind: 'X', apiVersion: 'v1', metadata, ...rest } : { ...rest, kind: 'X', apiVersion: 'v1', metadata };
    return fc.constant(object);
  }),
});

test('the text without managedFields parses to the event without object.metadata.managedFields', (t) => {
  let cut = 0;
  fc.assert(
    fc.property(events, fc.boolean(), (event, spaced) => {
      const line = spaced ? JSON.stringify(event, null, 1) : JSON.stringify(event);
      const expected = JSON.parse(line) as { object: { metadata: Record<string, unknown> } };
      if ('managedFields' in expected.object.metadata) cut += 1;
      delete expected.object.metadata.managedFields;
      t.deepEqual(JSON.parse(eventTextWithoutManagedFields(line)), expected, line);
    }),
    { numRuns: 2000 },
  );
  t.true(cut > 500, `${cut} events had the field`);
});

test('an event as the API server writes it', (t) => {
  const line = '{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","namespace":"n","uid":"u","resourceVersion":"7","creationTimestamp":"2026-12-02T07:41:57Z","labels":{"a":"b"},"managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2026-12-02T07:41:57Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:x":{}}}}]},"data":{"x":"\\"managedFields\\":[1]"}}}';
  t.is(eventTextWithoutManagedFields(line), '{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","namespace":"n","uid":"u","resourceVersion":"7","creationTimestamp":"2026-12-02T07:41:57Z","labels":{"a":"b"}},"data":{"x":"\\"managedFields\\":[1]"}}}');
});

test('text the walk does not expect comes back as it was', (t) => {
  for (const line of ['', 'not json', '{"type":"ADDED","object":{"metadata":{"managedFields":[', '{"type":"ERROR","object":{"kind":"Status","metadata":{},"message":"x"}}', '[1,2]']) {
    t.is(eventTextWithoutManagedFields(line), line);
  }
});

test('a listed object loses its managedFields, and nothing else', (t) => {
  t.deepEqual(withoutManagedFields({ metadata: { name: 'a', managedFields: [] }, spec: { managedFields: 1 } }), { metadata: { name: 'a' }, spec: { managedFields: 1 } });
  t.deepEqual(withoutManagedFields({ kind: 'X' }), { kind: 'X' });
});
