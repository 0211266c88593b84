/**
 * @module The context facts a paste states beside its failures (kb KB_CONTEXT_FACTS): the words that say
 * each, and the one-test-per-line regexes (CONTEXT_ANY, CONTEXT_ANY_GROUPED) that rule most lines out first.
 * Read by message-lines.ts (and the quiet gate, quiet-lines.ts).
 */
import { INSPECTING_PRODUCT_WORDS } from './markers.js';

/** Any context fact at all (one test per line; the facts are told apart only on a hit). */
export const CONTEXT_ANY =
  /client.?certificate|private key alias|--cert\b|cert=\(|vclient=2|mutual tls|mutual authentication|mtls|auth_type=|ssl_client_cert|certificate logon|logon with|x\.509|key store location|keystore|cert_len = |anonymous client|encrypt|hdbsql|hanacloud\.ondemand|proxy|while SSL handshaking, client|AH02008|ServerHandshaker|SSL_accept|tls handshake error from|librar|shared object|DLENO|tls ?v?1\.|sslv3|request(?:ing|ed) version 3\.|SM59| calls\b|smtp|ldap|imap|pop3|ftp\b|javax\.mail|port:? \d|incomplete|extra download|intermediate|zscaler|netskope|blue ?coat|forcepoint|mcafee web gateway|cisco umbrella|iboss|menlo security|inspection|interception|decryption|break and inspect|man-in-the-middle|man in the middle|curl\.cainfo|openssl\.cafile|_with_(?:rc4|3des|des)_|rc4-sha|rc4-md5|des-cbc3-sha|enablesniextension|client_sni_enabled|-noservername|fortinet|fortigate|palo alto networks|sophos|kaspersky|eset ssl|bitdefender|trend micro|barracuda|skyhigh|mitmproxy|fiddler|burp suite|charles proxy|avast|forward trust|forward-trust|browser|curl|postman|chrome|firefox|s_client|soapui|ssl client anonymous|anonym |request cert|certificaterequest|has expired|certificate expired|certificate is expired/i;

/**
 * CONTEXT_ANY with its words grouped by their first letter (the same lines match: context-facts.test.ts
 * holds it to CONTEXT_ANY). Every line of an input's head runs it, and a shared first letter is tried
 * once, not once per word: about a third fewer steps per line. CONTEXT_ANY stays the readable list the
 * quiet gate reads its words from.
 */
export const CONTEXT_ANY_GROUPED =
  /c(?:lient(?:.?certificate|_sni_enabled)|ertificate logon|ertificate expired|ertificate is expired|ertificaterequest|ert_len = |ert=\(|isco umbrella|url|harles proxy|hrome)|p(?:rivate key alias|roxy|op3|ort:? \d|alo alto networks|ostman)|-(?:-cert\b|noservername)|a(?:uth_type=|nonymous client|nonym |H02008|vast)|s(?:sl(?:_client_cert|_accept|v3| client anonymous)|erverHandshaker|hared object|M59|mtp|ophos|kyhigh|_client|oapui)|l(?:ogon with|ibrar|dap)|x\.509|k(?:ey(?: store location|store)|aspersky)|e(?:ncrypt|xtra download|nablesniextension|set ssl)|h(?:dbsql|anacloud\.ondemand|as expired)|while SSL handshaking, client|d(?:LENO|ecryption|es-cbc3-sha)|t(?:ls ?v?1\.|ls handshake error from|rend micro)|r(?:equest(?:ing|ed) version 3\.|equest cert|c4-(?:sha|md5))| calls\b|i(?:map|ncomplete|ntermediate|boss|nspection|nterception)|f(?:tp\b|orcepoint|orti(?:net|gate)|iddler|irefox|orward(?: |-)trust)|javax\.mail|z(?:scaler)|n(?:etskope)|b(?:lue ?coat|reak and inspect|itdefender|arracuda|urp suite|rowser)|m(?:cafee web gateway|enlo security|an-in-the-middle|an in the middle|utual (?:tls|authentication)|tls|itmproxy)|openssl\.cafile|vclient=2|_with_(?:rc4|3des|des)_/i;

/**
 * Facts an input states beside its messages (kb KB_CONTEXT_FACTS): each with the words that say it, and
 * the words every line saying it holds — lower case, one of each list (context-facts.test.ts checks them
 * against the regex's own literals) — so a line runs only the regexes of facts it could state.
 */
export const CONTEXT_FACTS: ReadonlyArray<readonly [string, RegExp, ReadonlyArray<readonly string[]>]> = [
  [
    'client-cert-auth',
    /ClientCertificateAuthentication|ClientCertificates\b|client certificate|Private Key Alias|--cert\b|\bcert=\(|VCLIENT=2\b|mutual (?:TLS|authentication)\b|\bmTLS\b|auth_type=[12]\b|SSL_CLIENT_CERT|certificate logon|logon with (?:an? )?(?:SSL |X\.509 |client )certificate|X\.509 (?:logon|authentication)|Key Store Location|cert_len = \d|javax\.net\.ssl\.keyStore\b|keyStore is : \S/i,
    [
      [
        'clientcertificate',
        'client certificate',
        'private key alias',
        '--cert',
        'cert=(',
        'vclient=2',
        'mutual tls',
        'mutual authentication',
        'mtls',
        'auth_type=',
        'ssl_client_cert',
        'certificate logon',
        'logon with',
        'x.509 logon',
        'x.509 authentication',
        'key store location',
        'cert_len = ',
        'javax.net.ssl.keystore',
        'keystore is : ',
      ],
    ],
  ],
  [
    'anonymous-client',
    /anonymous client|cert_len = <no cert>|auth_type=0\b|NO_CLIENT_CERT\b|\bSSL client Anonymous\b|\bANONYM {1,20}SSL client\b/i,
    [
      [
        'anonymous client',
        'cert_len = <no cert>',
        'auth_type=0',
        'no_client_cert',
        'ssl client anonymous',
        'anonym ',
      ],
    ],
  ],
  [
    'encrypt-on',
    /\bencrypt\s{0,3}[=:]\s{0,3}["']?(?:true|1)\b|\bhdbsql\b.{0,400}\s-e(?:\s|$)|-sslencrypt\b/i,
    [['encrypt', 'hdbsql']],
  ],
  ['encrypt-off', /\bencrypt\s{0,3}[=:]\s{0,3}["']?(?:false|0)\b/i, [['encrypt']]],
  ['hana-cloud', /hanacloud\.ondemand\.com/i, [['hanacloud.ondemand.com']]],
  [
    'lib-load-error',
    /cannot load library|cannot open shared object file|error loading (?:the )?(?:shared )?library|LoadLibrary(?:Ex)?\(\)? failed|DLENOACCESS|DLENOFILE/i,
    [['librar', 'shared object', 'dleno']],
  ],
  // The log is a TLS server's: nginx (its upstream form says "while SSL handshaking to upstream"),
  // Apache mod_ssl, a JDK 8 server handshaker, OpenSSL's accept call, Go's net/http server. An alert it
  // quotes came from a client.
  [
    'server-log',
    /while SSL handshaking, client: |\bAH02008: SSL library error|\bServerHandshaker\b|\b(?:SSL|ssl)_accept\b|\bhttp: TLS handshake error from /,
    [['handshaking, client', 'ah02008', 'serverhandshaker', 'ssl_accept', 'tls handshake error from']],
  ],
  // The paste states which TLS versions a side accepts ("they only accept TLS 1.2", "TLS 1.0/1.1
  // disabled by GPO", "requires TLS 1.2 or higher"): a refused handshake is first a version mismatch.
  [
    'tls-version-stated',
    /\bonly (?:accepts?|supports?|allows?|offers?|speaks?|enables?) (?:TLS ?v?1\.[0-3]|SSLv3)|\bTLS ?v?1\.[0-3](?:\s?(?:and|\/|,|or)\s?(?:TLS ?v?)?1\.[0-3])? (?:is |are |was |were |now |been |got ){0,2}(?:disabled|deactivated|switched off|turned off|removed|no longer (?:supported|accepted|allowed))|\b(?:disabled?|deactivated?|turned off) (?:the )?(?:TLS ?v?1\.[0-3]|SSLv3)|\brequires? (?:at least )?TLS ?v?1\.[23]|\bTLS ?v?1\.[23] (?:only\b|(?:or|and) (?:higher|newer|later|above))|\bminimum TLS (?:version )?(?:is |of )?v?1\.[23]|\brequest(?:ing|ed) version 3\.[0-2]\b/i,
    [
      ['tls', 'sslv3', 'version 3.'],
      [
        'only',
        'disable',
        'deactivate',
        'switched off',
        'turned off',
        'removed',
        'no longer',
        'require',
        'minimum',
        'or higher',
        'or newer',
        'or later',
        'or above',
        'and higher',
        'and newer',
        'and later',
        'and above',
        'requesting version',
        'requested version',
      ],
    ],
  ],
  // The paste says an SAP system calls the machine whose log it is: an SM59 destination, "our S/4 calls",
  // "the ECC system (kernel 7.22) calls https://…".
  [
    'sap-calls',
    /\bSM59\b|\b(?:S\/4(?:HANA)?|ECC(?: 6\.0)?|SAP|BW|PI|PO|ABAP)(?: system)?(?: \([^)]{0,60}\))? calls\b/,
    [['sm59', ' calls']],
  ],
  // The call uses a protocol whose standard port begins in plain text (STARTTLS): mail, LDAP, FTP.
  [
    'plain-first',
    /\b(?:SMTP|LDAP|IMAP|POP3|FTP)\b|\bjavax\.mail\b|\bport:? (?:25|587|389|21|143|110)\b/i,
    [
      [
        'smtp',
        'ldap',
        'imap',
        'pop3',
        'ftp',
        'javax.mail',
        'port 25',
        'port 587',
        'port 389',
        'port 21',
        'port 143',
        'port 110',
        'port: 25',
        'port: 587',
        'port: 389',
        'port: 21',
        'port: 143',
        'port: 110',
      ],
    ],
  ],
  // The call goes through a forward proxy: its variable or option, a proxy URL, a CONNECT tunnel.
  [
    'via-proxy',
    /\bhttps?_proxy\b|--proxy\b|\bproxyHost\b|https?:\/\/[\w.-]{0,60}proxy[\w.-]{0,60}:\d{2,5}|Establish HTTP proxy tunnel|Uses proxy env variable|\bvia (?:the )?proxy [\w.-]{1,253}:\d{2,5}|CONNECT [\w.-]{1,253}:\d{1,5} HTTP\/1/i,
    [['proxy', 'connect ']],
  ],
  // The paste says the server's chain is incomplete: SSL Labs' "This server's certificate chain is
  // incomplete" (and its "Extra download"), "the intermediate is missing", "they do not send the
  // intermediate".
  [
    'chain-incomplete-stated',
    /\bchain (?:is )?incomplete\b|\bincomplete (?:certificate )?chain\b|\bExtra download\b|\bintermediate (?:CA |certificate |cert )?(?:is |was |are |were )?(?:missing|not (?:sent|included|served))\b|\bmissing (?:the |an |its )?intermediate\b|\b(?:do|does|did)(?:n't| not) send (?:the |its |their |any )?intermediate/i,
    [['incomplete', 'extra download', 'intermediate']],
  ],
  // PHP's ini shows its CA file settings empty or commented out (`;curl.cainfo =`): curl and OpenSSL in
  // PHP then verify against no CA at all (the usual state of a fresh Windows PHP).
  [
    'ca-file-unset',
    /^\s{0,20};?\s{0,20}(?:curl\.cainfo|openssl\.cafile)\s{0,20}=\s{0,20}(?:""\s{0,20})?$/i,
    [['curl.cainfo', 'openssl.cafile']],
  ],
  // The paste names a TLS-inspecting proxy or the inspection itself: "we go through Zscaler", "the
  // Netskope rollout", "SSL inspection for all categories".
  [
    'interception-stated',
    /\b(?:Zscaler|Netskope|Blue ?Coat|Forcepoint|McAfee Web Gateway|Cisco Umbrella|iboss|Menlo Security|Fortinet|FortiGate|Palo Alto Networks|Sophos|Kaspersky|ESET SSL|Bitdefender|Trend Micro|Barracuda|Skyhigh|mitmproxy|Fiddler|Burp Suite|Charles Proxy|Avast|Forward[ -]Trust)\b|\b(?:SSL|TLS|HTTPS) (?:inspection|interception|decryption|break and inspect)\b|\bman-in-the-middle\b|\bman in the middle\b/i,
    [
      [
        ...INSPECTING_PRODUCT_WORDS,
        ' inspection',
        ' interception',
        ' decryption',
        'break and inspect',
        'man-in-the-middle',
        'man in the middle',
      ],
    ],
  ],
  // The paste says the partner requires a client certificate (mutual TLS, VCLIENT=2, "client certificate
  // required"; not "Client certificate: not required"), or the handshake shows the server asking for one
  // (curl -v's `Request CERT (13)`, a CertificateRequest in a Java or OpenSSL debug log).
  [
    'client-cert-required-stated',
    /mutual (?:TLS|authentication)\b|\bmTLS\b|client certificate:? (?:is |are |must be |will be )?(?:required|mandatory|needed|enforced)\b|\brequires? (?:a |an )?(?:X\.509 |TLS |SSL )?client certificate|VCLIENT=2\b|\bRequest CERT \(13\)|\bCertificateRequest\b/i,
    [
      [
        'mutual tls',
        'mutual authentication',
        'mtls',
        'client certificate',
        'vclient=2',
        'request cert',
        'certificaterequest',
      ],
    ],
  ],
  // The client is configured not to send SNI: a JVM option, the SAP kernel's parameters or environment
  // variable, s_client's -noservername.
  [
    'sni-off-stated',
    /jsse\.enableSNIExtension\s{0,3}=\s{0,3}false\b|\b(?:SAPSSL_CLIENT_SNI_ENABLED|client_sni_enabled)\s{0,3}=\s{0,3}(?:FALSE|0|off)\b|\s-noservername\b/i,
    [['enablesniextension', 'sapssl_client_sni_enabled', 'client_sni_enabled', '-noservername']],
  ],
  // The paste says another client reaches the same server (a browser, curl, Postman, s_client): the server
  // and its certificate are fine, so what this client sends (SNI, its trust list, its version) is the suspect.
  [
    'works-elsewhere-stated',
    /\b(?:browsers?|curl|postman|chrome|firefox|s_client|soapui)\b[^.\n]{0,40}?\b(?:works?|worked|succeeds?|succeeded|(?:is|are|was) fine|(?:shows?|showed|gets?|got|sees?|receives?|received) the (?:correct|right|valid|proper|expected|real) cert)|\b(?:works?|worked|working|succeeds?)(?: fine| ok| okay| without (?:any )?(?:problems?|issues?|errors?))? (?:from|in|with|via|using) (?:the |a |my )?(?:browsers?|curl|postman|chrome|firefox|s_client|soapui)\b/i,
    [['browser', 'curl', 'postman', 'chrome', 'firefox', 's_client', 'soapui']],
  ],
  // The paste says a certificate expired in words of its own (a CommonCryptoLib detail under a HANA
  // client's error, a user's note): the entry's first expiry hypothesis comes first. Not an alert's name
  // ("alert certificate expired" is the peer refusing this side's certificate).
  [
    'expiry-stated',
    /(?<!alert )\bcertificate (?:has |is )?expired\b|\bhas expired (?:at|on|since)\b/i,
    [['has expired', 'certificate expired', 'certificate is expired']],
  ],
  // A cipher suite list in the paste (nmap ssl-enum-ciphers, sslscan, testssl.sh, an s_client run, a
  // profile value) names a legacy suite - RC4, 3DES or single DES - that current peers no longer offer.
  [
    'legacy-ciphers-stated',
    /_WITH_(?:RC4|3DES|DES)_|\b(?:RC4-SHA|RC4-MD5|DES-CBC3-SHA)\b/i,
    [['_with_rc4_', '_with_3des_', '_with_des_', 'rc4-sha', 'rc4-md5', 'des-cbc3-sha']],
  ],
];
