/**
 * @module The words of an import plan: why this certificate (the reason) and how to get one that is not
 * at hand, as templates of the rules. pki/import-plan.ts builds the plan's facts (file name, targets,
 * commands) and words nothing; `buildImportPlan` here adds the words, and every rule builds plans with it.
 */
import { escapeControlChars } from '../model/escape-controls.js';
import type { ImportPlan, Step } from '../model/report.js';
import { buildImportPlan as buildPlanFacts, type ImportPlanInput } from '../pki/import-plan.js';
import { fillSteps, type MessageData, type StepTemplate } from './define.js';

/** Why this certificate is the one to import, per plan kind (and inbound or outbound trust). */
const REASON = {
  rootInbound:
    'This is the root CA of the client certificates. Importing it lets every certificate of that CA pass the TLS check; importing the issuing (intermediate) CA instead narrows inbound trust to that CA only.',
  root: 'The root CA is the certificate to trust: it outlives the intermediates and keeps working when the server renews its certificate.',
  intermediateUnproven:
    'The intermediate CA is named here because the evidence does not prove which root signed it; import the root once you have it (it outlives the intermediate), or this intermediate meanwhile.',
  intermediate:
    'The intermediate CA is the missing link: import it so the chain closes, and ask the server to send its full chain.',
  selfSigned:
    'The peer uses a self-signed certificate: there is no CA, so that certificate itself must be trusted. Prefer a CA-signed certificate on the server.',
} as const;

/** How to get a certificate that is not at hand, per situation. */
const OBTAIN = {
  /** Any CA certificate named by the evidence (`aiaIssuers`: the issuer URLs of the certificate below it). */
  default: [
    'Download it from the issuer URL of the certificate below it (AIA): {aiaIssuers}',
    {
      text: 'Get the server\'s chain: "pse-doctor probe <host>:<port>" shows it, or "openssl s_client -connect <host>:<port> -showcerts" from the application server.',
      web: 'Get the server\'s chain: a probe of the server (Probe page) shows it, or "openssl s_client -connect <host>:<port> -showcerts" from the application server.',
      action: { kind: 'field', page: 'probe' },
    },
    'Or open the site in a browser, view the certificate, and export the top certificate of the certification path (Base64 / PEM).',
    "Or download it from the CA's website (the CA named in the issuer DN) and compare its SHA-256 fingerprint with the one the CA publishes.",
  ],
  /** The intermediate a probed server does not send (`probeCommand`: the probe line that fetches it). */
  probedIntermediate: [
    'Download it from the AIA caIssuers URL of the server certificate: {aiaIssuers}',
    {
      text: '{?aiaIssuers}Or let {probeCommand} fetch and name it.',
      web: '{?aiaIssuers}Or let the command-line probe fetch and name it (its option to fetch issuers).',
    },
    '{?noAia}The server certificate names no AIA URL to download it from.',
    'Ask the server owner for the intermediate (the server should send it anyway), or export it from a browser that reached the server (certificate viewer → certification path).',
  ],
  /** The root of a TLS-inspecting proxy. */
  interceptionRoot: [
    'The root CA of the inspecting proxy comes from your security team (or the proxy product); never from the proxied connection alone.',
  ],
  /** A private root the server itself sends as the top of its chain. */
  rootInChain: [
    'It is the top certificate of the chain the server sends: "openssl s_client -connect <host>:<port> -showcerts" prints it as PEM; compare its fingerprint with the one your PKI team publishes.',
  ],
  /** A private root nobody sent. */
  privateRoot: [
    'Ask the PKI team that runs this CA for its root certificate (the issuer of the top certificate in the chain), or export it from a machine that trusts the server (browser → certificate → certification path → top).',
  ],
} satisfies Record<string, StepTemplate[]>;

export type ObtainCase = keyof typeof OBTAIN;

/** The steps to get a certificate that is not at hand, for one situation, filled from `data`. */
export function obtainSteps(which: ObtainCase, data: MessageData = {}): Step[] {
  return fillSteps(OBTAIN[which], data);
}

function reasonFor(input: ImportPlanInput): string {
  const inbound =
    (input.store ?? 'sap-pse') === 'sap-pse' && (input.pses ?? []).some((p) => p.role === 'server');
  switch (input.kind) {
    case 'root':
      return inbound ? REASON.rootInbound : REASON.root;
    case 'intermediate':
      return input.source === 'not-found' || input.source === 'peer-chain'
        ? REASON.intermediateUnproven
        : REASON.intermediate;
    case 'self-signed-peer':
      return REASON.selfSigned;
  }
}

/**
 * Build the import object of a finding (pki/import-plan.ts) with the rules' words: the reason (unless
 * given) and, for a certificate not at hand (`source: 'not-found'`), how to obtain it (unless given).
 */
export function buildImportPlan(input: ImportPlanInput): ImportPlan {
  const aiaIssuers = input.certificate.aiaIssuers?.map(escapeControlChars);
  const howToObtain =
    input.howToObtain ?? (input.source === 'not-found' ? obtainSteps('default', { aiaIssuers }) : undefined);
  return buildPlanFacts({
    ...input,
    reason: input.reason ?? reasonFor(input),
    ...(howToObtain ? { howToObtain } : {}),
  });
}
