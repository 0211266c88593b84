/**
 * @module The codes the text readers recognise by name: SapSSL return codes, ICM client codes, SNC/GSS,
 * DL loader, NI, TLS alerts, messages, Java/HANA/browser codes. The KB must explain every `kbId` here.
 */
import { COMMON_ICM, ICM_CODES, ICM_SSL_NUMBERS, SAPSSL, sapSslNumber } from '../../codes/sap-codes.js';
import { COMMON_ALERTS, TLS_ALERTS, tlsAlertKbId } from '../../codes/tls-alerts.js';

/** The one code table lives in `src/codes`; the readers' names for it stay importable from here. */
export { ICM_CODES, ICM_SSL_NUMBERS, sapSslNumber, TLS_ALERTS, tlsAlertKbId };

/** Families of codes, so the KB and rules can tell them apart. */
export type CodeFamily =
  | 'sapssl'
  | 'icm'
  | 'snc'
  | 'gss-minor'
  | 'dl'
  | 'ni'
  | 'tls-alert'
  | 'message'
  | 'java'
  | 'hana'
  | 'browser';

/** A code a reader may put into an event. */
export interface KnownCode {
  /** Knowledge-base id (the constant name as SAP prints it, or the house id for alerts/messages). */
  kbId: string;
  family: CodeFamily;
  /** Numeric value when known (SapSSL: negative; ICM: the 4xx code). */
  number?: number;
  /** Other spellings that mean the same (`SSSLRC_CONN_CLOSED`, `SCLNT_HTTP407`). */
  aliases?: string[];
  /** Seen in real failures (as opposed to programming / debug-only codes of the API header). */
  common: boolean;
}

/** SNC error names seen in traces. */
export const SNC_CODES: readonly string[] = [
  'SNCERR_GSSAPI',
  'SNCERR_INIT',
  'SNCERR_UNKNOWN_MECH',
  'SNCERR_INVALID_NAME',
  'SNCERR_BAD_NT_PREFIX',
];

/** GSS-API minor status codes of CommonCryptoLib with the text it prints. */
export const GSS_MINOR_CODES: Readonly<Record<string, string>> = {
  A2200019: 'Operation aborted by user or application',
  A2200210: 'Peer certificate verification failed',
  A2210210: 'Verification of own certificate failed',
  A2200202: 'Actual server name differs',
  A2210223: 'Server does not trust my certificate path',
};

/** Browser (Firefox/NSS, Chrome) TLS error codes. OpenSSL's SSL_ERROR_SSL/SYSCALL/WANT_* are not among them. */
export const BROWSER_CODES: Readonly<Record<string, BrowserProblem>> = {
  SSL_ERROR_HANDSHAKE_FAILURE_ALERT: 'handshake-failure',
  SSL_ERROR_NO_CYPHER_OVERLAP: 'handshake-failure',
  SSL_ERROR_UNSUPPORTED_VERSION: 'protocol-version',
  SSL_ERROR_PROTOCOL_VERSION_ALERT: 'protocol-version',
  SSL_ERROR_BAD_CERT_DOMAIN: 'hostname',
  SSL_ERROR_RX_RECORD_TOO_LONG: 'other',
  SSL_ERROR_BAD_CERT_ALERT: 'untrusted',
  SSL_ERROR_UNKNOWN_CA_ALERT: 'untrusted',
  SSL_ERROR_CERTIFICATE_UNKNOWN_ALERT: 'untrusted',
  SSL_ERROR_INAPPROPRIATE_FALLBACK_ALERT: 'protocol-version',
  SEC_ERROR_UNKNOWN_ISSUER: 'untrusted',
  SEC_ERROR_UNTRUSTED_ISSUER: 'untrusted',
  SEC_ERROR_EXPIRED_CERTIFICATE: 'expired',
  SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE: 'expired',
  MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT: 'untrusted',
  ERR_CERT_AUTHORITY_INVALID: 'untrusted',
  ERR_CERT_COMMON_NAME_INVALID: 'hostname',
  ERR_CERT_DATE_INVALID: 'expired',
  // Chrome prints it for a plain-HTTP answer as well as for a refused handshake: the kb entry ranks them.
  ERR_SSL_PROTOCOL_ERROR: 'other',
  ERR_SSL_VERSION_OR_CIPHER_MISMATCH: 'protocol-version',
  ERR_BAD_SSL_CLIENT_AUTH_CERT: 'other',
};

export type BrowserProblem =
  | 'untrusted'
  | 'handshake-failure'
  | 'protocol-version'
  | 'hostname'
  | 'expired'
  | 'other';

/** NI (network interface) error names that mean a TCP-level failure. */
export const NI_CODES: Readonly<Record<string, 'refused' | 'reset' | 'timeout' | 'host-unknown' | 'other'>> =
  {
    NIECONN_REFUSED: 'refused',
    NIECONN_BROKEN: 'reset',
    NIETIMEOUT: 'timeout',
    NIEHOST_UNKNOWN: 'host-unknown',
    NIESERV_UNKNOWN: 'other',
    NIECONN_PENDING: 'other',
  };

function build(): KnownCode[] {
  const out: KnownCode[] = [];
  for (const [name, number, common] of SAPSSL) {
    const code: KnownCode = { kbId: name, family: 'sapssl', common };
    if (number !== undefined) code.number = number;
    if (name === 'SSSLERR_CONN_CLOSED') code.aliases = ['SSSLRC_CONN_CLOSED'];
    out.push(code);
  }
  for (const [num, name] of Object.entries(ICM_CODES)) {
    out.push({
      kbId: name,
      family: 'icm',
      number: Number(num),
      aliases: [`SCLNT_HTTP${num}`],
      common: COMMON_ICM.has(Number(num)),
    });
  }
  for (const name of SNC_CODES) out.push({ kbId: name, family: 'snc', common: true });
  for (const code of Object.keys(GSS_MINOR_CODES))
    out.push({ kbId: code, family: 'gss-minor', common: true });
  out.push({ kbId: 'DLENOACCESS', family: 'dl', common: true });
  for (const name of Object.keys(NI_CODES))
    out.push({ kbId: name, family: 'ni', common: name === 'NIECONN_REFUSED' || name === 'NIEHOST_UNKNOWN' });
  for (const [desc, num] of Object.entries(TLS_ALERTS))
    out.push({ kbId: tlsAlertKbId(desc), family: 'tls-alert', number: num, common: COMMON_ALERTS.has(desc) });
  out.push({ kbId: 'WSS040', family: 'message', common: true });
  out.push({ kbId: 'PKIX_PATH_BUILDING_FAILED', family: 'java', common: true });
  out.push({ kbId: 'RTE_300010', family: 'hana', number: 300010, common: true });
  for (const name of Object.keys(BROWSER_CODES))
    out.push({
      kbId: name,
      family: 'browser',
      common: name === 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT' || name.startsWith('ERR_CERT_'),
    });
  return out;
}

let known: readonly KnownCode[] | undefined;

/**
 * Every code the text readers recognise by name. Events carry these names in `error.name`,
 * `icm.name`, `code`, `gssMinor.code` or (alerts) `alert.description` → `tlsAlertKbId()`. Built on first
 * use: the knowledge base's checks read it, a run of the tool does not.
 */
export function knownCodes(): readonly KnownCode[] {
  known ??= build();
  return known;
}
