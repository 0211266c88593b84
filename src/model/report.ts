/** @module The Report: the one JSON contract every view renders from (see docs/report.md). */

import type { Cause, Confidence, Role, Severity } from './cause.js';
import type { EvidenceEvent, EvidenceLine, InputSummary, Occurrences } from './evidence.js';
import type { LandscapeInventory } from './landscape.js';

/** PSE named by a finding, with its STRUST node. */
export interface ReportPse {
  file?: string;
  basename?: string;
  /** STRUST node, e.g. `SSL client Standard`. */
  node?: string;
  /** STRUST context (SSLC, SSLS, PROG, …) and application (DFAULT, ANONYM, …). */
  context?: string;
  application?: string;
  /** True when the evidence does not name the PSE and this is the default for the role (e.g. SAPSSLS.pse for the server role). */
  inferred?: boolean;
}

/** A certificate as a finding shows it. */
export interface ReportCertificate {
  subject: string;
  issuer?: string;
  serial?: string;
  notBefore?: string;
  notAfter?: string;
  sha256?: string;
  position: 'leaf' | 'intermediate' | 'root' | 'trusted' | 'own' | 'unknown';
}

/** Where to import a certificate. */
export interface ImportTarget {
  node?: string;
  file?: string;
  /** For non-SAP stores: `java-keystore`, `cloud-connector`, `hana-truststore`, … */
  store?: string;
}

/** The certificate to trust, and how: present when the fix is "trust a certificate". */
export interface ImportPlan {
  subject: string;
  kind: 'root' | 'intermediate' | 'self-signed-peer';
  sha256?: string;
  notAfter?: string;
  /** PEM text when known (bundled root, given chain, fetched via AIA). */
  pem?: string;
  source: 'bundled-roots' | 'peer-chain' | 'aia' | 'input' | 'not-found';
  into: ImportTarget[];
  commands: string[];
  /** File name the PEM is written to by `--out`. */
  fileName?: string;
  /** How to obtain the certificate when `source` is `not-found`. */
  howToObtain?: string[];
  /** `howToObtain` as structured data, index for index (web and terminal wording, what each hands over). */
  howToObtainDetails?: Step[];
  /** Why this certificate (root preferred; when the intermediate is the better choice, say why). */
  reason?: string;
  /** Set when the certificate is already in the list: the fix lies elsewhere. */
  alreadyPresent?: { in: string; sha256: string };
  /** STRUST click path. */
  strustPath?: string[];
  /** False when the evidence does not show the certificate's DN: `subject` then describes it in words. */
  subjectKnown?: boolean;
  /**
   * True when the evidence does not name the PSE the call used: `into` then lists the standard PSEs of the
   * role (both SSL client PSEs) as the fallback SAP's guides give, not as a finding.
   */
  pseUnknown?: boolean;
}

export interface ReportParameter {
  name: string;
  value: string;
  /** Where to set it: profile (RZ10 / instance profile), environment, tool option. */
  where?: string;
  note?: string;
}

/**
 * What a step hands over, so each surface can offer it in its own terms: the web UI a download button,
 * a copy button or a form field of its own pages; the terminal a file path or a command.
 */
export type StepAction =
  /** The finding's `import.pem`, saved as `fileName` (`--out` writes it; the web UI downloads it). */
  | { kind: 'download'; fileName: string }
  /** Text to paste elsewhere (a sapgenpse command, a profile parameter line). */
  | { kind: 'copy'; text: string }
  /** A form of pse-doctor itself does this step: the page (`probe`, `pse`, `analyze`) and a value to fill in. */
  | { kind: 'field'; page: 'probe' | 'pse' | 'analyze'; value?: string }
  /**
   * The command line the step quotes for the user to run on a host (sapgenpse, keytool, openssl…), and the
   * ones it quotes after it, in order: the web UI offers each with a copy button; the terminal's text
   * already holds them.
   */
  | { kind: 'command'; command: string; after?: string[] };

/**
 * One step as structured data. `text` is the terminal wording (the same string as in the plain list
 * beside it); `web` the wording for the web UI when it differs (no command-line options there).
 */
export interface Step {
  text: string;
  web?: string;
  action?: StepAction;
}

