/** @module SAP HANA clients (hdbsql, @sap/hana-client, JDBC/ODBC): the trust store file is missing, or lacks the server's CA. */
import type { ClientErrorEvent, EvidenceEvent, MessageEvent } from '../../model/evidence.js';
import { defineRule } from '../define.js';
import { buildImportPlan } from '../import-wording.js';
import { judgePrintedChain, replacedOnTheWay } from '../printed-chain.js';

export default defineRule({
  id: 'hana-client-trust',
  causes: ['pse-missing', 'untrusted-root', 'hostname-mismatch', 'interception'],
  needs: ['client-error'],
  uses: ['message'],
  kb: ['RTE_300010'],
  rank: 9,
  messages: () => ({
    storeMissing: {
      title: "The HANA client's trust store {path|file} does not exist",
      summary:
        'The HANA client could not create its TLS context: the trust store it was told (or defaults) to use, {path|$HOME/.ssl/trust.pem}, is missing. It needs a PEM file holding the root CA of {hostPort|the HANA server}.',
      steps: [
        {
          text: 'Get the root CA of {hostPort|the server} ("pse-doctor probe {hostPort|<host>:443}", or the root named by the HANA service documentation, e.g. DigiCert Global Root CA / G2 for SAP HANA Cloud).',
          web: 'Get the root CA of {hostPort|the server} (a probe on the Probe page, or the root named by the HANA service documentation, e.g. DigiCert Global Root CA / G2 for SAP HANA Cloud).',
          action: { kind: 'field', page: 'probe', value: '{hostPort|}' },
        },
        'Save it as PEM at {path|$HOME/.ssl/trust.pem}, or point the client to another file with the sslTrustStore connection property (hdbsql: -sslTrustStore / -sslTrustCert per its help).',
        'Keep certificate validation on: sslValidateCertificate=false only hides the problem and allows man-in-the-middle attacks.',
      ],
      confirm: ['The client connects with sslValidateCertificate=true.'],
    },
    untrusted: {
      title: "The HANA client does not trust the server's certificate",
      summary:
        'The HANA client rejected the server certificate ("{text}"): its trust store lacks the server\'s root CA.',
      steps: [
        "Add the root CA of the server to the client's trust store file ({path|sslTrustStore}) as PEM.",
      ],
      confirm: ['The client connects with sslValidateCertificate=true.'],
    },
    intercepted: {
      title: 'A TLS-inspecting proxy replaces the HANA server certificate on the way',
      summary:
        'The HANA client rejected the server certificate ("{text}"), and the chain printed beside it for {hostPort|the server} ends in "{rootDn}"{product}, not in the public CA the service uses: a proxy or firewall between client and server decrypts the connection and presents its own certificate.',
      steps: [
        'Preferred: have the network or security team exclude the HANA host from TLS inspection (SQL on port 443 or 3xx15 is not web traffic).',
        "Otherwise add the inspecting proxy's root CA to the client's trust store file ({path|sslTrustStore}) as PEM (get it from the security team).",
      ],
      confirm: ['From the same network the client connects with sslValidateCertificate=true.'],
    },
    hostname: {
      title: 'The HANA server certificate does not name the host the client used',
      summary:
        'The host name check failed ("{text}"): connect with the host name in the certificate, or set sslHostNameInCertificate to the name the certificate carries.',
      steps: ['Use the host name the certificate names, or set sslHostNameInCertificate accordingly.'],
    },
  }),
  check({ events }, { report }) {
    for (const ev of events['client-error'] as ClientErrorEvent[]) {
      if (ev.client !== 'hana-client') continue;
      const list: EvidenceEvent[] = [ev];
      const host = ev.target?.host;
      const data = {
        path: ev.path,
        text: ev.message,
        hostPort: host ? (ev.target?.port !== undefined ? `${host}:${ev.target.port}` : host) : undefined,
      };
      const common = {
        severity: 'error' as const,
        role: 'client' as const,
        events: list,
        ...(ev.code ? { errorCode: { name: ev.code } } : {}),
        ...(ev.target
          ? {
              target: {
                ...(host ? { host } : {}),
                ...(ev.target.port !== undefined ? { port: ev.target.port } : {}),
              },
            }
          : {}),
        ...(ev.path ? { pse: { file: ev.path, basename: ev.path.split(/[/\\]/).pop() as string } } : {}),
      };
      if (ev.problem === 'trust-store-missing') {
        const plan = buildImportPlan({
          certificate: { subject: "the root CA of the HANA server's chain (not named in the evidence)" },
          kind: 'root',
          source: 'not-found',
          store: 'hana-client',
          ...(ev.path ? { storePath: ev.path } : {}),
        });
        plan.subjectKnown = false;
        delete plan.fileName;
        plan.commands = [];
        report({
          message: 'storeMissing',
          data,
          cause: 'pse-missing',
          confidence: 'certain',
          ...common,
          import: plan,
        });
      } else if (ev.problem === 'untrusted') {
        // A chain printed beside it (openssl s_client, x509 -subject -issuer) from an inspecting proxy: the
        // certificate was replaced on the way, the client's trust store is not at fault.
        const chain = (events.message as MessageEvent[]).find(
          (m) => m.source.input === ev.source.input && m.chain && m.chain.length > 0,
        )?.chain;
        const verdict = chain ? judgePrintedChain(chain) : undefined;
        if (verdict && (verdict.interceptor || replacedOnTheWay(verdict, host, chain))) {
          report({
            message: 'intercepted',
            data: {
              ...data,
              rootDn: verdict.rootDn,
              product: verdict.interceptor ? ` (${verdict.interceptor}, judging by its name)` : undefined,
            },
            cause: 'interception',
            confidence: 'likely',
            ...common,
          });
          report({ message: 'untrusted', data, cause: 'untrusted-root', confidence: 'possible', ...common });
          continue;
        }
        report({ message: 'untrusted', data, cause: 'untrusted-root', confidence: 'certain', ...common });
      } else if (ev.problem === 'hostname') {
        report({ message: 'hostname', data, cause: 'hostname-mismatch', confidence: 'certain', ...common });
      }
    }
  },
});
