/**
 * @module Every marker list of the SAP text reader in one place: the byte markers of the prefilter (per
 * kind of input), the per-line gate in front of the line-type table, and the words that make a marker
 * line look back.
 */
import { compileNow } from '../text/compile-now.js';

/**
 * Byte strings that mark a line worth reading in a large input whose kind the head does not show. A
 * failure block is found through one of these; the lines around it are read in full.
 */
export const BROAD_MARKERS: readonly string[] = [
  'ERROR',
  '***',
  'SSSL',
  'SSL handshake',
  'Errorstack',
  'Certificate:',
  'SNCERR',
  'GSS-API',
  'LOCATION',
  'gss_display_name',
  'erberos',
  'KRB5',
  'PKIX',
  'certification path',
  'Exception',
  'RTE:[',
  'SSL_ERROR_',
  'SEC_ERROR_',
  'ERR_CERT_',
  'ERR_SSL_',
  'Proxy connection',
  'NIECONN',
  'NIEHOST',
  'NIETIMEOUT',
  'ICM_HTTP_',
  'SCLNT_HTTP',
  'HTTP error',
  'WSS040',
  'Missing credential',
  'DlLoadLib',
  'LoadLibrary',
  'trc file:',
  'FILE TRUNCATED',
  'SSL Initialization',
  'ReverseProxy',
  'intermediary',
  'orwarded',
  'without certificate',
  'Error Number',
  'Error message',
  'not trusted',
  'SncP',
  'RFC_COMMUNICATION',
  // Words most messages the knowledge model recognises carry (Java, Node, .NET, Go, HANA, sapgenpse).
  'ertificate',
  'redential',
  'SSL',
  'TLS',
  'x509',
  'andshake',
  'PSE',
  // The URL of the failing call (its host and whether it is an SAP system).
  'https://',
  // The key words of the outside clients' messages (OpenSSL, Node, Python, Go, curl, wget, .NET,
  // browsers): every printed phrase of their kb entries carries one (markers.test.ts checks it).
  'CERT',
  'LEAF_SIGNATURE',
  'CRYPT_E_',
  'SEC_E_',
  '0x8009',
  'evocation',
  'EOF',
  'EPROTO',
  'altname',
  'SANs',
  'Cert ',
  'subject alternative',
  'ostname',
  'HOSTNAME',
  'ersion number',
  'WRONG_VERSION',
  'nsupported',
  'UNSUPPORTED',
  'protocol',
  'PROTOCOL',
  'cipher',
  'CIPHER',
  'KEY_TOO',
  'key too',
  'too weak',
  'sigalg',
  'egotiation',
  'EGOTIATION',
  'fatal alert',
  'badly formatted',
  'common algorithm',
  'encryption algorithm',
  'transport stream',
  // rustls (Rust programs: reqwest, hyper) beyond its certificate and alert texts.
  'corrupt message',
  'InvalidMessage',
  'incompatible',
  'PeerIncompatible',
  // Key files that do not open and libraries that do not load (Node's PFX, Apache's key, libssl).
  'mac verify',
  'Pass phrase',
  'shared object',
  'ENOENT',
  'Ignoring extra certs',
  'client authentication scheme',
  // GnuTLS, Erlang/OTP, PHP, Perl, IBM MQ and Apple texts that carry none of the words above.
  'ALERT: Fatal',
  // Wireshark's and tshark's alert column: `Alert (Level: Fatal, Description: Protocol Version)`.
  'Level: Fatal',
  'bad_cert',
  'socket transport',
  'AMQ96',
  'CipherSpec',
  'NSURLError',
  'The name in the',
  // A plain request to a TLS port as nginx answers it.
  'HTTPS port',
  // Envoy (Istio, Kyma) 503 bodies.
  'upstream connect',
  // nginx (upstream and client-certificate lines), HAProxy checks, Azure Application Gateway health.
  'SSL certificate',
  'Layer6',
  'Layer4',
  // Windows: IIS ARR's WinHTTP failure, German Schannel events.
  '0x80072f8f',
  'Bad Gateway',
  'Clientanwendung',
  'Remoteserver',
  // Azure Front Door's access log, Nagios/Icinga certificate checks.
  'CertificateNameCheckFailed',
  'CRITICAL - Certificate',
  'SSL_CERT CRITICAL',
  'Remoteendpunkt',
  'Warnungscode',
  // JSSE servers refusing a client's version or finding no key to authenticate with.
  'server context',
  'authentication scheme',
  // Apache's AH02033, F5 BIG-IP's 01260013.
  'SNI for a name',
  'Handshake failed for',
  'trusted root certificate',
  'intermediate certificate',
  'Common Name (CN)',
  // .NET and Windows socket messages as localized Windows prints them (markers are ASCII: a Japanese
  // message is found through the exception name before it, `Exception`).
  'SSL/TLS',
  'Remotezertifikat',
  'Zertifikat ist abgelaufen',
  'certificat distant',
  'certificado remoto',
  'certificato remoto',
  'Fehler beim',
  'erreur inattendue',
  'Error inesperado',
  'Erro inesperado',
  'Transportstream',
  'flux de transport',
  'secuencia de transporte',
  'fluxo de transporte',
  'Paketformat',
  'format de paquet',
  'formato de paquete',
  'formato de pacote',
  'Algorithmus',
  'algorithme commun',
  'algoritmo',
  'canal seguro',
  'canale sicuro',
  'Zielcomputer',
  'ordinateur cible',
  'equipo de destino',
  'recusou ativamente',
  'Rifiuto persistente',
  'Remotehost',
  'connexion existante',
  'host remoto',
  'Certyfikat zdalny',
  'komputer docelowy',
  'zdalnego hosta',
  'Netzwerkkennwort',
  'Connessione in corso',
  'Verbindungsversuch',
  'tentative de connexion',
  'parte conectada',
  'Remotename',
  'nom distant',
  'nombre remoto',
  'nome remoto',
  'angegebene Host',
  'Proxyauthentifizierung',
  'Authentification proxy',
  'utentica',
  'transport failure',
  'frame size',
  'TUNNEL',
  'CONNECT',
  'insecure algorithm',
  'HTTP response',
  'MITM',
  'private key',
  'legitimacy',
  "issuer's authority",
  'ChainStatus',
  "cert's list",
  'eof while',
  'version too',
  'error occurred on a',
  'invalid response',
  // Verbatim texts of shared/domain/messages (#11): Node codes, OpenSSL verify and handshake reasons.
  'UNSPECIFIED',
  'INVALID_',
  'PATH_LENGTH',
  'GET_CRL',
  'KeyUsage',
  'ignature algorithm',
  'path length',
  // What the outside clients (and the SAP products that print their words) say of a peer's alert, a
  // status, a host key or a check, in words none of the markers above holds.
  'alert',
  'tls: ',
  'CORS',
  'access control check',
  'Unauthorized',
  'Forbidden',
  'statusCode: 40',
  'authenticationX509',
  'onstraints',
  'check failed',
  'No name matching',
  'domain name',
  'assword',
  'not authenticated',
  'trust anchors',
  'trustAnchors',
  'X509TrustManager',
  'HostKey',
  'principal name',
  'client preferences',
  'Get Key failed',
  'record mac',
  'decryption failed',
  'fallback',
  'unrecognized name',
  // Wrappers and key texts of .NET, SChannel and OpenSSL that name no certificate word.
  'SSPI',
  'inner exception',
  'key values',
  'Security Authority',
  'token supplied',
  // A connection that never reached TLS (refused, timed out, no route, name not resolved), as every
  // client stack prints it.
  'refused',
  'ECONN',
  'ETIMEDOUT',
  'timed out',
  'timeout',
  'No route',
  'ENOTFOUND',
  'EAI_AGAIN',
  'resolve host',
  'such host',
  'name resolution',
  'not known',
  'getaddrinfo',
  'attempt failed',
  'Failed to connect',
  'WinError',
  'ERR_CONNECTION_',
  'ERR_NAME_NOT',
  'connect to server',
  'establish a connection',
  'too long to respond',
  'trouble finding',
  'Timeout',
  '0x800B',
  // A connection cut or held after it opened (reset, hang-up) and a forward proxy that opened no tunnel.
  'reset by',
  'forcibly',
  'errno=',
  'hang up',
  'unnel',
  'roxy',
  'REVOCATION',
  // A client or server that cannot start TLS at all (no OpenSSL, no ssl module, no server name), and
  // a directory that refuses plain LDAP.
  'libssl',
  'ssl module',
  'ServerName',
  'integrity',
  'authentication required',
  'TCP connect',
  "'_ssl'",
  'requested host',
];

