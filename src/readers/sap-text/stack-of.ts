/**
 * @module Which stack printed a recognised message: the words of its lines (`javax.`, `code: 'ERR_…'`,
 * `_ssl.c`, an nginx error.log prefix) weighed against the stacks its kb entry lists, an SAP product's
 * own message staying the product's, and a stack that runs inside another (the HANA client in a Node
 * program) naming the inner one.
 */
import type { RecognizerEntry } from '../../kb/recognize/model.js';

/** Words in a line that say which of an entry's stacks printed it. */
const STACK_HINTS: ReadonlyArray<[string, RegExp]> = [
  ['iaik', /\biaik\.|ChainVerifier|while handshaking/i],
  ['cloud-connector', /cloud connector|\bscc\b|ljs_trace|com\.sap\.scc/i],
  ['integration-suite', /\bcpi\b|integration suite|com\.sap\.it\.|iflow|org\.apache\.camel\./i],
  [
    'hana-client',
    /hdbsql|\bhdbcli\b(?!\/)|sqldbc|@sap\/hana-client|go-hdb|\bRTE:\[|ngdbc|DBTech|jdbc:sap|\bhdb\b/i,
  ],
  [
    'dotnet',
    /System\.(?:Net|IO|Security|ComponentModel|ServiceModel)|\.NET\b|HttpRequestException|AuthenticationException|Invoke-(?:WebRequest|RestMethod)\b|SslPolicyErrors|RemoteCertificate(?:NameMismatch|ChainErrors|NotAvailable)|X509ChainStatus|^\s*(?:Get|Set|New|Import|Export|Invoke|Test|Add|Remove)-[A-Z][A-Za-z]{2,40} : |TCP connect to \(/,
  ],
  // JSSE names alerts in snake case ("Received fatal alert: protocol_version"); Gradle and Maven quote it.
  ['java', /\bjava[x]?\.|\bsun\.security\.|Exception\b|Received fatal alert: [a-z]{2,30}_|\b[Gg]radle\b/],
  [
    'python',
    /_ssl\.c|\bssl\.SSL|\bssl\.CertificateError|\[SSL: |urllib3|requests\.exceptions|CERTIFICATE_VERIFY_FAILED|\bpython|\bsocket\.gaierror|\[(?:Errno|WinError) -?\d/i,
  ],
  [
    'curl',
    /^\s*curl:|^\s*< HTTP\/\d|curl: \(\d{1,3}\)|SSL certificate OpenSSL verify result|SSL certificate problem/i,
  ],
  [
    'wget',
    /\bwget\b|--no-check-certificate|^--\d{4}-\d\d-\d\d |\|:\d{1,5}\.\.\. failed: |cannot verify \S{1,200}'s certificate/,
  ],
  ['btp', /Response returned: "\d|Failure reason: |check connection/i],
  [
    'browser',
    /NET::ERR_|net::ERR_|SEC_ERROR_|SSL_ERROR_[A-Z_]{4,}|Error code: |\bERR_(?:CONNECTION_[A-Z_]{4,}|NAME_NOT_RESOLVED|TIMED_OUT)\b|This site can.t be reached|\bFirefox\b/,
  ],
  ['go', /\bx509: |\btls: |net\/http|\bdial tcp\b/],
  // rustls' own texts (its error Display and Debug forms) and the crates that wrap them.
  [
    'rust',
    /\brustls\b|\breqwest\b|\bhyper::|\bwebpki\b|\bInvalidCertificate\(|invalid peer certificate|received corrupt message|peer is incompatible|received fatal alert: [A-Z][a-z]{1,20}[A-Z]|error trying to connect: |\bcargo run\b/,
  ],
  ['envoy', /upstream connect error|OPENSSL_internal|\benvoy\b|istio|\bkyma\b/i],
  [
    'nginx',
    /\bnginx\b|while SSL handshaking to upstream|\bproxy_ssl_|\[(?:error|crit|alert|info)\] \d{1,9}#\d{1,9}: /i,
  ],
  ['cloudflare', /\bcloudflare\b|\bRay ID\b|\bcf-ray\b/i],
  ['gnutls', /gnutls|The certificate is NOT trusted|The certificate chain uses|\*\*\* PKI verification/i],
  ['erlang', /\{tls_alert,|ALERT: Fatal - |\bMint\.TransportError\b|\berlang\b|\belixir\b/],
  [
    'php',
    /\bPHP (?:Warning|Fatal error)\b|\bstream_socket_(?:client|enable_crypto)\(\)|\bphp\.ini\b|GuzzleHttp|\bcURL error \d/,
  ],
  ['perl', /\bLWP\b|IO::Socket::SSL|Mozilla::CA|PERL_LWP_SSL/],
  ['ibm-mq', /\bAMQ\d{4}[EIW]\b|\bSSLCIPH\b|\bCipherSpec\b/],
  ['apple', /NSURLErrorDomain|kCFStreamError|\bNSURLSession|\bURLSession\b|\bCFNetwork\b/],
  ['haproxy', /\bhaproxy\b|\bLayer[4-7] (?:invalid|timeout)/i],
  ['azure', /application gateway|\bAppGW\b|\bagw-|backend health/i],
  [
    'kerberos',
    /kerberos|krb5|\bKrb[A-Z]|GSSException|spnego|pre-?authentication|\bKDC\b|message stream modified|KRB_AP_ERR|keytab|ticket|principal|skew|authority could be contacted|encryption type|credentials cache|\bTGT\b/i,
  ],
  ['slc', /Secure Login|\bSLC\b|A22000(?:19|1A)/i],
  ['snc', /GSS-API\(|SncP|SNCERR|sncgss/],
  [
    'abap',
    /#|HTTP error \d{3} occ|^\s*SSL handshake with |^\s*SSSLERR_|\(ICM_HTTP_|^\s*Direct connect to |^\s*Status HTTP Response\b/,
  ],
  ['commoncryptolib', /^\[Thr |SAPCRYPTO|Secu(?:de)?-SSL|CommonCryptoLib/],
  [
    'node',
    /^\s*(?:Error|FetchError|TypeError|AxiosError|RequestError): |\bcode: '[A-Z0-9_]{4,}'|\[cause\]|fetch failed|\bnode(?:js)?\b|\bnpm\b|\bEPROTO\b|ERR_TLS_|\bcap\b/,
  ],
  // The Windows text of SEC_E_WRONG_PRINCIPAL for a TLS name check is SChannel's.
  ['schannel', /schannel|SEC_E_|SEC_I_|CN name does not match the passed value/i],
];

/**
 * Stacks a line names beyond doubt: the HANA client quotes OpenSSL verify texts in its own errors. It wins
 * even when the entry does not list it, so the fix names the store the HANA client uses (sslTrustStore).
 * (Cloud Connector and Cloud Integration lines are told by the product the input names: platform.ts.)
 */
const DECISIVE: ReadonlySet<string> = new Set(['hana-client']);

/**
 * Stacks that run inside another: the HANA client in a Node, Go, Java, Python or .NET program, the SAP
 * Java products and IAIK in a JVM. When an entry's
 * own stack is the inner one and the line only names its host (`Error: …` of a Node program printing a
 * HANA client text), the inner stack printed it: its texts and its settings are the ones to fix.
 */
const HOSTS: Readonly<Record<string, readonly string[]>> = {
  'hana-client': ['node', 'go', 'java', 'python', 'dotnet'],
  iaik: ['java'],
  'cloud-connector': ['java'],
  'integration-suite': ['java'],
  btp: ['java', 'node'],
};

/** SAP products that print a summary of their own around another stack's text. */
export const PRODUCTS: ReadonlySet<string> = new Set(['sac', 'btp', 'cloud-connector', 'integration-suite']);

/**
 * The stack that printed the lines: an SAP client or product the lines name beyond doubt, else a stack
 * the lines name (`javax.`, `code: 'ERR_…'`, `_ssl.c`, …) — preferably one the entry lists —, else the
 * entry's first stack.
 */
export function stackOf(entry: RecognizerEntry, lines: readonly string[]): string {
  const listed = entry.stacks as readonly string[];
  const own = listed[0];
  let named: string | undefined;
  const found: string[] = [];
  for (const [stack, re] of STACK_HINTS) {
    if (!lines.some((l) => re.test(l))) continue;
    if (DECISIVE.has(stack)) return stack;
    if (listed.includes(stack)) found.push(stack);
    named ??= stack;
  }
  // An inner stack the lines name beside its host (SChannel's code in a .NET exception) printed it.
  const inner = found.find((s) => found.some((h) => HOSTS[s]?.includes(h)));
  if (inner) return inner;
  const first = found[0];
  if (first && own && HOSTS[own]?.includes(first) && found.every((s) => HOSTS[own]?.includes(s))) return own;
  // A product's own message (SAC, BTP, Cloud Connector, CPI) stays the product's when the lines only name
  // a stack it does not list (an `Error: ` prefix is no Node program in a SAC message).
  if (!first && own && PRODUCTS.has(own)) return own;
  return first ?? named ?? own ?? 'unknown';
}
