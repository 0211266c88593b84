/**
 * @module Token access for team mode: a Bearer token, or a cookie set by the login form. Stateless (the
 * cookie is derived from the token) so any replica given the same token file accepts it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import { ToolError } from '../model/errors.js';

export const SESSION_COOKIE = 'pse_doctor_session';
/** Shortest token accepted: guessing must be hopeless. */
export const MIN_TOKEN_LENGTH = 16;

/** Reads the token file (first non-empty line). Throws ToolError usage when missing, short or unreadable. */
export function readTokenFile(path: string): { token: string; warning?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ToolError('not-readable', { path, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
  }
  const token =
    text
      .split(/\r?\n/)
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ToolError('usage', {
      message: `The token in ${path} is shorter than ${MIN_TOKEN_LENGTH} characters. Put a long random token in it, e.g. "openssl rand -hex 32 > ${path}".`,
    });
  }
  const mode = statSync(path).mode & 0o777;
  const warning =
    process.platform !== 'win32' && (mode & 0o044) !== 0
      ? `${path} is readable by other users (mode ${mode.toString(8)}); consider chmod 600.`
      : undefined;
  return warning ? { token, warning } : { token };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of two secrets of any length. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The cookie value for a token: an HMAC, so the token itself never sits in the browser's cookie jar. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('pse-doctor session v1').digest('base64url');
}

function readCookie(c: Context, name: string): string | undefined {
  const header = c.req.header('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** True when the request carries the token (Bearer) or the session cookie. */
export function isAuthorized(c: Context, token: string): boolean {
  const authz = c.req.header('authorization');
  if (authz && /^Bearer /i.test(authz) && sameSecret(authz.slice(7).trim(), token)) return true;
  const cookie = readCookie(c, SESSION_COOKIE);
  return cookie !== undefined && sameSecret(cookie, sessionValue(token));
}

/** A Set-Cookie header for the session (HttpOnly, SameSite=Strict; Secure when served over https). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

/** Paths reachable without a token: the login form, its stylesheet and the health check. */
const PUBLIC_PATHS = new Set(['/login', '/login.css', '/api/health']);

/**
 * Requires the token for everything but the login page. API calls get 401 JSON; page loads are sent to
 * the login form with the page to come back to.
 */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path) || isAuthorized(c, token)) return next();
    if (c.req.path.startsWith('/api/')) {
      c.header('WWW-Authenticate', 'Bearer realm="pse-doctor"');
      return c.json(
        {
          error: {
            code: 'unauthorized',
            message: 'A token is required: send "Authorization: Bearer <token>" or log in at /login.',
          },
        },
        401,
      );
    }
    const nextPath = c.req.method === 'GET' ? c.req.path : '/';
    return c.redirect(`/login?next=${encodeURIComponent(nextPath)}`, 303);
  };
}

/** Only same-site relative paths may be a post-login target (no `//evil`, no `/\\evil`). */
export function safeNextPath(next: string | undefined): string {
  if (
    !next?.startsWith('/') ||
    next.startsWith('//') ||
    next.includes('\\') ||
    /[\u0000-\u001f]/.test(next)
  ) {
    return '/';
  }
  return next.slice(0, 500);
}
