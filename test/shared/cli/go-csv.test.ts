/**
 * Go's encoding/csv first record, as pflag's StringSlice flags read each value. The expected
 * values are Go's (each checked through `kubectl create deployment --image=…` as well; the flags
 * parity suite compares such values with kubectl on every run).
 */
import test from 'ava';
import { readGoCsvRecord } from '../../../shared/cli/go-csv.ts';

const cases: Array<[string, string[] | string]> = [
  ['', []],
  ['nginx', ['nginx']],
  ['nginx,redis', ['nginx', 'redis']],
  ['a,,b', ['a', '', 'b']],
  [',', ['', '']],
  [' a, b', [' a', ' b']],
  ['"a,b"', ['a,b']],
  ['"a""b",c', ['a"b', 'c']],
  ['""', ['']],
  ['a\nb', ['a']],
  ['a\r\n', ['a']],
  ['a\r', ['a']],
  ['\n\nx,y', ['x', 'y']],
  ['"a\nb"', ['a\nb']],
  ['"a\r\nb",c', ['a\nb', 'c']],
  ['a"b', 'parse error on line 1, column 2: bare " in non-quoted-field'],
  ['é"x', 'parse error on line 1, column 3: bare " in non-quoted-field'],
  ['x,y"', 'parse error on line 1, column 4: bare " in non-quoted-field'],
  ['"a"b', 'parse error on line 1, column 3: extraneous or missing " in quoted-field'],
  ['"abc', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'],
  ['a,"b', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'],
  ['a,"', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
  ['"x\ny', 'record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field'],
  ['\n', 'EOF'],
];

for (const [text, expected] of cases) {
  test(`${JSON.stringify(text)} reads as Go's csv.Reader reads it`, (t) => {
    const record = readGoCsvRecord(text);
    if (typeof expected === 'string') t.is(record.error, expected);
    else t.deepEqual(record.fields, expected);
  });
}
