/**
 * @module Host/port and quoted-value parsing that keeps placeholders literally: `<target HTTPS server FQDN>`,
 * nested `<CN=<…>, (...)>`, `[::1]:443`. Hand-written scanners, linear in the input, depth-capped.
 */

/** A host and port as printed; port is a number when all digits, else kept as text (placeholder). */
export interface Endpoint {
  host?: string;
  port?: number | string;
}

const MAX_DEPTH = 8;

/**
 * Read one token starting at `i`: a `<…>` placeholder (nesting allowed), a `[…]` IPv6 literal, or a run of
 * characters up to whitespace or one of `stops`. Returns the token and the index after it.
 */
export function readToken(s: string, i: number, stops = ''): { token: string; end: number } {
  const start = i;
  if (s[i] === '<') {
    let depth = 0;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '<') {
        depth++;
        if (depth > MAX_DEPTH) break;
      } else if (c === '>') {
        depth--;
        if (depth === 0) return { token: s.slice(start, i + 1), end: i + 1 };
      }
    }
    // Unbalanced: take up to the next whitespace.
    let j = start;
    while (j < s.length && !/\s/.test(s[j]!)) j++;
    return { token: s.slice(start, j), end: j };
  }
  if (s[i] === '[') {
    const close = s.indexOf(']', i);
    if (close > i && close - i < 64) return { token: s.slice(i, close + 1), end: close + 1 };
  }
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || stops.includes(c)) break;
    i++;
  }
  return { token: s.slice(start, i), end: i };
}

/** Parse `host:port` at `i` (host and port may each be a placeholder); `stops` end both tokens early. */
export function readEndpoint(s: string, i: number, stops = ''): { endpoint: Endpoint; end: number } {
  const h = readToken(s, i, `:${stops}`);
  const endpoint: Endpoint = {};
  if (h.token.length > 0) endpoint.host = stripIpv6(h.token);
  let end = h.end;
  if (s[end] === ':') {
    const p = readToken(s, end + 1, `:${stops}`);
    let port = p.token;
    // "github.com:443:" or a trailing punctuation mark is not part of the port.
    port = port.replace(/[,;.)]+$/, '');
    if (port.length > 0) endpoint.port = /^\d{1,5}$/.test(port) ? Number(port) : port;
    end = p.end;
  }
  return { endpoint, end };
}

/** Parse `https://host:port/path` or a bare `host:port` at `i`. */
export function readUrlOrEndpoint(s: string, i: number): { endpoint: Endpoint; end: number } {
  const scheme = /^https?:\/\//i.exec(s.slice(i, i + 8));
  if (!scheme) return readEndpoint(s, i);
  const r = readEndpoint(s, i + scheme[0].length, '/');
  let end = r.end;
  while (end < s.length && s[end] !== ' ' && s[end] !== '\t') end++;
  return { endpoint: r.endpoint, end };
}

function stripIpv6(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The value after `key` up to the closing double quote. An unterminated quote (the text was cut)
 * returns the rest of the line with `truncated: true`.
 */
export function readQuoted(s: string, key: string): { value: string; truncated: boolean } | undefined {
  const k = s.indexOf(key);
  if (k < 0) return undefined;
  let i = k + key.length;
  while (s[i] === ' ' || s[i] === '=' || s[i] === '\t') i++;
  const open = s[i];
  if (open !== '"' && open !== '\u201c' && open !== "'") return undefined;
  const closeChars = open === '"' ? '"' : open === "'" ? "'" : '\u201d"';
  let j = i + 1;
  while (j < s.length && !closeChars.includes(s[j]!)) j++;
  if (j >= s.length) return { value: s.slice(i + 1).trimEnd(), truncated: true };
  return { value: s.slice(i + 1, j), truncated: false };
}

/** Last path component of a Unix or Windows path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}
