import test from 'ava';
import { coalescingWriter, withStdout, type Streams } from '../../../shared/cli/streams.ts';

const flushLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

test('coalescingWriter: the lines of one loop turn in one write, in order; a full buffer goes out at once', async (t) => {
  const writes: string[] = [];
  const out = coalescingWriter({ write: (chunk: string) => writes.push(chunk) }, 10);
  out.write('a\n');
  out.write('b\n');
  t.deepEqual(writes, []);
  await flushLoop();
  t.deepEqual(writes, ['a\nb\n']);
  out.write('0123456789');
  t.deepEqual(writes, ['a\nb\n', '0123456789'], 'at the limit: written at once');
  out.write('c\n');
  await flushLoop();
  await flushLoop();
  t.deepEqual(writes, ['a\nb\n', '0123456789', 'c\n']);
});

test('withStdout keeps the other members as they are, getters unread', (t) => {
  let opened = 0;
  const streams = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    get stdin(): NodeJS.ReadableStream {
      opened++;
      return process.stdin;
    },
    stdoutIsTTY: false,
    stderrIsTTY: true,
    color: false,
  } satisfies Streams;
  const other = { write: () => true };
  const copy = withStdout(streams, other);
  t.is(copy.stdout, other);
  t.is(copy.stderr, streams.stderr);
  t.true(copy.stderrIsTTY);
  t.is(opened, 0);
});
