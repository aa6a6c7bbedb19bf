/**
 * Server data on a terminal: names, keys and messages come from the API server and may hold
 * newlines and escape sequences (an RBAC Role may be named `fake\nDeleted Role …\e[31m…`).
 * Printed raw, they forge lines and recolour or move the cursor. Everything watchq prints as an
 * event line, and every error message, goes through here; tables do the same in
 * shared/output/server-table.ts (`cellText`, kubectl's printer).
 */

/** C0 controls, DEL, C1 controls and the Unicode bidi/line controls that reorder or break text. */
const controls = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Control characters shown, not obeyed: ESC as `^[` (kubectl's table printer), others as `^X` or `\uXXXX`. */
export function escapeControls(text: string): string {
  return text.replace(controls, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x1b) return '^[';
    if (code === 0x09) return '\\t';
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    if (code === 0x7f) return '^?';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One value in a line of text, as kubectl shows a table cell: cut at its first line break with `...`, controls escaped. */
export function terminalValue(value: string): string {
  const cut = value.search(/[\n\r\f\v\u0085\u2028\u2029]/);
  return cut < 0 ? escapeControls(value) : `${escapeControls(value.slice(0, cut))}...`;
}

/** A message that may span lines, on one line: line breaks become spaces, other controls are escaped. */
export function oneLineMessage(text: string): string {
  return escapeControls(text.replace(/\s*[\n\r\f\v\u0085\u2028\u2029]+\s*/g, ' ').trim());
}
