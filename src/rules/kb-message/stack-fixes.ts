/**
 * @module Fix steps in the user's own stack: which trust store, key store or setting each stack really
 * uses, per kind of cause, and what changes on the SAP server when an outside client fails against it.
 */
import { SAP_STACKS } from '../../kb/types.js';
import type { Cause } from '../../model/cause.js';

/** Causes grouped by the kind of change that fixes them. */
export type FixGroup =
  | 'trust'
  | 'hostname'
  | 'expired'
  | 'client-cert'
  | 'protocol'
  | 'network'
  | 'library'
  | 'snc';

const GROUP: Partial<Record<Cause, FixGroup>> = {
  'untrusted-root': 'trust',
  'missing-intermediate': 'trust',
  interception: 'trust',
  'weak-signature': 'protocol',
  'hostname-mismatch': 'hostname',
  'wrong-host': 'hostname',
  'sni-missing': 'hostname',
  'expired-peer-cert': 'expired',
  'expired-own-cert': 'expired',
  'client-cert-missing': 'client-cert',
  'client-cert-rejected': 'client-cert',
  'own-cert-rejected': 'client-cert',
  'tls-version': 'protocol',
  'cipher-mismatch': 'protocol',
  network: 'network',
  proxy: 'network',
  'not-ssl-port': 'network',
  'pse-missing': 'library',
  'pse-credential': 'library',
  'lib-not-found': 'library',
  'snc-name': 'snc',
  'snc-credentials': 'snc',
};

/** The fix group of a cause (undefined for `unknown`). */
export function fixGroupOf(cause: Cause): FixGroup | undefined {
  return GROUP[cause];
}

/** True when the stack is SAP software (its side is the SAP side's role). */
export function isSapStack(stack: string): boolean {
  return SAP_STACKS.has(stack);
}

/** Words for the stacks, as users know them. */
export const STACK_NAMES: Record<string, string> = {
  icm: 'the SAP ICM (CommonCryptoLib)',
  abap: 'the ABAP system',
  webdispatcher: 'the SAP Web Dispatcher',
  commoncryptolib: 'CommonCryptoLib',
  sapgenpse: 'sapgenpse',
  snc: 'SNC (GSS-API)',
  kerberos: 'Kerberos',
  slc: 'SAP Secure Login Client',
  'sap-gui': 'SAP GUI',
  openssl: 'OpenSSL',
  node: 'Node.js',
  java: 'Java (JSSE)',
  iaik: 'the IAIK security provider (SAP Java)',
  dotnet: '.NET',
  schannel: 'Windows SChannel',
  go: 'Go',
  python: 'Python',
  curl: 'curl',
  wget: 'wget',
  browser: 'the browser',
  'hana-client': 'the SAP HANA client',
  'cloud-connector': 'the SAP Cloud Connector',
  'integration-suite': 'SAP Integration Suite (Cloud Integration)',
  sac: 'SAP Analytics Cloud',
  btp: 'SAP BTP',
  envoy: 'Envoy (Istio, Kyma API gateway)',
  nginx: 'nginx (ingress-nginx)',
  haproxy: 'HAProxy',
  azure: 'Azure Application Gateway',
  rust: 'Rust (rustls, reqwest)',
  cloudflare: 'Cloudflare (in front of the origin)',
  gnutls: 'GnuTLS',
  erlang: 'Erlang/OTP ssl',
  php: 'PHP',
  perl: 'Perl (LWP, IO::Socket::SSL)',
  'ibm-mq': 'IBM MQ',
  apple: 'Apple URLSession (iOS, macOS)',
};

/**
 * The step tables, built on first use: their words are most of this module, and most calls (a trace
 * whose findings come from the structured rules) never need them.
 */