/**
 * Markers for kernel traces (dev_icm, dev_w*, dev_webdisp, dev_rfc): every SSL, SNC, library and
 * connection failure there writes an `ERROR` line (`*** ERROR =>`, `<<- ERROR:`, `ERROR during`, the CPIC
 * `ERROR` label); the errorstack, chain dump, context lines and `Func()==SSSLERR_…` lines around it are
 * reached by lookback and the open block. Inputs that mix bare lines into the trace (pastes: an ABAP
 * message above dev_icm lines) get the broad markers.
 * Inbound (server-role) certificate handling logs no ERROR, hence its own words. Each marker costs a
 * pass over every chunk, so the list is kept short. The trace header and SSL initialisation sit at
 * the start of a trace, which is always read in full.
 */
export const KERNEL_MARKERS: readonly string[] = ['ERROR', 'ReverseProxy', 'orwarded'];

/**
 * Words of kernel failure lines printed without `ERROR` (KERNEL_MARKERS): the SapSSL return codes, the
 * peer's alerts, chain and host name verdicts, incomplete handshakes, GSS-API errors. A whole trace
 * prints such a line beside its `*** ERROR =>` line, which the prefilter finds; a line copied out
 * alone is not. In an excerpt of kernel lines (no trace-file header) the head gate (head-gate.ts) reads
 * them up to 64 KiB.
 */
