/**
 * text/template's `html`, `js` and `urlquery` escapers (funcs.go, net/url's QueryEscape), on
 * the text of their arguments.
 */
import { goBytes, goRunes, isPrint } from './go-string.ts';

/** HTMLEscapeString: `"` `'` `&` `<` `>` as entities, NUL as U+FFFD. */
export function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => ({ '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\ufffd' })[c]!);
}

/** JSEscapeString: quotes, backslash, `<>&=` and controls escaped; other runes kept when printable. */
export function jsEscape(s: string): string {
  let out = '';
  for (const { rune, byte, text } of goRunes(s)) {
    if (byte !== undefined) {
      out += text;
      continue;
    }
    if (rune < 0x80) {
      switch (text) {
        case '\\':
          out += '\\\\';
          continue;
        case "'":
          out += "\\'";
          continue;
        case '"':
          out += '\\"';
          continue;
        case '<':
          out += '\\u003C';
          continue;
        case '>':
          out += '\\u003E';
          continue;
        case '&':
          out += '\\u0026';
          continue;
        case '=':
          out += '\\u003D';
          continue;
      }
      out += rune < 0x20 ? `\\u00${rune.toString(16).toUpperCase().padStart(2, '0')}` : text;
      continue;
    }
    out += isPrint(rune) ? text : `\\u${rune.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape: unreserved bytes kept, space as `+`, every other byte as `%XX`. */
export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of goBytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
