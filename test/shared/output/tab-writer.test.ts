import test from 'ava';
import { TabWriter } from '../../../shared/output/tab-writer.ts';

test('columns pad to max(6, widest + 3) and the last column is not padded', (t) => {
  const out = new TabWriter().format([
    ['NAME', 'READY', 'STATUS'],
    ['nginx-deployment-57d84f57dc-6khmf', '0/1', 'ImagePullBackOff'],
  ]);
  t.is(out, 'NAME                                READY   STATUS\nnginx-deployment-57d84f57dc-6khmf   0/1     ImagePullBackOff\n');
});

test('a short column is at least 6 wide', (t) => {
  t.is(new TabWriter().format([['a', 'b']]), 'a     b\n');
});

test('widths never shrink between batches', (t) => {
  const w = new TabWriter();
  w.format([['a-very-long-name-here', 'x']]);
  t.is(w.format([['b', 'y']]), `b${' '.repeat(23)}y\n`);
});
