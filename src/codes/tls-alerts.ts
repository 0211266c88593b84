/**
 * @module The one TLS alert table (RFC 5246 / RFC 8446 numbers and names): the prober names alerts by
 * number, the text readers by CommonCryptoLib's words, the rules by name; all kb ids derive from it.
 */

/**
 * [number, RFC name, has a knowledge-base entry (CommonCryptoLib prints it; findings cite it), common
 * in SAP failures]. Alerts without an entry are still named, never cited.
 */
const TABLE: readonly (readonly [number, string, boolean, boolean])[] = [
  [0, 'close_notify', true, false],
  [10, 'unexpected_message', true, false],
  [20, 'bad_record_mac', true, false],
  [21, 'decryption_failed', false, false],
  [22, 'record_overflow', true, false],
  [30, 'decompression_failure', false, false],
  [40, 'handshake_failure', true, true],
  [41, 'no_certificate', false, false],
  [42, 'bad_certificate', true, true],
  [43, 'unsupported_certificate', true, true],
  [44, 'certificate_revoked', true, true],
  [45, 'certificate_expired', true, true],
  [46, 'certificate_unknown', true, true],
  [47, 'illegal_parameter', true, true],
  [48, 'unknown_ca', true, true],
  [49, 'access_denied', true, true],
  [50, 'decode_error', true, false],
  [51, 'decrypt_error', true, true],
  [60, 'export_restriction', false, false],
  [70, 'protocol_version', true, true],
  [71, 'insufficient_security', true, true],
  [80, 'internal_error', true, true],
  [86, 'inappropriate_fallback', true, false],
  [90, 'user_canceled', true, false],
  [100, 'no_renegotiation', false, false],
  [109, 'missing_extension', true, false],
  [110, 'unsupported_extension', true, false],
  [111, 'certificate_unobtainable', false, false],
  [112, 'unrecognized_name', true, true],
  [113, 'bad_certificate_status_response', true, false],
  [114, 'bad_certificate_hash_value', false, false],
  [115, 'unknown_psk_identity', true, false],
  [116, 'certificate_required', true, true],
  [120, 'no_application_protocol', true, false],
];

// Built with a plain loop: it runs once, in V8's interpreter, where destructuring each row goes through
// the iterator protocol.
const NAME_BY_NUMBER = new Map<number, string>();
/** TLS_ALERTS and COMMON_ALERTS, filled by the loop. */
const BY_DESCRIPTION: Record<string, number> = {};
const COMMON_DESCRIPTIONS = new Set<string>();
for (let i = 0; i < TABLE.length; i++) {
  const row = TABLE[i]!;
  NAME_BY_NUMBER.set(row[0], row[1]);
  const description = row[1].replace(/_/g, ' ');
  if (row[2]) BY_DESCRIPTION[description] = row[0];
  if (row[3]) COMMON_DESCRIPTIONS.add(description);
}

/** The RFC name of an alert number (`alert_<n>` when unknown). */
export function nameAlert(code: number): string {
  return NAME_BY_NUMBER.get(code) ?? `alert_${code}`;
}

/** The knowledge-base id of an alert: `TLS_ALERT_HANDSHAKE_FAILURE`. */
export function alertKbId(code: number): string {
  return `TLS_ALERT_${nameAlert(code).toUpperCase()}`;
}

/** Alerts with which a server says "I do not accept the client certificate you sent". */
export const CLIENT_CERT_REJECTION_ALERTS: ReadonlySet<number> = new Set([42, 43, 44, 45, 46, 48, 49]);

/**
 * TLS alert descriptions as CommonCryptoLib prints them (`handshake failure`) → alert number, for the
 * alerts the knowledge base explains.
 */
export const TLS_ALERTS: Readonly<Record<string, number>> = BY_DESCRIPTION;

/** Descriptions (CommonCryptoLib words) of the alerts common in SAP failures. */
export const COMMON_ALERTS: ReadonlySet<string> = COMMON_DESCRIPTIONS;

/** KB id of a TLS alert description (`certificate unknown` → `TLS_ALERT_CERTIFICATE_UNKNOWN`). */
export function tlsAlertKbId(description: string): string {
  return `TLS_ALERT_${description
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * The alert names the rules recognise in failure texts, in the order they are tried (a longer name
 * that contains a shorter one comes first).
 */
export const ALERTS_IN_FAILURE_TEXTS: readonly string[] = [
  'handshake_failure',
  'protocol_version',
  'certificate_unknown',
  'unknown_ca',
  'bad_certificate',
  'certificate_expired',
  'certificate_revoked',
  'unsupported_certificate',
  'certificate_required',
  'insufficient_security',
  'illegal_parameter',
  'decrypt_error',
  'decode_error',
  'unrecognized_name',
  'inappropriate_fallback',
  'internal_error',
  'access_denied',
];

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
