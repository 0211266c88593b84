/** @module TLS alert numbers → RFC names, and the alert number inside an OpenSSL error message. */

/** RFC 5246 / RFC 8446 alert descriptions. */
const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/** The RFC name of an alert number (`alert_<n>` when unknown). */
export function nameAlert(code: number): string {
  return ALERT_NAMES[code] ?? `alert_${code}`;
}

/** The knowledge-base id of an alert: `TLS_ALERT_HANDSHAKE_FAILURE`. */
export function alertKbId(code: number): string {
  return `TLS_ALERT_${nameAlert(code).toUpperCase()}`;
}

/** Alerts with which a server says "I do not accept the client certificate you sent". */
export const CLIENT_CERT_REJECTION_ALERTS: ReadonlySet<number> = new Set([42, 43, 44, 45, 46, 48, 49]);

/**
 * The alert number OpenSSL reports in an error message (`… SSL alert number 40`), or undefined.
 * OpenSSL words alerts it received as `sslv3 alert …` / `tlsv1 alert …` / `tlsv13 alert …`.
 */
export function readAlertFromError(message: string): { code: number; received: boolean } | undefined {
  const m = /SSL alert number (\d{1,3})/.exec(message);
  if (!m?.[1]) return undefined;
  const received = /(?:sslv3|tlsv1|tlsv13) alert /i.test(message);
  return { code: Number(m[1]), received };
}
