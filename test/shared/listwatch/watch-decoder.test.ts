import test from 'ava';
import { decodeWatchEvents, WatchDecodeError } from '../../../shared/listwatch/watch-decoder.ts';

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  yield* parts;
}

async function decode(...parts: Buffer[]) {
  const out = [];
  for await (const event of decodeWatchEvents(chunks(...parts))) out.push(event);
  return out;
}

test('a character split across chunks, lines split and joined freely, a last line without a newline', async (t) => {
  const text = Buffer.from('{"type":"ADDED","object":{"metadata":{"name":"café-😀"}}}\n\n{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}');
  const cut = text.indexOf(Buffer.from('😀')) + 2; // inside the 4-byte emoji
  const events = await decode(text.subarray(0, 5), text.subarray(5, cut), text.subarray(cut, cut + 1), text.subarray(cut + 1));
  t.deepEqual(
    events.map((e) => [e.type, e.object.metadata?.name ?? e.object.metadata?.resourceVersion]),
    [
      ['ADDED', 'café-😀'],
      ['BOOKMARK', '9'],
    ],
  );
});

test('a malformed line is a WatchDecodeError', async (t) => {
  await t.throwsAsync(decode(Buffer.from('{"type":"ADDED","object":{}}\nnot json\n')), { instanceOf: WatchDecodeError, message: /malformed watch event: not json/ });
});
