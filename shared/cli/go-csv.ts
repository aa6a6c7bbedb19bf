/**
 * The first record of Go's encoding/csv Reader with its defaults (comma-separated, quotes not
 * lazy, leading space kept): what pflag's StringSlice flags read each value with (readAsCSV in
 * string_slice.go), so `--image=nginx,redis` is two images and `-f "a,b.yaml"` one file.
 * Ported from readRecord in Go 1.26's encoding/csv/reader.go: lines end at `\n` (`\r\n` is one),
 * empty lines before the record are skipped, a quoted field may span lines, and columns in errors
 * count bytes from 1.
 */

export type CsvRecord = { fields: string[]; error?: undefined } | { fields?: undefined; error: string };

const bareQuote = 'bare " in non-quoted-field';
const quoteError = 'extraneous or missing " in quoted-field';

/** Go's readLine: each line keeps its `\n`; `\r\n` becomes `\n`; a last `\r` before the end goes. */
function linesOf(text: string): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const nl = rest.indexOf('\n');
    let line = nl < 0 ? rest : rest.slice(0, nl + 1);
    rest = nl < 0 ? '' : rest.slice(nl + 1);
    if (nl < 0 && line.endsWith('\r')) line = line.slice(0, -1);
    if (line.endsWith('\r\n')) line = `${line.slice(0, -2)}\n`;
    lines.push(line);
  }
  return lines;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const withoutNewline = (line: string) => (line.endsWith('\n') ? line.slice(0, -1) : line);

export function readGoCsvRecord(text: string): CsvRecord {
  const lines = linesOf(text);
  let at = 0;
  while (at < lines.length && lines[at] === '\n') at += 1;
  // Only empty lines: Go's Read returns io.EOF (pflag's readAsCSV answers "" with no values itself).
  if (at >= lines.length) return text === '' ? { fields: [] } : { error: 'EOF' };
  const recordLine = at + 1;
  let lineNo = recordLine;
  let line = lines[at]!;
  let col = 1;
  const fields: string[] = [];
  const fail = (errorLine: number, column: number, why: string): CsvRecord => ({
    error: errorLine === recordLine ? `parse error on line ${errorLine}, column ${column}: ${why}` : `record on line ${recordLine}; parse error on line ${errorLine}, column ${column}: ${why}`,
  });
  for (;;) {
    if (line.length === 0 || line[0] !== '"') {
      const comma = line.indexOf(',');
      const field = comma >= 0 ? line.slice(0, comma) : withoutNewline(line);
      const quote = field.indexOf('"');
      if (quote >= 0) return fail(lineNo, col + bytes(field.slice(0, quote)), bareQuote);
      fields.push(field);
      if (comma < 0) return { fields };
      col += bytes(line.slice(0, comma)) + 1;
      line = line.slice(comma + 1);
      continue;
    }
    // A quoted field: `""` is a quote; it ends at `",`, at `"` before the line's end, or never.
    line = line.slice(1);
    col += 1;
    let value = '';
    for (;;) {
      const quote = line.indexOf('"');
      if (quote >= 0) {
        value += line.slice(0, quote);
        col += bytes(line.slice(0, quote)) + 1;
        line = line.slice(quote + 1);
        if (line[0] === '"') {
          value += '"';
          line = line.slice(1);
          col += 1;
        } else if (line[0] === ',') {
          line = line.slice(1);
          col += 1;
          fields.push(value);
          break;
        } else if (line === '' || line === '\n') {
          fields.push(value);
          return { fields };
        } else {
          return fail(lineNo, col - 1, quoteError);
        }
      } else if (line.length > 0) {
        value += line;
        col += bytes(line);
        at += 1;
        if (at >= lines.length) {
          // The text ends inside the quotes.
          return fail(lineNo, col, quoteError);
        }
        line = lines[at]!;
        lineNo += 1;
        col = 1;
      } else {
        return fail(lineNo, col, quoteError);
      }
    }
  }
}
