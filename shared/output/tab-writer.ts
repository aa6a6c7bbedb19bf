/**
 * Column alignment as kubectl prints tables (Go's tabwriter with minwidth 6, padding 3):
 * every column but the last is padded to max(6, widest cell + 3). Rows may be written in
 * several batches (chunks arriving); a column never shrinks between batches.
 */
const minWidth = 6;
const padding = 3;

export class TabWriter {
  private widths: number[] = [];

  /** Formats a batch of rows; widths carry over to the next batch. */
  format(rows: string[][]): string {
    for (const row of rows) {
      for (let i = 0; i < row.length - 1; i++) {
        const w = Math.max(minWidth, displayWidth(row[i]!) + padding);
        if (w > (this.widths[i] ?? 0)) this.widths[i] = w;
      }
    }
    let out = '';
    for (const row of rows) {
      let line = '';
      for (let i = 0; i < row.length; i++) {
        const cell = row[i]!;
        line += i === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, this.widths[i]! - displayWidth(cell)));
      }
      out += `${line}\n`;
    }
    return out;
  }
}

function displayWidth(text: string): number {
  // Tables hold mostly ASCII; count code points so a ✔ or an accented name still aligns.
  // Colour escapes take no room on the screen.
  let n = 0;
  for (const _ of text.includes('\x1b') ? text.replace(/\x1b\[[0-9;]*m/g, '') : text) n++;
  return n;
}