function buildTables() {
  /** Where each stack keeps the certificates it trusts, and how to add the root CA there. */
  const TRUST_STEPS: Record<string, string[]> = {
    icm: [
      'In STRUST, open the PSE the call uses (outbound: SSL client Standard or Anonymous, or the SSL client identity of the SM59 destination; inbound client certificates: SSL server Standard) and add the root CA with "Import certificate" → "Add to Certificate List", then save.',
      'Without a GUI: sapgenpse maintain_pk -a <root>.crt -p <the PSE file>; then restart the ICM (SMICM → Administration → ICM → Exit Soft) so it reads the PSE again.',
    ],
    java: [
      'Import the root CA into the trust store of exactly the JVM that runs the client: keytool -importcert -trustcacerts -alias <name> -file <root>.crt -keystore <that JVM>/lib/security/cacerts (or the store -Djavax.net.ssl.trustStore names).',
      'Restart the Java process so it reads the trust store again.',
    ],
    'cloud-connector': [
      'Cloud Connector administration UI → Configuration → On Premise → Backend Trust Store: add the root CA of the back end (and switch on the allowlist only with the CA in it); for connections to BTP the CA belongs in the JVM cacerts of the Cloud Connector.',
      'Restart the Cloud Connector if the JVM trust store changed.',
    ],
    'integration-suite': [
      "Integration Suite → Monitor → Security Material / Keystore → Add → Certificate: upload the root CA of the receiver's chain; the adapter uses the tenant keystore, not a JDK file.",
    ],
    node: [
      'Give Node.js the root CA: NODE_EXTRA_CA_CERTS=/path/<root>.pem in the environment of the process (read at start), or the `ca` option of the https agent / fetch dispatcher for this connection.',
      'Do not set NODE_TLS_REJECT_UNAUTHORIZED=0: it switches all checks off.',
    ],
    dotnet: [
      'Import the root CA into the Windows certificate store of the account that runs the program: certlm.msc → Trusted Root Certification Authorities (intermediates into Intermediate Certification Authorities), or Import-Certificate -FilePath <root>.cer -CertStoreLocation Cert:\\LocalMachine\\Root.',
    ],
    go: [
      'Go uses the operating system store: add the root CA there (Linux: copy to /usr/local/share/ca-certificates and run update-ca-certificates), point SSL_CERT_FILE at a bundle holding it, or set tls.Config.RootCAs in the program.',
    ],
    python: [
      'Python requests use certifi, not the OS store: set REQUESTS_CA_BUNDLE (or SSL_CERT_FILE for the ssl module) to a PEM bundle that holds the root CA, or pass verify="/path/bundle.pem".',
    ],
    curl: [
      "Pass the root CA with --cacert <root>.pem, or add it to the system store (update-ca-certificates) that curl's build uses.",
    ],
    openssl: [
      'Pass the root CA with -CAfile <root>.pem, or add it to the system store (update-ca-certificates).',
    ],
    browser: [
      'Import the root CA into the trust store the browser uses (Windows: certlm.msc → Trusted Root Certification Authorities; macOS: Keychain; Firefox: Settings → Certificates), on managed devices by policy.',
    ],
    'hana-client': [
      'Point the HANA client at a trust store that holds the root CA of the HANA server certificate: sslTrustStore=<PEM or key store file> with sslValidateCertificate=true (hdbsql: -e -ssltruststore <file>; JDBC/hdbcli/@sap/hana-client: the same connect properties; node hdb: the `ca` option; go-hdb: TLSRootCAFile in the DSN, TLSServerName for the name it checks).',
    ],
    sac: [
      "A live connection runs in the browser: the browser (and OS) of every user must trust the root CA of the SAP back end's certificate; import it there.",
    ],
    btp: [
      "BTP destination: in the destination's trust store settings upload a trust store that holds the root CA (or use the default JDK trust store when the CA is public).",
    ],
    snc: [
      "SNC with X.509: import the partner's root CA into the SNC PSE (STRUST → SNC SAPCryptolib, file SAPSNCS.pse) and, on the client, into the Secure Login Client / SAP GUI trust (the Windows store or the client PSE).",
    ],
  };
  TRUST_STEPS.abap = TRUST_STEPS.icm!;
  TRUST_STEPS.webdispatcher = [
    "SAP Web Dispatcher: add the root CA to the Web Dispatcher's own PSE for back-end connections — SAPSSLC.pse in its sec directory, or the PSE wdisp/ssl_cred names (web administration /sap/wdisp/admin → SSL and Trust Configuration → PSE Management, or sapgenpse maintain_pk -a <root>.crt -p SAPSSLC.pse on the Web Dispatcher host), then restart the Web Dispatcher; not STRUST of the back end (a Web Dispatcher embedded in an ABAP instance uses that instance's STRUST).",
  ];
  TRUST_STEPS.commoncryptolib = TRUST_STEPS.icm!;
  TRUST_STEPS.sapgenpse = TRUST_STEPS.icm!;
  TRUST_STEPS.iaik = [
    'SAP NetWeaver AS Java (PI/PO adapters with the IAIK provider): NWA → Configuration → Certificates and Keys → Key Storage → view TrustedCAs → Import Entry: add the root CA of the server (one entry per subject; SAP KBA 3076281); a channel that names another keystore view needs it there.',
  ];
  TRUST_STEPS.wget = [
    'Add the root CA to the system store wget uses (copy it to /usr/local/share/ca-certificates and run update-ca-certificates), or pass it with --ca-certificate=<root>.pem.',
  ];
  TRUST_STEPS.schannel = TRUST_STEPS.dotnet!;
  TRUST_STEPS.envoy = [
    "Istio / Kyma: the DestinationRule of the back end's host decides what Envoy trusts when it originates TLS - put the root CA into trafficPolicy.tls.caCertificates, or into ca.crt of the Secret that credentialName names (mode SIMPLE, or MUTUAL with the client key pair).",
  ];
  TRUST_STEPS.nginx = [
    "nginx as reverse proxy: the file proxy_ssl_trusted_certificate names decides what it trusts of the upstream (with proxy_ssl_verify on) - add the root CA of the SAP back end's chain to it (ingress-nginx: the ca.crt of the Secret in nginx.ingress.kubernetes.io/proxy-ssl-secret), then reload nginx.",
  ];
  TRUST_STEPS.haproxy = [
    "HAProxy: the file ca-file names on the server (or default-server) line decides what it trusts of the back end under verify required - add the root CA of the SAP back end's chain to it, then reload HAProxy.",
  ];
  TRUST_STEPS.azure = [
    "Azure Application Gateway: upload the root CA of the back end's chain (the self-signed top certificate, as .cer) as the trusted root certificate of the backend setting, then check Backend health.",
  ];
  TRUST_STEPS.rust = [
    "Rust with rustls: reqwest's rustls-tls feature and many crates trust only the Mozilla roots compiled into the program (webpki-roots), not the system store - add the root CA in code (reqwest::ClientBuilder::add_root_certificate with reqwest::Certificate::from_pem, or a rustls RootCertStore), or build with the native roots (reqwest feature rustls-tls-native-roots; rustls-native-certs) after adding the CA to the system store. native-tls builds use the system store (update-ca-certificates).",
  ];
  TRUST_STEPS.gnutls = [
    'GnuTLS programs (git and wget on Debian and Ubuntu, gnutls-cli) read the system bundle /etc/ssl/certs/ca-certificates.crt: add the root CA there (copy it to /usr/local/share/ca-certificates, run update-ca-certificates), or name a CA file for the call (gnutls-cli --x509cafile, git -c http.sslCAInfo=<file>).',
  ];
  TRUST_STEPS.erlang = [
    'Erlang/OTP and Elixir clients verify against the CA file their options name (cacertfile, or cacerts from public_key:cacerts_get() / CAStore in Elixir): add the root CA to that file or pass it in the ssl options of the call.',
  ];
  TRUST_STEPS.php = [
    'PHP verifies against the CA file that openssl.cafile and curl.cainfo name in php.ini (or the cafile stream context option): add the root CA to that bundle, then restart PHP.',
  ];
  TRUST_STEPS.perl = [
    'Perl (LWP, IO::Socket::SSL) takes its CAs from Mozilla::CA or the file PERL_LWP_SSL_CA_FILE / SSL_ca_file names: install Mozilla::CA or point that setting at a bundle holding the root CA.',
  ];
  TRUST_STEPS['ibm-mq'] = [
    "IBM MQ: add the root CA (and intermediates) of the partner's certificate to the queue manager's key repository (SSLKEYR, runmqakm -cert -add -db <key.kdb> -stashed -label <name> -file <root>.pem), then REFRESH SECURITY TYPE(SSL).",
  ];
  TRUST_STEPS.apple = [
    'iOS and macOS apps trust the system roots plus profiles the device installs: install the root CA as a configuration profile and enable it under Settings → General → About → Certificate Trust Settings (managed devices: by MDM), or give the server a publicly trusted certificate.',
  ];
  TRUST_STEPS.slc = [
    "Secure Login Client: it reaches the Secure Login Server over HTTPS with the Windows certificate store - import the root CA of the Secure Login Server's SSL certificate into Trusted Root Certification Authorities of the users' PCs (by group policy on managed PCs); for SNC itself, the partner's root CA belongs in the SNC PSE (STRUST → SNC SAPCryptolib, SAPSNCS.pse).",
  ];
  TRUST_STEPS['sap-gui'] = TRUST_STEPS.snc!;

  /** Where each stack keeps the client certificate it presents (mutual TLS), and what the server must trust. */
  const CLIENT_CERT_STEPS: Record<string, string> = {
    icm: 'In STRUST, the SSL client PSE the call uses (SSL client Standard, or the SSL client identity chosen in SM59 → Logon & Security or in the SOAMANAGER logical port) must hold an own certificate signed by a CA the server trusts (not the self-signed default); the server must trust that CA.',
    'cloud-connector':
      "Cloud Connector: the back end must trust the CA of the Cloud Connector's system certificate (Configuration → On Premise → System Certificate): import that CA into STRUST → SSL server Standard of the back end, set icm/trusted_reverse_proxy_<x> (or icm/HTTPS/trust_client_with_issuer and _subject) to its issuer and subject, and map the short-lived user certificates (CERTRULE, login/certificate_mapping_rulebased = 1).",
    'integration-suite':
      'Cloud Integration: in the receiver channel set Authentication to "Client Certificate" with the Private Key Alias of a key pair in the tenant keystore (Monitor → Manage Security → Keystore) signed by a CA the receiver trusts, and give the receiver that CA.',
    btp: 'BTP destination: set Authentication to ClientCertificateAuthentication and upload the key store (.p12/.jks) with the client certificate and its key; the server must trust the CA that issued it.',
    'hana-client':
      'HANA client: point sslKeyStore (JDBC: the key store properties) at the client certificate and key; the HANA server must trust its CA (the certificate collection or PSE of purpose X509 / SSL).',
    java: 'Java: give the JVM a key store with the client key pair (javax.net.ssl.keyStore / keyStorePassword, or the client key store of the framework); the server must trust the CA that issued it.',
  };
  CLIENT_CERT_STEPS.abap = CLIENT_CERT_STEPS.icm!;
  CLIENT_CERT_STEPS.commoncryptolib = CLIENT_CERT_STEPS.icm!;
  CLIENT_CERT_STEPS.iaik =
    'SAP NetWeaver AS Java (PI/PO): keep the client key pair in a Key Storage view (NWA → Certificates and Keys) and select that view and entry in the receiver channel (SOAP/HTTP: client authentication with X.509); the server must trust the CA that issued it.';

  /** Product settings that decide the host name a product checks, before the generic hostname step. */
  const HOSTNAME_STEPS: Record<string, string> = {
    sac: "SAP Analytics Cloud live connection: the user's browser checks the host of the connection (Host in the SAC connection) against the back end's certificate: use the name the certificate carries (usually the FQDN), or re-issue the back end's SSL server certificate with the alias in its subjectAltName.",
    'cloud-connector':
      "Cloud Connector: the Internal Host of the system mapping (Cloud To On-Premise → Access Control → Mapping Virtual To Internal System) is the name checked against the back end's certificate: use a name the certificate carries in its subjectAltName (usually the FQDN), or have the back end's SSL server certificate re-issued with that name.",
    'integration-suite':
      "Cloud Integration: the host in the receiver channel's Address must be a name in the receiver's certificate (subjectAltName); the Connectivity Tests tool (TLS) shows the certificate the receiver presents.",
    btp: "BTP destination: the host in the destination's URL must be a name in the server's certificate (subjectAltName); TrustAll and hostname verification off are workarounds, not fixes.",
    'hana-client':
      'SAP HANA client: the name checked is the host of the connect string (a virtual host name, an alias, a load balancer name), or sslHostNameInCertificate when it is set: connect with a name the server certificate carries, set sslHostNameInCertificate to the name it carries, or have the HANA server certificate (its PSE or certificate collection for SSL) re-issued with the virtual names in its subjectAltName.',
    nginx:
      "nginx: the name it checks is proxy_ssl_name (by default the host of proxy_pass): set it to a name in the upstream certificate's subjectAltName, with proxy_ssl_server_name on so the same name goes out as SNI (ingress-nginx: nginx.ingress.kubernetes.io/proxy-ssl-name and proxy-ssl-server-name).",
    haproxy:
      "HAProxy: the server line's verifyhost (or its sni) is the name checked: set it to a name in the back end certificate's subjectAltName.",
    azure:
      "Azure Application Gateway: the host name of the backend setting and of the custom health probe is the name checked: set it to a name in the back end certificate's subjectAltName.",
    webdispatcher:
      'SAP Web Dispatcher: the back-end host it connects to (wdisp/system_<n> or the message server logon groups) must be named in the back end certificate; wdisp/ssl_ignore_host_mismatch = TRUE only switches the check off — a workaround, not a fix.',
  };

  /** Where a proxy or gateway sets the server name (SNI) it sends to the back end: none is sent by default. */
  const SNI_STEPS: Record<string, string> = {
    nginx:
      'nginx: set proxy_ssl_server_name on; in the location (off by default: no SNI goes to the upstream), with proxy_ssl_name <the host the certificate names> when proxy_pass names an address or an upstream block; ingress-nginx: nginx.ingress.kubernetes.io/proxy-ssl-server-name: "on" and proxy-ssl-name. Then reload.',
    haproxy:
      'HAProxy: add sni str(<the host the certificate names>) to the server line (and check-sni <host> for the health check), then reload.',
    envoy:
      "Istio / Kyma: set tls.sni in the DestinationRule of the back end's host to the name its certificate carries.",
  };

  /** Product steps for an own certificate that expired (the product's key pair, not a CA import). */
  const OWN_EXPIRED_STEPS: Record<string, string> = {
    sac: "SAP Analytics Cloud live connection: the back end's own certificate expired — renew it where the back end keeps it (BW, S/4HANA: STRUST → SSL server Standard, new request and CA response; HANA: its certificate collection with purpose SSL) and make every user's browser see the new chain.",
    'cloud-connector':
      'Cloud Connector: renew its system certificate (Configuration → On Premise → System Certificate: create a CSR, have it signed by the CA the back end trusts, import the signed certificate) — the back end rejects the expired one; principal propagation also needs a valid CA certificate for the short-lived user certificates.',
    'integration-suite':
      'Cloud Integration: renew the key pair of the Private Key Alias in the tenant keystore (Monitor → Keystore → Renew / update with the signed certificate) and give the receiver its CA.',
  };

  const GROUP_STEPS: Record<Exclude<FixGroup, 'trust'>, string> = {
    hostname:
      'Connect with a host name the server certificate names in its subjectAltName (the FQDN, not an alias or IP), or have the certificate re-issued with that name; when a server hosts several names, the client must send SNI.',
    expired:
      'Renew the expired certificate (with its chain) on the side that presents it, and check the clock of the side that reported it.',
    'client-cert':
      "Give the client the certificate the server asks for (a key pair signed by a CA the server trusts) and make the server trust that CA; the server's trace names what it expected.",
    protocol:
      'Make both sides share a TLS version and cipher suite: read what the server offers (pse-doctor probe <host>:<port>) and widen the side that is too narrow (SAP: ssl/ciphersuites, ssl/client_ciphersuites).',
    network:
      'Check the path before TLS: host and port, firewall, proxy settings and whether the port speaks TLS at all (pse-doctor probe <host>:<port>).',
    library:
      'Check that the crypto library and the PSE/credentials the process uses exist and are readable by its OS user (SECUDIR, cred_v2, ssl/ssl_lib, SNC_LIB).',
    snc: "Check the SNC names on both sides against the key material: the partner name (p:CN=… or the Kerberos SPN) must be exactly the identity of the partner's PSE or keytab; for Kerberos check the SPN (setspn -L <service user>), the keytab and the encryption types.",
  };
  return { TRUST_STEPS, CLIENT_CERT_STEPS, HOSTNAME_STEPS, SNI_STEPS, OWN_EXPIRED_STEPS, GROUP_STEPS };
}