export const KERNEL_FAILURE_WORDS: readonly string[] = [
  // Not `SSSL`: its byte pairs are those of every `SapSSL…` line, which the search would then verify.
  'SSSLERR_',
  'SSSLRC_',
  'X.509',
  'not trusted',
  'TargetHostname',
  'fatal TLS',
  'incomplete SSL',
  ' failed',
  'GSS-API',
];

/** Markers for CommonCryptoLib sectraces. */
export const SECTRACE_MARKERS: readonly string[] = [
  'erberos',
  'KRB5',
  'gss_display_name',
  'rror',
  'failed',
  'SNCERR',
];

/**
 * Marker-line words whose failure context (errorstack, chain dump, session context) came before them:
 * the scanner reads up to 160 lines back (stopping at the session's start, `SapSSLSessionInit`).
 */
export const LONG_LOOKBACK_WORDS: readonly string[] = [
  'SSSL',
  'SapSSL',
  'Errorstack',
  'SSL handshake',
  'Peer not trusted',
  'ERROR during',
];

/**
 * SNC failure words: their context (the SNC call, its names, the GSS-API texts) sits in the few lines
 * around them and has no session start to stop at, so the scanner reads 24 lines back, not 160: a long
 * look back took every routine line the thread printed in the 160 before (in a generated 1 MiB trace
 * with 3 SNC failures among its 15, 118 of the 540 lines read).
 */
export const SNC_LOOKBACK_WORDS: readonly string[] = ['SNCERR', 'GSS-API', 'SncP'];

/** Other failure words: the nearest neighbours (4 lines) and the timestamp are read back. */
export const SHORT_LOOKBACK_WORDS: readonly string[] = [
  'SSL',
  'Snc',
  'SNC',
  'DlLoadLib',
  'LoadLibrary',
  'roxy',
  'NIE',
  'orwarded',
  'intermediary',
  'certificate',
  'LOCATION',
  'ICM_HTTP',
];

