/**
 * @module Build the Report's `import` object: which certificate to trust, from where, into which PSE/store, how.
 *
 * Root CAs are preferred (they outlive intermediates and cover re-issued server certificates); the reason
 * field says when an intermediate is the better or only choice. Commands never carry a PIN or password:
 * sapgenpse uses the SSO credential (cred_v2) or asks, keytool asks. The words (reason, how to obtain
 * the certificate) are the rules' (rules/import-wording.ts); this module builds the facts.
 */
import type { CertificateInfo } from '../model/certificate.js';
import type { ImportPlan, ImportTarget, Step } from '../model/report.js';
import { normalizeText } from '../model/unicode.js';
import { dnValue } from './dn.js';
import { type PseDescription, STANDARD_CLIENT_PSES, strustClickPath } from './pse-nodes.js';

/** Which product holds the trust list that needs the certificate. */
export type TrustStoreKind = 'sap-pse' | 'java' | 'cloud-connector' | 'hana-client' | 'os';

export interface ImportPlanInput {
  /** The certificate to import; only `subject` is required (a trace may show nothing else). */
  certificate: Pick<CertificateInfo, 'subject'> & Partial<CertificateInfo>;
  kind: ImportPlan['kind'];
  source: ImportPlan['source'];
  /** SAP PSEs to import into. Default for SAP: SSL client Anonymous and Standard (outbound calls). */
  pses?: PseDescription[];
  /** Which product's trust list; default `sap-pse`. */
  store?: TrustStoreKind;
  /** Path of a non-SAP trust store when the evidence names it (`~/.ssl/trust.pem`, a cacerts file). */
  storePath?: string;
  /** Why this certificate (the rules' words: rules/import-wording.ts). */
  reason?: string;
  /** How to get the certificate when it is not at hand (the rules' words): plain, or per surface. */
  howToObtain?: (string | Step)[];
  alreadyPresent?: ImportPlan['alreadyPresent'];
}

const MAX_FILE_STEM = 64;

/**
 * A safe file name for a certificate: its CN (or first attribute), reduced to `[A-Za-z0-9._-]`, capped,
 * with `.crt` (PEM content; STRUST and sapgenpse read PEM from it).
 */
export function certificateFileName(subject: string, extension = '.crt'): string {
  const cn = dnValue(subject, 'CN') ?? dnValue(subject, 'OU') ?? dnValue(subject, 'O') ?? 'certificate';
  const stem =
    normalizeText(cn, 'NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^[._-]+|[._-]+$/g, '')
      .slice(0, MAX_FILE_STEM) || 'certificate';
  return `${stem}${extension}`;
}

/** sapcli's storage names for the three standard nodes; other identities go by `-i CONTEXT/APPLICATION`. */
function sapcliTarget(pse: PseDescription): string | undefined {
  if (pse.context === 'SSLC' && pse.application === 'ANONYM') return '-s client_anonymous';
  if (pse.context === 'SSLC' && pse.application === 'DFAULT') return '-s client_standard';
  if (pse.context === 'SSLS' && pse.application === 'DFAULT') return '-s server_standard';
  if (pse.context && pse.application && !pse.assumed) return `-i ${pse.context}/${pse.application}`;
  return undefined;
}

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9._\-/:]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function sapCommands(pses: PseDescription[], fileName: string): string[] {
  const commands: string[] = [];
  for (const pse of pses) {
    // A cut or unknown file name would give a command that fails: leave it to the STRUST path.
    if (pse.truncated || !pse.basename) continue;
    const name = pse.basename;
    // Run in the instance's sec directory (SECUDIR); sapgenpse uses the cred_v2 SSO credential or asks for the PIN.
    commands.push(`sapgenpse maintain_pk -p ${quoteArg(name)} -a ${quoteArg(fileName)}`);
  }
  const sapcli = pses.map(sapcliTarget).filter((t): t is string => Boolean(t));
  if (sapcli.length > 0)
    commands.push(`sapcli strust putcertificate ${sapcli.join(' ')} ${quoteArg(fileName)}`);
  return commands;
}

function javaCommands(fileName: string, storePath: string | undefined): string[] {
  const alias = fileName.replace(/\.[a-z]+$/, '').toLowerCase();
  const keystore = storePath ?? '"$JAVA_HOME/lib/security/cacerts"';
  return [
    `keytool -importcert -trustcacerts -alias ${alias} -file ${quoteArg(fileName)} -keystore ${keystore}`,
  ];
}

/**
 * Build the import object of a finding. The `into` targets, commands and STRUST click path follow the
 * store kind: SAP PSEs (STRUST nodes), a JVM trust store, the Cloud Connector, the HANA client.
 */
export function buildImportPlan(input: ImportPlanInput): ImportPlan {
  const { certificate, kind, source } = input;
  const store = input.store ?? 'sap-pse';
  const fileName = certificateFileName(certificate.subject);
  const plan: ImportPlan = { subject: certificate.subject, kind, source, into: [], commands: [], fileName };
  if (certificate.sha256) plan.sha256 = certificate.sha256;
  if (certificate.notAfter) plan.notAfter = certificate.notAfter;
  if (certificate.pem) plan.pem = certificate.pem;

  let pses: PseDescription[] = [];
  switch (store) {
    case 'sap-pse': {
      pses = input.pses && input.pses.length > 0 ? input.pses : [...STANDARD_CLIENT_PSES];
      plan.into = pses.map((p): ImportTarget => {
        const t: ImportTarget = {};
        if (p.node) t.node = p.node;
        if (p.truncated && p.file) t.file = p.file;
        else if (p.basename) t.file = p.basename;
        return t;
      });
      plan.commands = sapCommands(pses, fileName);
      plan.strustPath = strustClickPath(pses.map((p) => p.node ?? '').filter(Boolean));
      break;
    }
    case 'java':
      plan.into = [{ store: 'java-keystore', ...(input.storePath ? { file: input.storePath } : {}) }];
      plan.commands = javaCommands(fileName, input.storePath);
      break;
    case 'cloud-connector':
      plan.into = [{ store: 'cloud-connector' }];
      plan.commands = [];
      break;
    case 'hana-client': {
      const path = input.storePath ?? '$HOME/.ssl/trust.pem';
      plan.into = [{ store: 'hana-truststore', file: path }];
      plan.commands = [
        `cat ${quoteArg(fileName)} >> ${path.includes(' ') || path.includes('<') ? `'${path}'` : path}`,
      ];
      break;
    }
    case 'os':
      plan.into = [{ store: 'os' }];
      break;
  }
  if (input.reason) plan.reason = input.reason;
  const how = input.howToObtain;
  if (how?.length) {
    const details = how.map((h) => (typeof h === 'string' ? { text: h } : h));
    plan.howToObtain = details.map((h) => h.text);
    if (details.some((h) => h.web !== undefined || h.action)) plan.howToObtainDetails = details;
  }
  if (input.alreadyPresent) plan.alreadyPresent = input.alreadyPresent;
  return plan;
}
