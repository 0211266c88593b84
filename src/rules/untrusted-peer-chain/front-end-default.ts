/**
 * @module A reverse proxy's self-signed fallback certificate (Traefik's "TRAEFIK DEFAULT CERT", ingress-nginx's
 * "Kubernetes Ingress Controller Fake Certificate") received by an SAP client: the proxy found no route for
 * the server name of the ClientHello — most often because the call sent none (a destination by IP address,
 * SNI switched off). Its certificate is never the one to import.
 */
import type { SslFailureEvent, TraceInfoEvent } from '../../model/evidence.js';
import { ipVersion } from '../../model/ip-address.js';
import type { StepTemplate } from '../define.js';
import { sniSent } from '../failure-facts.js';

/** Subjects of the fallback certificates front ends generate for themselves. */
const DEFAULT_CERT = /\bCN\s?=\s?(TRAEFIK DEFAULT CERT|Kubernetes Ingress Controller Fake Certificate)\b/i;

/** The front end's default certificate the failure's chain starts with, by its CN; undefined otherwise. */
export function frontEndDefaultCert(ev: SslFailureEvent): string | undefined {
  const leaf = ev.certificates?.find((c) => c.depth === 0) ?? ev.certificates?.[0];
  return leaf ? frontEndDefaultName(leaf.subject) : undefined;
}

/** The CN of a front end's default certificate when `subject` is one (a leaf a client tool printed). */
export function frontEndDefaultName(subject: string | undefined): string | undefined {
  return subject ? DEFAULT_CERT.exec(subject)?.[1] : undefined;
}

/** Which of the two causes leads: the name was sent (the trace shows SNI, a parameter says so) or not. */
export function frontEndVerdict(
  ev: SslFailureEvent,
  info: TraceInfoEvent | undefined,
): { lead: 'noSni' | 'noRoute'; byIp: boolean } {
  const host = ev.target?.host ?? ev.targetHostname;
  // TLS never sends an address as the server name.
  const byIp = host !== undefined && ipVersion(host.replace(/^\[|\]$/g, '')) !== 0;
  return { lead: !byIp && sniSent(ev, info) === true ? 'noRoute' : 'noSni', byIp };
}

const DO_NOT_IMPORT =
  'Do not import this certificate into a PSE: it is the front end’s own placeholder, not the service’s certificate.';

export const FRONT_END_MESSAGES = {
  frontEndNoSni: {
    title:
      '{hostPort|The server} answered with its front end’s default certificate ({defaultCert}): the call sends no server name (SNI)',
    summary:
      'The certificate received is the self-signed fallback that a reverse proxy (Traefik, ingress-nginx) presents when the handshake names no host it serves. {ipClause}The ICM sends SNI for a host name only, and only with icm/HTTPS/client_sni_enabled = TRUE (ssl/client_sni_enabled = TRUE for the other kernel clients).',
    steps: [
      'Call the service by its DNS name (SM59 → Technical Settings → Target Host: the name its certificate names), not by its IP address.',
      'Check that SNI is on: RZ11 icm/HTTPS/client_sni_enabled and ssl/client_sni_enabled = TRUE (instance profile; restart the ICM after a change).',
      DO_NOT_IMPORT,
    ] as StepTemplate[],
    confirm: [
      '"openssl s_client -connect <DNS name>:{port|443} -servername <DNS name>" on the application server shows the service’s certificate; the SM59 connection test passes.',
    ],
  },
  frontEndNoRoute: {
    title: 'The front end at {hostPort|the target} has no certificate for the name the call sends',
    summary:
      'The call names the host, but the reverse proxy in front of the service has no TLS route (or could not load the certificate) for it, so it answered with its default certificate ({defaultCert}).',
    steps: [
      'Ask the service owners to add the host name to the front end’s TLS configuration (a Traefik router with tls for that Host rule, an Ingress tls section with its Secret) or to fix the certificate it cannot load.',
      DO_NOT_IMPORT,
    ] as StepTemplate[],
    confirm: [
      '"openssl s_client -connect {hostPort|<host>:443} -servername {host|<host>}" shows the service’s own certificate.',
    ],
  },
};
