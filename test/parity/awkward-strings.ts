/** The awkward strings the printer parity suites (printers.test.ts, kyaml.test.ts) feed kubectl and ours. */
/** Strings that YAML, JSON and KYAML printers each have to quote, escape or fold their own way. */
export const awkward = [
  'yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'off', 'OFF', 'y', 'Y', 'n', 'N', 'true', 'False', '~', 'null', 'NULL', '',
  '0400', '0644', '0x1F', '0o17', '0b101', '-0b11', '1_000', '08', '1:20', '190:20:30', '1.5', '-1.5e3', '.5', '.inf', '-.Inf', '.nan', '+1', '-',
  '2026-12-01T20:12:37Z', '2026-12-01', '2026-1-2', '2026-12-01 10:00:00', '2026-13-01', '12:30',
  ' lead', 'trail ', '  ', 'a: b', 'a:b', 'a :b', ':x', ': x', '?x', '? x', '- x', '-x', '#c', 'a #b', 'a#b', '[x]', 'x]', '{x}', 'x,y', '*x', '&x', '!x', '|x', '>x',
  "'q'", "it's", '"dq"', 'say "hi"', '%x', '@x', '`x', '---', '--- x', '...', 'a\\b', 'tab\there', 'bell\x07', 'esc\x1b[31mred', 'nul\x00',
  'multi\nline', 'multi\nline\n', 'two\n\n', '\nleading', 'trailing space \nnext', 'crlf\r\nline', 'cr\ronly', '\n',
  'é', '日本語', 'emoji 😀', 'nel\u0085', 'ls\u2028', 'nbsp\u00a0', 'bom\ufeffin', '\ufeffbom', '<html> & "x"',
  'a'.repeat(100), `${'word '.repeat(30)}end`, `${'key: value '.repeat(12)}`, `"${'quoted words '.repeat(10)}"`, `${'x'.repeat(70)} ${'y'.repeat(30)}`,
  `${'a b  '.repeat(25)}`, `${'tab\t '.repeat(20)}`, `${'a '.repeat(45)}\n${'b '.repeat(45)}`,
];
/** Keys whose sort order and quoting differ between printers. */
export const awkwardKeys = ['a', 'a10', 'a9', 'a09', 'A', 'B', 'b', '_x', '-x', '.x', '1', '10', '9', 'x.y', 'x-1', 'x_1', 'k0', 'k00', 'k1.5'];
