/**
 * @module Java clients (Cloud Connector, SAP JVM, buildpacks, ADT, AS Java): PKIX path building failed → the JVM trust store lacks the CA, not STRUST.
 */
import type { Cause } from '../../model/cause.js';
import type { EvidenceEvent, JavaTlsFailureEvent, MessageEvent } from '../../model/evidence.js';
import type { ImportPlan } from '../../model/report.js';
import { nameForText } from '../../pki/dn.js';
import { defineRule } from '../define.js';
import { buildImportPlan } from '../import-wording.js';
import { importFromChain } from '../kb-message/evidence-ranking.js';
import { productHostnameStep, sapServerSteps } from '../kb-message/stack-fixes.js';
import { pinnedName } from '../pinned-name.js';
import { isPublicService, judgePrintedChain, replacedOnTheWay } from '../printed-chain.js';
import { inputStates } from '../telling-message.js';
import { frontEndDefaultName } from '../untrusted-peer-chain/front-end-default.js';

/** SAP's own Java products: there the SAP side is the client; any other Java program calls SAP. */
const SAP_JAVA =
  /cloud ?connector|\bscc\b|com\.sap\.(?:engine|it\.|scc|core\.connectivity)|\biaik\.|sapjvm|\bAS Java\b|\bNWA\b/i;

/** Stacks of SAP's own Java products (a message event of one in the same input makes the SAP side the client). */
const SAP_JAVA_STACKS: ReadonlySet<string> = new Set(['iaik', 'cloud-connector', 'integration-suite', 'btp']);

/** The Java program whose trust store decides: the product the input names, else a plain JVM. */
type JavaStore = 'cloud-connector' | 'integration-suite' | 'btp' | 'hana-client' | 'java';

/** The SAP HANA JDBC driver (ngdbc): its connect properties, not the JVM default, name the trust store. */
const HANA_JDBC = /jdbc:sap:|com\.sap\.db\.jdbc|SAP DBTech JDBC|\bngdbc\b/i;

function storeOf(product: string | undefined, message: string, hanaJdbc = false): JavaStore {
  const text = `${product ?? ''} ${message}`;
  if (hanaJdbc || HANA_JDBC.test(text)) return 'hana-client';
  if (/cloud ?connector|\bscc\b/i.test(text)) return 'cloud-connector';
  if (/cloud integration|integration suite|\bcpi\b/i.test(text)) return 'integration-suite';
  if (/BTP destination/i.test(text)) return 'btp';
  return 'java';
}

/** The trust store each Java program really uses, and how to add the CA to it. */
const STORES: Record<JavaStore, { name: string; step: string; restart: string }> = {
  'cloud-connector': {
    name: "the Cloud Connector's trust store",
    step: 'Cloud Connector: Administration UI → Configuration → On Premise → Backend Trust Store (for back-end servers; the allowlist only checks when it holds entries), or add the CA to the JVM trust store of the Cloud Connector for cloud connections; then restart the Cloud Connector.',
    restart:
      'Check availability of the internal system again (Cloud Connector → Cloud To On-Premise → the system mapping).',
  },
  'integration-suite': {
    name: 'the tenant keystore of Cloud Integration',
    step: "Cloud Integration: Monitor → Manage Security → Keystore → Add → Certificate: upload the root CA of the receiver's chain (the adapters trust the tenant keystore, not a JDK file); the TLS connectivity test (Monitor → Connectivity Tests → TLS) shows the chain the receiver sends and whether the keystore trusts it.",
    restart:
      'No restart is needed: retry the failed message (or run the TLS connectivity test again) once the keystore holds the CA.',
  },
  btp: {
    name: 'the trust store of the BTP destination',
    step: 'BTP cockpit → Connectivity → Destinations → the destination: upload a trust store holding the root CA of the server (Trust Store, .jks/.p12/.pem) or, for a public CA, keep "Use default JDK truststore" on; never leave TrustAll on in production.',
    restart: 'No restart is needed: run Check Connection on the destination again.',
  },
  'hana-client': {
    name: 'the trust store the HANA JDBC connection names (trustStore / sslTrustStore), else the JVM cacerts',
    step: 'SAP HANA JDBC driver: put the root CA of the HANA server certificate into a trust store file (keytool -importcert -trustcacerts -alias hanaroot -file <root>.crt -keystore hana-trust.jks) and name it in the connection: encrypt=true&validateCertificate=true&trustStore=<file>&trustStorePassword=<pw> (the driver also takes sslTrustStore / sslValidateCertificate; hostNameInCertificate when the URL uses an alias). Without a trustStore property the driver uses cacerts of the JVM that runs it.',
    restart: 'Reconnect (restart the application or its connection pool so it reads the new properties).',
  },
  java: {
    name: 'cacerts of the JVM that runs the client',
    step: "Import it into the trust store of exactly the JVM that runs the client (the one in the buildpack/SAP JVM, not the JDK on your PC): keytool -importcert -trustcacerts -alias <name> -file <root>.crt -keystore <that JVM>/lib/security/cacerts. For SAP Java buildpacks, copying the JDK's cacerts into the buildpack JVM is the documented way; for AS Java use NWA → Certificates and Keys → TrustedCAs.",
    restart: 'Restart the Java process so it reads the trust store again.',
  },
};

