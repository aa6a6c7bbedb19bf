/** Go's tabwriter with kubectl's settings: column blocks, remembered widths, cells with line breaks. */
import test from 'ava';
import { goTabwriter } from '../../../shared/output/go-tabwriter.ts';

test('columns are padded to max(6, widest + 3); the last cell is not padded', (t) => {
  t.is(goTabwriter('NAME\tAGE\na\t5m\nlonger-name\t1h\n'), 'NAME          AGE\na             5m\nlonger-name   1h\n');
});

test('a line without a column ends its block; widths carry over to later blocks, never shrinking', (t) => {
  // "x\ny" in the last cell of row 1 makes "y]" a line of its own.
  t.is(goTabwriter('N\tV\nalpha-long\tx\ny]\nb\tz\n'), 'N            V\nalpha-long   x\ny]\nb            z\n');
  t.is(goTabwriter('N\tV\nalpha\tx\ny]\nb\tz\nkube-root-ca.crt\tw\n'), 'N       V\nalpha   x\ny]\nb                  z\nkube-root-ca.crt   w\n');
});

test('empty cells are padded too; text without tabs passes through', (t) => {
  t.is(goTabwriter('\tx\nab\ty\n'), '      x\nab    y\n');
  t.is(goTabwriter('plain\n'), 'plain\n');
});