/**
 * The words of the line-type gate (maybeInteresting): anywhere in the line. The two tests anchored at the
 * line's start are a regex apart (INTERESTING_STARTS): inside this one, `^` branches made V8 compile it
 * about four times slower (~1 ms of every call that reads a line).
 */
const INTERESTING_WORDS = new RegExp(
  [
    'S(?:SL|APCRYPTO|erverCert|erver certificate|CLNT_HTTP|nc|TI|NCERR|EC_ERROR)',
    'A(?:lso check|2[0-9A-F]{6}:)',
    'E(?:rror Number|rrorstack|RROR during|rror \\d|RR_CERT|xception)',
    'C(?:ertificate:|aused by|onnect(?:ion)? to)',
    'P(?:SE|KIX|roxy)',
    'R(?:emote Peer|everseProxy|FC_|TE:\\[)',
    'T(?:RUNCATED|LSextSNI|rusted certificate|raceback)',
    'H(?:ostname|TTP error)',
    'I(?:CM_HTTP_)',
    'N(?:I-hdl)',
    'G(?:SS-API)',
    'M(?:issing credential|OZILLA_PKIX)',
    'D(?:lLoadLib)',
    'W(?:SS040)',
    'X\\.509',
    'secude_error',
    'B(?:EGIN CERT)',
    'F(?:ile ")',
    'U(?:nable to)',
    'c(?:iphersuites|ert_len|ertification path|onnect(?:ion)? to)',
    'n(?:ot trusted|amed ")',
    'v(?:erify peer)',
    'r(?:ole=)',
    'i(?:ntermediary)',
    'o(?:rwarded)',
    'w(?:ithout certificate)',
    'a(?:nonymous client| fatal TLS )',
    't(?:rc file|arget=")',
    'j(?:avax)',
    'h(?:andshake_failure|ostname)',
    'p(?:rotocol_version)',
    ' : ok',
    '={5}',
    '-{5}',
    '\\/0x',
    '\\(no error\\)',
    '\\.\\.\\. \\d',
    '\\[MSG:',
  ].join('|'),
);

/**
 * The line-type gate's tests at the line's start: `=>` (only the alert text line starts with it; kernel
 * error lines, `*** ERROR => …`, pass on their words) and `at ` (a Java stack frame).
 */
const INTERESTING_STARTS = /^\s*(?:=>|at )/;

/** The regexes of maybeInteresting: a line matching none of them cannot be of any line type. */
export const MAYBE_INTERESTING_PARTS: readonly RegExp[] = [INTERESTING_WORDS, INTERESTING_STARTS];

/**
 * Every line any type in LINE_TYPES can match also passes this (a cheap first test, so noise lines
 * skip the table). Tests check it against every line type on every fixture line.
 */
export function maybeInteresting(text: string): boolean {
  // `SSL` (INTERESTING_WORDS's first branch, and the most common word) needs no regex: a pasted SSL
  // line is read without compiling INTERESTING_WORDS, V8's costliest compile of a short call.
  return text.includes('SSL') || compileNow(INTERESTING_WORDS).test(text) || INTERESTING_STARTS.test(text);
}

/** A regex matching any of the plain words (escaped). */
export function anyWord(words: readonly string[]): RegExp {
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

/**
 * Inspecting proxies, security products and debugging proxies (lower case) that a paste may name beside a
 * failure: the words of the interception-stated fact in context-facts.ts and of the head-word test in
 * platform.ts.
 */
export const INSPECTING_PRODUCT_WORDS: readonly string[] = [
  'zscaler',
  'netskope',
  'bluecoat',
  'blue coat',
  'forcepoint',
  'mcafee web gateway',
  'cisco umbrella',
  'iboss',
  'menlo security',
  'fortinet',
  'fortigate',
  'palo alto networks',
  'sophos',
  'kaspersky',
  'eset ssl',
  'bitdefender',
  'trend micro',
  'barracuda',
  'skyhigh',
  'mitmproxy',
  'fiddler',
  'burp suite',
  'forward trust',
  'forward-trust',
  'charles proxy',
  'avast',
];