let built: ReturnType<typeof buildTables> | undefined;
const tables = () => (built ??= buildTables());

/**
 * A product's own step for a finding of a structured rule (trace-based, worded for the ICM of an ABAP
 * system) when the evidence was printed by that product: the Web Dispatcher keeps its trust in its own
 * PSE, not in STRUST of a back end.
 */
export function productLeadStep(stack: string, cause: Cause): string | undefined {
  if (stack === 'webdispatcher' && fixGroupOf(cause) === 'trust')
    return tables().TRUST_STEPS.webdispatcher![0];
  return undefined;
}

/** The product setting that decides the host name checked (Cloud Connector Internal Host, …), if any. */
export function productHostnameStep(stack: string): string | undefined {
  return tables().HOSTNAME_STEPS[stack];
}

/**
 * Steps in the printing stack for a cause. `ownFix`: the message brings its own step; the stack's trust
 * steps (about CA certificates) then do not apply, its other steps still follow. `plainFirst`: the call
 * uses a protocol whose standard port begins in plain text (see plainFirstProtocol).
 */
export function stackSteps(stack: string, cause: Cause, ownFix = false, plainFirst = false): string[] {
  const group = fixGroupOf(cause);
  if (!group) return [];
  // A step of the message's own replaces the stack's steps about CA certificates and, for the side's own
  // certificate, the generic client-certificate step (which would address the wrong side).
  if (ownFix && (group === 'trust' || cause === 'own-cert-rejected')) return [];
  const { TRUST_STEPS, HOSTNAME_STEPS, SNI_STEPS, OWN_EXPIRED_STEPS, CLIENT_CERT_STEPS, GROUP_STEPS } =
    tables();
  if (group === 'trust') {
    const steps = [...(TRUST_STEPS[stack] ?? TRUST_STEPS.openssl!)];
    if (cause === 'missing-intermediate') {
      steps.unshift(
        'The server should send its intermediate CA certificates with its own certificate; until it does, trusting the root alone may not be enough for stacks that do not fetch intermediates.',
      );
    }
    if (cause === 'interception') {
      steps.unshift(
        "If a proxy or security appliance inspects TLS on this path, either exempt the SAP host from inspection or trust the appliance's CA in this stack (below) — after checking with your security team.",
      );
    }
    return steps;
  }
  if (group === 'hostname' && cause === 'hostname-mismatch' && HOSTNAME_STEPS[stack])
    return [HOSTNAME_STEPS[stack]!, GROUP_STEPS[group]];
  if (cause === 'sni-missing' && SNI_STEPS[stack]) return [SNI_STEPS[stack]!, GROUP_STEPS[group]];
  if (cause === 'expired-own-cert' && OWN_EXPIRED_STEPS[stack])
    return [OWN_EXPIRED_STEPS[stack]!, GROUP_STEPS.expired];
  if (group === 'client-cert' && cause !== 'own-cert-rejected' && CLIENT_CERT_STEPS[stack])
    return [CLIENT_CERT_STEPS[stack]!, GROUP_STEPS[group]];
  if (cause === 'own-cert-rejected' && stack === 'cloud-connector') return [CLIENT_CERT_STEPS[stack]!];
  // A mail, LDAP or FTP port speaks plain text first: TLS from the first byte fails there, STARTTLS works.
  if (cause === 'not-ssl-port' && plainFirst) return [STARTTLS_STEP, GROUP_STEPS[group]];
  // Outside clients keep no PSE: their files are certificates, keys and trust stores.
  if (group === 'library' && !isSapStack(stack)) return [OUTSIDE_LIBRARY_STEP];
  return [GROUP_STEPS[group]];
}