export default defineRule({
  id: 'java-trust-store',
  causes: [
    'untrusted-root',
    'missing-intermediate',
    'interception',
    'expired-peer-cert',
    'hostname-mismatch',
    'wrong-host',
    'sni-missing',
  ],
  needs: ['java-tls-failure'],
  uses: ['message', 'trace-info'],
  kb: ['PKIX_PATH_BUILDING_FAILED'],
  citation: ['SAP KBA 3076281'],
  rank: 11,
  messages: () => ({
    pkix: {
      title: "The Java trust store of {product|the client} lacks the server's root CA",
      summary:
        'Java could not build a certificate path to a trusted CA ("{text}"). The trust list here is the JVM\'s trust store ({storeName}), not an SAP PSE: STRUST changes do not help. {caClause}',
      steps: [
        {
          text: 'Find the root CA of the server: "pse-doctor probe <host>:<port>" or "openssl s_client -connect <host>:<port> -showcerts"; the top certificate is the root.',
          web: 'Find the root CA of the server: a probe of the server (Probe page) or "openssl s_client -connect <host>:<port> -showcerts"; the top certificate is the root.',
          action: { kind: 'field', page: 'probe' },
        },
        '{storeStep}',
        '{restartStep}',
        '{sapServerStep}',
      ],
      confirm: ['The client connects without "PKIX path building failed".'],
      distinguish:
        "Java also fails this way when the server omits its intermediate CA (Java does not fetch it); the server's chain from openssl shows which.",
    },
    intermediateShown: {
      title: 'The server sends only its own certificate: its intermediate CA is missing',
      summary:
        'Java reports "{text}", and the chain printed beside it holds one certificate, issued by "{issuerName}", an intermediate CA, not a root: the server does not send that intermediate, and Java does not fetch it, so the path stops below the root even when the root is trusted.',
      steps: [
        'Have the server send its full chain (certificate plus intermediates; for an SAP server, import the CA response with its chain into the SSL server PSE); as a stopgap import the intermediate "{issuerName}" into {storeName}.',
        '{sapServerStep}',
      ],
      confirm: [
        '"openssl s_client -connect <host>:<port> -showcerts" prints the intermediate after the server certificate, and the client connects.',
      ],
      distinguish: 'The chain the server sends has one certificate whose issuer is not a root.',
    },
    intermediate: {
      title: 'The server may omit its intermediate CA certificate',
      summary:
        'Java also reports "{text}" when the server sends only its own certificate: Java does not fetch a missing intermediate, so the path stops below the root even when the root is trusted.',
      steps: [
        {
          text: 'Look at the chain the server sends: "pse-doctor probe <host>:<port>" or "openssl s_client -connect <host>:<port> -showcerts".',
          web: 'Look at the chain the server sends: a probe of the server on the Probe page shows it.',
        },
        'If it holds only the server certificate, the server owner must configure the full chain (certificate plus intermediates); as a stopgap import the intermediate into {storeName}.',
        '{sapServerStep}',
      ],
      confirm: ['The chain the server sends includes the intermediate, and the client connects.'],
      distinguish: 'The chain the server sends has one certificate whose issuer is not a root.',
    },
    intercepted: {
      title:
        'A TLS-inspecting proxy replaces the certificate of {host|the server} on the way to the Java client',
      summary:
        'Java could not build a certificate path ("{text}"). {reason} The JVM does not trust the proxy\'s own CA.',
      steps: [
        'Preferred: have the network or security team exempt {host|the host} from TLS inspection for this client.',
        "Otherwise import the proxy's root CA (from your security team) into {storeName}: keytool -importcert -trustcacerts -alias proxy-root -file <proxy-root>.crt -keystore <that JVM>/lib/security/cacerts.",
        'Restart the Java process so it reads the trust store again.',
      ],
      confirm: ['The client connects without "PKIX path building failed".'],
      distinguish:
        '"openssl s_client -connect <host>:443 -showcerts" from the same machine shows the proxy as issuer; from outside the company network the chain is public.',
    },
    interception: {
      title: 'A TLS-inspecting proxy may present its own certificate',
      summary:
        'Java reports "{text}" also when a proxy or security appliance on the way inspects TLS and presents a certificate issued by its own company CA, which {storeName} does not hold. Connections from the Cloud Connector or a Java client to the internet (BTP, cloud APIs) meet such proxies most.',
      steps: [
        {
          text: 'Compare the issuer the Java side receives (-Djavax.net.debug=ssl:handshake, or openssl s_client -connect <host>:<port> -showcerts run on the same host) with the chain the server really sends (pse-doctor probe <host>:<port> from outside the proxy).',
          web: 'Compare the issuer the Java side receives (its handshake debug log, or openssl s_client run on the same host) with the chain the server really sends (a probe of the server from outside the proxy, Probe page).',
        },
        'If a proxy inspects TLS there, exempt the SAP or BTP host from inspection, or — after checking with the security team — trust the proxy CA in {storeName}.',
      ],
      confirm: ["The issuer the client receives is the server's own CA, and the client connects."],
      distinguish:
        "The issuer the Java side received is the proxy's CA, not the CA that signed the server's certificate.",
    },
    expired: {
      title: 'The server certificate the Java client received is expired',
      summary:
        'Java rejected the server certificate as outside its validity ("{text}"). The server owner must renew it; check the client clock too.',
      steps: [
        'Ask the server owner to renew the certificate (with its chain).',
        'Check the system time of the client host.',
        '{sapServerStep}',
      ],
      confirm: ['The client connects.'],
    },
    wrongHost: {
      title: 'The call may reach another server than intended',
      summary:
        'Java reports "{text}" also when the name resolves to another server (an old node behind a load balancer, a DNS alias to a different system, a proxy) whose certificate {wrongWhat}.',
      steps: [
        'Check where the name resolves from the client host (nslookup <host>) and which server answers: openssl s_client -connect <host>:<port> -servername <host> shows its certificate.',
        'If another server answers, correct the DNS entry, the load balancer pool or the URL in the client configuration.',
      ],
      confirm: ["The certificate the client receives is the intended server's, and the client connects."],
      distinguish:
        'The certificate received (subject, serial) differs from the one installed on the intended server.',
    },
    pinnedHost: {
      title: 'A hosts-file line sends {host} to {address}, another server than the intended one',
      summary:
        'Java reports "{text}", and a hosts-file line of the same paste pins {host} to {address}: the client reaches the server at that address, whose certificate names other hosts, instead of the one DNS names.',
      steps: [
        'Remove or correct the hosts-file entry for {host} on the client host (/etc/hosts, C:\\Windows\\System32\\drivers\\etc\\hosts), or point it at the intended server.',
        'Check the answer: getent hosts {host} (or nslookup) gives the intended address, and openssl s_client -connect {host}:<port> -servername {host} shows a certificate that names {host}.',
      ],
      confirm: ["The certificate the client receives is the intended server's, and the client connects."],
      distinguish: 'The hosts-file address differs from the address DNS gives for the name.',
    },
    sni: {
      title: 'The server may present its default certificate because of the server name (SNI)',
      summary:
        'Java reports "{text}" also when the server holds several certificates and chooses by the name the client sends (SNI): a client that connects by IP address or sends no SNI gets the default certificate, which names another host.',
      steps: [
        'Connect by the host name the certificate names, not by IP address (Java sends SNI only for host names; -Djsse.enableSNIExtension must not be false).',
        "On the SAP server: give the SSL server identity for this name its own certificate (STRUST → SSL server identities, icm/ssl_config_<n> with HOST=<name>), or add the name to the default certificate's subjectAltName.",
      ],
      confirm: [
        'openssl s_client -connect <host>:<port> -servername <host> shows a certificate naming that host.',
      ],
      distinguish:
        'openssl s_client with -servername <host> shows another certificate than without it (or with the IP address).',
    },
    hostname: {
      title: 'The server certificate does not name the host the Java client used',
      summary:
        'Java\'s host name check failed ("{text}"). The URL uses a name that is not in the certificate\'s subjectAltName.',
      steps: [
        '{productHostStep}',
        'Use the host name the certificate names (FQDN) in the client configuration, or have the server certificate re-issued with this name in the subjectAltName.',
        '{sapServerStep}',
      ],
      confirm: ['The client connects.'],
    },
  }),
  check({ events }, { report }) {
    const messages = (events.message ?? []) as MessageEvent[];
    for (const ev of events['java-tls-failure'] as JavaTlsFailureEvent[]) {
      const list: EvidenceEvent[] = [ev];
      // The same input shows the HANA JDBC driver (a message event of the HANA client, `jdbc:sap:`).
      const hanaJdbc = messages.some((m) => m.source.input === ev.source.input && m.stack === 'hana-client');
      const store = storeOf(ev.product, ev.message, hanaJdbc);
      // The chain, host and trust store the same input prints (a javax.net.debug dump, a URL).
      const beside = messages.find(
        (m) => m.source.input === ev.source.input && (m.chain || m.host || m.callsSap),
      );
      const verdict = beside?.chain ? judgePrintedChain(beside.chain) : undefined;
      // In SAP's own Java products the SAP side is the client; any other Java program calls SAP.
      // A Java program the input shows calling an SAP system (an /sap/ path, an SAP HTTPS port) has
      // the SAP system as its server; otherwise the Java program is the SAP side's client (a buildpack
      // app, AS Java, the Cloud Connector).
      // A message event of an SAP Java product in the same input counts as its name. A bare Java text
      // does not show which side is SAP (real case 015 is an SAP buildpack app as the client).
      const sameInput = messages.filter((m) => m.source.input === ev.source.input);
      const sapJava =
        (store !== 'java' && store !== 'hana-client') ||
        SAP_JAVA.test(`${ev.product ?? ''} ${ev.message}`) ||
        sameInput.some((m) => SAP_JAVA_STACKS.has(m.stack)) ||
        (store !== 'hana-client' && !beside?.callsSap);
      const common = {
        severity: 'error' as const,
        role: sapJava ? ('client' as const) : ('server' as const),
        printedBy: { stack: store, side: 'client' as const },
        events: list,
        errorCode: { name: ev.exception ?? 'PKIX_PATH_BUILDING_FAILED' },
      };
      const data = {
        text: ev.message,
        product: ev.product,
        storeName: STORES[store].name,
        storeStep: STORES[store].step,
        restartStep: STORES[store].restart,
        productHostStep: productHostnameStep(store),
        caClause: verdict
          ? `The chain printed with it leads to "${verdict.rootDn}": that root is the CA the trust store lacks.`
          : "The evidence does not name the CA; it is the root of the server's chain.",
      };
      let cause: Cause;
      let message: 'pkix' | 'expired' | 'hostname';
      if (ev.problem === 'pkix-path') {
        cause = 'untrusted-root';
        message = 'pkix';
      } else if (ev.problem === 'cert-expired') {
        cause = 'expired-peer-cert';
        message = 'expired';
      } else if (ev.problem === 'hostname') {
        cause = 'hostname-mismatch';
        message = 'hostname';
      } else continue;
      const host = beside?.host;
      // A proxy's name in the printed chain, a public service (its chain is public everywhere), or a
      // paste that names the inspecting product or the inspection itself.
      const stated = inputStates(ev, messages, 'interception-stated');
      const intercepted =
        cause === 'untrusted-root' &&
        (verdict?.interceptor !== undefined ||
          (!verdict && (isPublicService(host) || stated)) ||
          replacedOnTheWay(verdict, host, beside?.chain));
      const filePlan = store === 'java' || store === 'cloud-connector' || store === 'hana-client';
      if (intercepted) {
        const proxyPlan =
          verdict && beside && filePlan
            ? importFromChain(verdict, 'interception', {
                ...beside,
                stack: store === 'hana-client' ? store : 'java',
              })
            : undefined;
        report({
          message: 'intercepted',
          data: {
            ...data,
            host,
            reason: verdict?.interceptor
              ? `The chain it received comes from "${verdict.interceptor}", a TLS-inspecting product.`
              : verdict && replacedOnTheWay(verdict, host, beside?.chain)
                ? `${host ?? 'The service'} serves a public certificate chain, but the chain printed here ends in "${verdict.rootDn}", which is no public CA: a proxy on the way replaced the certificate.`
                : stated && !isPublicService(host)
                  ? "The evidence names a TLS-inspecting proxy (or the inspection itself) on the path: the certificate the JVM received is the proxy's, signed by a CA its trust store does not hold."
                  : `${host} serves a public certificate chain that a default Java trust store accepts, so the certificate was replaced on the way (or the JVM uses a trust store without the public roots).`,
          },
          cause: 'interception',
          confidence: 'likely',
          ...common,
          ...(host ? { target: { host } } : {}),
          ...(proxyPlan ? { import: proxyPlan } : {}),
        });
      }
      // A Java program calling an SAP system: say what changes on the SAP server too.
      const serverStep = (c: Cause): { sapServerStep?: string } => {
        const step = sapJava ? undefined : sapServerSteps(c, store === 'hana-client' ? store : undefined)[0];
        return step ? { sapServerStep: step } : {};
      };
      let plan: ImportPlan | undefined;
      if (cause === 'untrusted-root' && verdict && beside && filePlan) {
        plan = importFromChain(verdict, 'untrusted-root', {
          ...beside,
          stack: store === 'hana-client' ? store : 'java',
        });
      }
      // Cloud Integration and BTP destinations keep their trust in uploaded key stores: no file to patch.
      else if (cause === 'untrusted-root' && filePlan) {
        plan = buildImportPlan({
          certificate: { subject: "the root CA of the server's chain (not named in the evidence)" },
          kind: 'root',
          source: 'not-found',
          store,
        });
        plan.subjectKnown = false;
        delete plan.fileName;
      }
      // A hosts-file line of the same paste pins the name to an address (the URL's host, or the name Java
      // quotes: `No subject alternative DNS name matching <host> found`): the name leads to that server
      // (the ICM's -30 rule reads the same line), so the other server's certificate comes first.
      const pinned =
        cause === 'hostname-mismatch'
          ? pinnedName(events['trace-info'], ev.source.input, [host], ev.message)
          : undefined;
      if (pinned) {
        report({
          message: 'pinnedHost',
          data: { ...data, host: pinned.host, address: pinned.address },
          cause: 'wrong-host',
          confidence: 'likely',
          ...common,
        });
      }
      // "PKIX path building failed" does not say which certificate is missing: the root is the most
      // common answer, a server that omits its intermediate the other one (Java does not fetch it).
      // A message alone proves no cause: an expired certificate may be another server's (or the
      // client's clock), a name mismatch may come from reaching another server or the default
      // certificate a server shows without SNI.
      // The chain printed beside it is the server's certificate alone, issued by an intermediate: the
      // intermediate was not sent (errors 20 and 21 of an s_client run say the same).
      const leafOnly = cause === 'untrusted-root' && !intercepted && verdict?.leafOnly === true;
      // A front end's own placeholder (ingress-nginx's Fake Certificate, Traefik's default) printed in the
      // same paste: the JVM got it because the front end had no route for the name sent (or none was
      // sent); the knowledge base's entry for it leads, the trust store is not the problem.
      const frontEnd =
        cause === 'untrusted-root' &&
        sameInput.some((m) => frontEndDefaultName(m.chain?.[0]?.subject) ?? frontEndDefaultName(m.text));
      if (leafOnly)
        report({
          message: 'intermediateShown',
          data: { ...data, issuerName: nameForText(verdict.rootDn), ...serverStep('missing-intermediate') },
          cause: 'missing-intermediate',
          confidence: 'likely',
          ...common,
        });
      report({
        message,
        data: { ...data, ...serverStep(cause) },
        cause,
        confidence: intercepted || pinned || leafOnly || frontEnd ? 'possible' : 'likely',
        ...common,
        ...(plan ? { import: plan } : {}),
      });
      if (cause === 'expired-peer-cert' || cause === 'hostname-mismatch') {
        if (cause === 'hostname-mismatch')
          report({ message: 'sni', data, cause: 'sni-missing', confidence: 'possible', ...common });
        if (!pinned)
          report({
            message: 'wrongHost',
            data: {
              ...data,
              wrongWhat: cause === 'expired-peer-cert' ? 'has expired' : 'names other hosts',
            },
            cause: 'wrong-host',
            confidence: 'possible',
            ...common,
          });
      }
      if (cause === 'untrusted-root' && !leafOnly) {
        report({
          message: 'intermediate',
          data: { ...data, ...serverStep('missing-intermediate') },
          cause: 'missing-intermediate',
          confidence: 'possible',
          ...common,
        });
      }
      if (cause === 'untrusted-root' && !intercepted)
        report({ message: 'interception', data, cause: 'interception', confidence: 'possible', ...common });
    }
  },
});
