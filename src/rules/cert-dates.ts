/** @module Reading certificate dates as evidence prints them: ISO 8601, or sapgenpse's "… (YYMMDDhhmmssZ)". */

/** Parse a certificate date; prefers the UTCTime in parentheses that sapgenpse prints. Undefined when unreadable. */
export function parseCertDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const utc = /\((\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z\)/.exec(text);
  if (utc) {
    const [yy, mo, dd, hh, mi, ss] = utc.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, mo - 1, dd, hh, mi, ss));
  }
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** `expired`, `not-yet-valid` or `valid` at `now`; undefined when neither date is readable. */
export function validityAt(
  cert: { notBefore?: string; notAfter?: string },
  now: Date,
): 'expired' | 'not-yet-valid' | 'valid' | undefined {
  const notAfter = parseCertDate(cert.notAfter);
  const notBefore = parseCertDate(cert.notBefore);
  if (!notAfter && !notBefore) return undefined;
  if (notAfter && notAfter < now) return 'expired';
  if (notBefore && notBefore > now) return 'not-yet-valid';
  return 'valid';
}
