/**
 * Go's text/tabwriter as kubectl configures it (liggitt/tabwriter: minwidth 6, padding 3, spaces,
 * RememberWidths), for text whose cells may themselves hold tabs and line breaks (custom
 * columns print values as they are). A tab ends a cell, a newline ends a line; a column is
 * aligned over each block of consecutive lines that have a cell in it (the last cell of a line
 * is not in a column), and a column's width never shrinks from one block to the next.
 */
const minWidth = 6;
const padding = 3;

/** Formats one flush; pass the same `maxWidths` to the next flush to keep remembering widths. */
export function goTabwriter(text: string, maxWidths: number[] = []): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const widths: number[] = [];
  let out = '';

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      line.forEach((cell, j) => {
        out += cell;
        if (j < widths.length) out += ' '.repeat(Math.max(0, widths[j]! - runeCount(cell)));
      });
      if (i + 1 < lines.length) out += '\n';
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let at = line0; at < line1; at++) {
      if (column >= lines[at]!.length - 1) continue;
      writeLines(line0, at);
      line0 = at;
      let width = minWidth;
      for (; at < line1; at++) {
        const line = lines[at]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, runeCount(line[column]!) + padding);
      }
      if (maxWidths.length < widths.length) maxWidths.push(...widths.slice(maxWidths.length));
      if (maxWidths.length === widths.length) maxWidths.push(width);
      else if (maxWidths[column]! > width) width = maxWidths[column]!;
      else maxWidths[column] = width;
      widths.push(width);
      format(line0, at);
      widths.pop();
      line0 = at;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out;
}

function runeCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
