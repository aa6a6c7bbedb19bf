/**
 * Server warnings (`Warning: 299 - "unknown field \"spec.foo\""` response headers: deprecated
 * APIs, PodSecurity "would violate", fieldValidation=Warn) printed on stderr as kubectl prints
 * them: `Warning: TEXT`, each text once per run (client-go's warningWriter with Deduplicate).
 * Only code 299 is shown; a text with control characters is dropped, as apimachinery's
 * ParseWarningHeader drops it, so a server cannot forge terminal output through it.
 */
import type { Transport } from './transport.ts';

export function parseWarningHeaders(values: string | string[] | undefined): string[] {
  const texts: string[] = [];
  for (const header of values === undefined ? [] : Array.isArray(values) ? values : [values]) {
    let rest = header.trim();
    while (rest !== '') {
      const m = /^([1-2][0-9]{2}) (\S+) "((?:[^"\\]|\\.)*)"(?: "[^"]*")?\s*(?:,\s*|$)/.exec(rest);
      if (!m) break;
      const text = m[3]!.replace(/\\(.)/g, '$1');
      // eslint-disable-next-line no-control-regex
      if (m[1] === '299' && text !== '' && !/[\x00-\x1f\x7f-\x9f]/.test(text)) texts.push(text);
      rest = rest.slice(m[0].length);
    }
  }
  return texts;
}

/** Wraps a transport so every response's warnings reach `write` once each. */
export function withWarnings(transport: Transport, write: (line: string) => void): Transport {
  const seen = new Set<string>();
  const report = (headers: Record<string, string | string[] | undefined>) => {
    for (const text of parseWarningHeaders(headers.warning)) {
      if (seen.has(text)) continue;
      seen.add(text);
      write(`Warning: ${text}`);
    }
  };
  return {
    serverName: transport.serverName,
    async request(req) {
      const res = await transport.request(req);
      report(res.headers);
      return res;
    },
    async stream(req) {
      const res = await transport.stream(req);
      report(res.headers);
      return res;
    },
  };
}
