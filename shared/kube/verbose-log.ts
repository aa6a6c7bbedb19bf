/**
 * kubectl-style request logging for `-v=N`: 6 logs each request with status and duration,
 * 7 adds request headers, 8 response headers. Credentials never reach the log: the
 * Authorization header is masked as kubectl masks it, and bodies are never logged.
 */
export type LogSink = (line: string) => void;

export interface VerboseLog {
  readonly level: number;
  request(method: string, url: string, headers: Record<string, string | string[]>): void;
  response(method: string, url: string, status: number, statusText: string, ms: number, headers: Record<string, unknown>): void;
  failure(method: string, url: string, error: string, ms: number): void;
}

const sensitive = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-remote-user']);

export function redactHeader(name: string, value: string): string {
  if (!sensitive.has(name.toLowerCase())) return value;
  const space = value.indexOf(' ');
  // "Bearer <token>" → "Bearer <masked>", as kubectl's round tripper logs it.
  return space > 0 ? `${value.slice(0, space)} <masked>` : '<masked>';
}

export function createVerboseLog(level: number, sink: LogSink): VerboseLog {
  const stamp = () => {
    const d = new Date();
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `I${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000 ${String(process.pid).padStart(7)} round_trippers]`;
  };
  const headerLines = (kind: string, headers: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v !== undefined) sink(`${stamp()}     ${kind} ${name}: ${redactHeader(name, String(v))}`);
      }
    }
  };
  return {
    level,
    request(method, url, headers) {
      if (level >= 7) {
        sink(`${stamp()} ${method} ${url}`);
        sink(`${stamp()} Request Headers:`);
        headerLines('', headers);
      }
    },
    response(method, url, status, statusText, ms, headers) {
      if (level >= 6) sink(`${stamp()} ${method} ${url} ${status} ${statusText} in ${Math.round(ms)} milliseconds`);
      if (level >= 8) {
        sink(`${stamp()} Response Headers:`);
        headerLines('', headers);
      }
    },
    failure(method, url, error, ms) {
      if (level >= 6) sink(`${stamp()} ${method} ${url}  in ${Math.round(ms)} milliseconds (${error})`);
    },
  };
}
