/**
 * @module Safe-by-default HTTP: a strict Content-Security-Policy and friends on every answer, Host checks
 * against DNS rebinding when bound to loopback, and cross-site writes refused.
 */
import type { MiddlewareHandler } from 'hono';

/** No inline script or style, nothing from anywhere but this server, never framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Not no-referrer: that makes browsers send `Origin: null` on form posts, hiding same-origin writes.
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Adds the security headers to every response, errors included. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(HEADERS)) c.res.headers.set(k, v);
    if (c.req.path.startsWith('/api/') && !c.res.headers.has('Cache-Control')) {
      c.res.headers.set('Cache-Control', 'no-store');
    }
  };
}

/**
 * Only answers requests whose Host header names this server (`allowed` host[:port] values, lower case).
 * A page on another site that rebinds its DNS name to 127.0.0.1 sends its own name and is refused.
 */
export function hostCheck(allowed: ReadonlySet<string> | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (allowed) {
      const host = (c.req.header('host') ?? '').toLowerCase();
      if (!allowed.has(host)) {
        return c.json(
          { error: { code: 'bad-host', message: 'This server does not answer to that host name.' } },
          421,
        );
      }
    }
    await next();
  };
}

/**
 * Refuses state-changing requests that a browser marks as coming from another site (Sec-Fetch-Site,
 * Origin), so a web page elsewhere cannot make a user's browser save, delete or probe.
 */
export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const host = c.req.header('host');
      let cross: boolean;
      if (site !== undefined) {
        // Every current browser sends Sec-Fetch-Site; `none` is a user-typed navigation.
        cross = site !== 'same-origin' && site !== 'none';
      } else if (origin === undefined) {
        cross = false; // not a browser (curl, scripts): nothing to protect against
      } else {
        try {
          cross = origin === 'null' || new URL(origin).host.toLowerCase() !== (host ?? '').toLowerCase();
        } catch {
          cross = true;
        }
      }
      if (cross) {
        return c.json(
          { error: { code: 'cross-site', message: 'Requests from other sites are refused.' } },
          403,
        );
      }
    }
    await next();
  };
}

/** The Host header values a server bound to loopback accepts. */
export function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** True when `host` is a loopback bind address. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
