/**
 * Go strings in JavaScript: bytes that are not UTF-8 kept as themselves, and strconv's quoting
 * (some rows of Go's quote_test.go), unquoting and backquoting.
 */
import test from 'ava';
import { byteLength, canBackquote, fromGoBytes, goBytes, goQuote, goQuoteRune, goUnquote, runeCount } from '../../../../shared/output/go-template/go-string.ts';

test('bytes round-trip, invalid UTF-8 included; len counts bytes, runes count each bad byte once', (t) => {
  const bytes = [0x68, 0xc3, 0xa9, 0xff, 0xe6, 0x97, 0xa5, 0xe6, 0x97, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80];
  const s = fromGoBytes(bytes);
  t.deepEqual([...goBytes(s)], bytes);
  t.is(byteLength(s), bytes.length);
  t.is(runeCount(s), 1 + 1 + 1 + 1 + 2 + 3 + 1);
  t.is(goQuote(s), '"hé\\xff日\\xe6\\x97\\xed\\xa0\\x80😀"');
});

test("strconv.Quote, QuoteToASCII and QuoteRune (quote_test.go's rows)", (t) => {
  const quotes: Array<[string, string, string]> = [
    ['\x07\b\f\r\n\t\v', '"\\a\\b\\f\\r\\n\\t\\v"', '"\\a\\b\\f\\r\\n\\t\\v"'],
    ['\\', '"\\\\"', '"\\\\"'],
    ['abc\x80def', '"abc\\x80def"', '"abc\\x80def"'],
    ['☺', '"☺"', '"\\u263a"'],
    ['\u{10ffff}', '"\\U0010ffff"', '"\\U0010ffff"'],
    ['\x04', '"\\x04"', '"\\x04"'],
    ['!\u00a0!\u2000!\u3000!', '"!\\u00a0!\\u2000!\\u3000!"', '"!\\u00a0!\\u2000!\\u3000!"'],
    ['\x7f', '"\\x7f"', '"\\x7f"'],
  ];
  for (const [input, quoted, ascii] of quotes) {
    const s = input === 'abc\x80def' ? fromGoBytes([0x61, 0x62, 0x63, 0x80, 0x64, 0x65, 0x66]) : input;
    t.is(goQuote(s), quoted);
    t.is(goQuote(s, true), ascii);
  }
  t.is(goQuoteRune(0x61), "'a'");
  t.is(goQuoteRune(0x27), "'\\''");
  t.is(goQuoteRune(0x263a), "'☺'");
  t.is(goQuoteRune(0x263a, true), "'\\u263a'");
  t.is(goQuoteRune(0x110000), "'�'");
});

test('strconv.Unquote and CanBackquote', (t) => {
  t.is(goUnquote('"a\\tb\\u00e9\\x41\\101"'), 'a\tbéAA');
  t.is(goUnquote('"\\xc3\\xa9"'), 'é');
  t.deepEqual([...goBytes(goUnquote('"\\xff"'))], [0xff]);
  t.is(goUnquote('`a\\n\r`'), 'a\\n');
  t.is(goUnquote("'☺'"), '☺');
  for (const bad of ['"\\q"', '"a', "'ab'", '"\\400"', '"\\ud800"']) t.throws(() => goUnquote(bad), { message: 'invalid syntax' }, bad);
  t.true(canBackquote('abc\tdef'));
  t.false(canBackquote('a`b'));
  t.false(canBackquote('a\nb'));
  t.false(canBackquote('\ufeffx'));
});
