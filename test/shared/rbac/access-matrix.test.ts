import test from 'ava';
import { renderMatrix, type MatrixRow } from '../../../shared/rbac/access-matrix.ts';
import { memoryStreams } from '../../helpers/streams.ts';

const rows: MatrixRow[] = [
  { resource: 'pods', namespace: 'default', verbs: { get: 'allowed', list: 'allowed', watch: 'denied', create: 'denied', update: 'denied', patch: 'denied', delete: 'n/a' } },
];

test('in a pipe: plain yes/no columns', (t) => {
  t.is(renderMatrix(rows, memoryStreams()), 'NAME   GET   LIST   WATCH   CREATE   UPDATE   PATCH   DELETE\npods   yes   yes    no      no       no       no      n/a\n');
});

test('on a terminal: ✔/✖ in a grid, colour only when allowed', (t) => {
  const plain = renderMatrix(rows, { ...memoryStreams({ tty: true }), color: false });
  t.regex(plain, /│ pods │ {2}✔ {2}│/);
  t.false(plain.includes('\x1b['));
  const coloured = renderMatrix(rows, memoryStreams({ tty: true }));
  t.true(coloured.includes('\x1b[32m✔'));
  t.true(coloured.includes('\x1b[31m✖'));
});