/**
 * True when the message, or the input around it (context fact `plain-first`), names a protocol whose
 * standard port begins in plain text (SMTP, LDAP, FTP, IMAP, POP3): there a TLS-first call fails and
 * STARTTLS is the fix.
 */
export function plainFirstProtocol(text: string, context: readonly string[] | undefined): boolean {
  return STARTTLS_TEXT.test(text) || (context?.includes('plain-first') ?? false);
}

/** A failure on a protocol whose standard port begins in plain text (SMTP, LDAP, FTP, IMAP, POP3). */
const STARTTLS_TEXT =
  /\b(?:smtp|mail|ldap|ftp|imap|pop3)\b|\bport:? (?:25|587|389|21|143|110)\b|:(?:25|587|389|143|110)\b/i;

const OUTSIDE_LIBRARY_STEP =
  'Check that the TLS library, the certificate, key and trust store files the program uses exist and are readable by the OS user it runs as (a service or scheduled job runs as another user than your shell), and that any password or passphrase they need reaches the program.';

const STARTTLS_STEP =
  'Mail (SMTP 25/587), LDAP (389), FTP (21), IMAP (143) and POP3 (110) ports begin in plain text and switch to TLS only on STARTTLS: choose STARTTLS for such a port (Cloud Integration mail adapter: Protection STARTTLS; SAPconnect and LDAP connectors: StartTLS), and TLS from the first byte only on the implicit-TLS ports (SMTPS 465, LDAPS 636, FTPS 990, IMAPS 993, POP3S 995).';