export interface Finding {
  /** Rule id (= its folder name). */
  rule: string;
  cause: Cause;
  confidence: Confidence;
  severity: Severity;
  title: string;
  summary: string;
  role?: Role;
  /**
   * The software that printed the message this finding judges (kb `stacks:` name such as `java`, `node`,
   * `hana-client`) and the side of the connection it sits on.
   */
  printedBy?: { stack: string; side?: 'client' | 'server' | 'either' };
  /** Names of the inputs whose evidence the finding rests on (in input order). */
  inputs?: string[];
  target?: { host?: string; port?: number | string; peerIp?: string };
  errorCode?: { name: string; number?: number };
  /** Extra codes the evidence shows for the same failure (ICM_HTTP_*, SCLNT_HTTP, alert). */
  relatedCodes?: { name: string; number?: number }[];
  pse?: ReportPse;
  certificates?: ReportCertificate[];
  import?: ImportPlan;
  parameters?: ReportParameter[];
  /** Ordered fix steps, including the after-steps. */
  steps: string[];
  /** The same steps as structured data, index for index (web and terminal wording, what each hands over). */
  stepDetails?: Step[];
  /** How to confirm the fix. */
  confirm?: string[];
  /** `confirm` as structured data, index for index. */
  confirmDetails?: Step[];
  /** What to collect next when the evidence is thin. */
  collect?: string[];
  /** `collect` as structured data, index for index. */
  collectDetails?: Step[];
  /** What would tell this hypothesis apart from the others (thin evidence). */
  distinguish?: string;
  evidence: EvidenceLine[];
  occurrences?: Occurrences;
  /**
   * `landscape`: the system and the instances where the finding applies, i.e. where the fix goes (the
   * instances that lack a PSE or a root, whose call fails, whose certificate expires).
   */
  landscape?: FindingPlace;
  /** Knowledge-base ids cited. */
  kb: string[];
}

/** Where in a landscape a finding applies. */
export interface FindingPlace {
  system: string;
  instances: string[];
}

/** A rule that could not run (threw). Never sinks the run. */
export interface RuleError {
  rule: string;
  message: string;
}

export interface Report {
  tool: 'pse-doctor';
  schemaVersion: 1;
  /** ISO time the report was made. */
  generatedAt?: string;
  toolVersion?: string;
  inputs: InputSummary[];
  events: EvidenceEvent[];
  /** Most likely first. */
  findings: Finding[];
  /** Rules that threw. */
  ruleErrors?: RuleError[];
  /**
   * Thin evidence: the next action to take before any fix, shared by every hypothesis (e.g. raise the ICM
   * trace to level 2, reproduce, analyze dev_icm). Present only when no finding is `certain`.
   */
  next?: Step[];
  /** `verify`, `probe` and `analyze` of a saved probe: the chain judged under each verification profile, side by side (sap-icm first). */
  verification?: ProfileVerdictSummary[];
  /** `landscape`: inventory of every PSE per system and instance, the dated plan and the trend. */
  landscape?: LandscapeInventory;
}

/** One verification profile's verdict on a chain (`pse-doctor verify`). */
export interface ProfileVerdictSummary {
  /** `sap-icm`, `browser`, `java`. */
  profile: string;
  label: string;
  ok: boolean;
  /** `trusted` or the first problem: `root-missing`, `intermediate-missing`, `self-signed`, `expired`, `not-yet-valid`, `weak-signature`, `name-mismatch`, `chain-loop`, `chain-too-long`, `empty`. */
  verdict: string;
  /** One line naming the first missing link or defect. */
  message?: string;
  cause?: Cause;
  /** SSSLERR code the ICM would report (sap-icm), when SAP documents one. */
  errorCode?: { name: string; number?: number };
  /** ICM_HTTP code the ABAP side would show. */
  icm?: { name: string; number: number };
  /** The error this profile's own stack shows (browser net error, Java exception). */
  nativeCode?: string;
  /** The trust list the profile used, in words. */
  trustList: string;
  /** The list member that closed the path, and how firmly (`signature`, `key-id`, `name`). */
  anchor?: { subject: string; sha256?: string; matchedBy?: string };
  /** The path that was built, leaf first. */
  path: ReportCertificate[];
  problems: { kind: string; level: 'fail' | 'warn'; message: string }[];
  host?: { host: string; ok: boolean; matched?: string; names: string[] };
}