/** What changes on the SAP server when an outside client fails against it (role server). */
export function sapServerSteps(cause: Cause, stack?: string): string[] {
  // The HANA client talks to a HANA server: its certificate lives in HANA, not in an ICM PSE.
  if (stack === 'hana-client') {
    const group = fixGroupOf(cause);
    if (group === 'trust' || group === 'hostname' || group === 'expired')
      return [
        "On the HANA server: the certificate it presents for SQL (the certificate collection with purpose SSL, or sapsrv.pse in the instance's sec directory on older releases) must carry the host names clients use, be valid, and be sent with its intermediate CAs.",
      ];
    return [];
  }
  switch (fixGroupOf(cause)) {
    case 'trust':
      return [
        'On the SAP server: make the SSL server PSE (STRUST → SSL server Standard, or the SSL server identity of that port) present its full chain — own certificate plus intermediates, imported with the CA response — so the client needs only the root.',
      ];
    case 'hostname':
      return [
        'On the SAP server: the certificate of the SSL server PSE must name every host name clients use (STRUST → SSL server Standard → new request with the DNS names as subjectAltName, then import the CA response).',
      ];
    case 'expired':
      return [
        'On the SAP server: renew the certificate of the SSL server PSE in STRUST (new request, import the CA response, save; the ICM picks it up).',
      ];
    case 'protocol':
      return [
        'On the SAP server: ssl/ciphersuites decides what the ICM offers; compare it with what the client accepts.',
      ];
    case 'client-cert':
      return [
        "On the SAP server: icm/HTTPS/verify_client (0 none, 1 asked, 2 required; changeable at runtime in RZ11) decides whether the ICM asks for a client certificate, and the certificate list of the SSL server PSE (STRUST) holds the CAs whose client certificates it accepts — import the issuer of the client's certificate there, then map the certificate to a user (transaction CERTRULE or table USREXTID).",
      ];
    default:
      return [];
  }
}
