/** @module The landscape view of a Report (`pse-doctor landscape`): inventory, dated plan and trend, as plain data. */
import type { Severity } from './cause.js';
import type { ImportPlan } from './report.js';

/** A certificate as the inventory shows it (no PEM: the events carry the full certificates). */
export interface LandscapeCertificate {
  subject: string;
  issuer?: string;
  serial?: string;
  sha256?: string;
  notBefore?: string;
  notAfter?: string;
  /** Whole days from the report's time to notAfter (negative when expired). */
  daysLeft?: number;
  /** Share of the validity period still left, 0–1 (0 when expired). */
  lifetimeLeft?: number;
  /** `RSA 2048`, `EC 256`. */
  key?: string;
  signatureAlgorithm?: string;
  extendedKeyUsage?: string[];
  subjectAltNames?: string[];
  isCA?: boolean;
  selfSigned?: boolean;
}

/** One PSE of one instance of one system. */
export interface LandscapePse {
  system: string;
  instance: string;
  /** The file as found under the collected folder (`ABC/app1/sec/SAPSSLC.pse`). */
  file: string;
  basename?: string;
  /** STRUST node (`SSL client Standard`). */
  node?: string;
  /** `pse`: read from the PSE file; `listing`: from sapgenpse / STRUST export text; `unreadable`. */
  source: 'pse' | 'listing' | 'unreadable';
  /** Why it could not be read (wrong PIN, LPS, …), for `unreadable`. */
  problem?: string;
  own?: LandscapeCertificate;
  trusted: LandscapeCertificate[];
}

/** One baseline given with `--baseline`: the roots it says must be trusted. */
export interface LandscapeBaseline {
  name: string;
  file: string;
  roots: LandscapeCertificate[];
}

/** One endpoint a system calls (`--targets`), and with `--probe` what its server sends today. */
export interface LandscapeTarget {
  system: string;
  host: string;
  port: number;
  /** The PSE the call uses (default SAPSSLC.pse, SSL client Standard). */
  pse: string;
  /** Line in the targets file. */
  line: number;
  probe?: {
    /** `trusted`, `untrusted`, `no-pse` (the system has no such PSE), or `unreachable`. */
    verdict: 'trusted' | 'untrusted' | 'no-pse' | 'unreachable';
    /** Why the handshake did not complete, for `unreachable`. */
    error?: string;
    /** The chain as the server sent it, leaf first. */
    chain?: LandscapeCertificate[];
    /** Instances whose PSE does not trust the chain. */
    failingInstances?: string[];
    durationMs?: number;
  };
}

/** One dated item of the plan: what expires or breaks when, and its fix. */
export interface PlanItem {
  /** `YYYY-MM-DD`: the day it breaks (today when it is broken already or breaks as soon as it matters). */
  date: string;
  /** Whole days from the report's time (negative: overdue). */
  daysLeft: number;
  severity: Severity;
  rule: string;
  title: string;
  system?: string;
  instances?: string[];
  pse?: string;
  /** Index into `findings`. */
  finding: number;
  steps: string[];
  /** The certificate to import (the finding's `import`), as PEM with its sapgenpse commands. */
  import?: ImportPlan;
  /** When the fix imports several certificates (a baseline gap of several roots): each, `import` first. */
  imports?: ImportPlan[];
}

/** What changed since the previous stored run. */
export interface LandscapeTrend {
  previousRunId?: string;
  previousRunAt: string;
  added: TrendCertificate[];
  removed: TrendCertificate[];
  renewed: (TrendCertificate & { previousNotAfter?: string })[];
  pseAdded: string[];
  pseRemoved: string[];
  findingsNew: string[];
  findingsGone: string[];
}

export interface TrendCertificate {
  /** `ABC/app1/SAPSSLC.pse`. */
  pse: string;
  /** `own` or `trusted`. */
  role: 'own' | 'trusted';
  subject: string;
  sha256?: string;
  notAfter?: string;
}

/** Expiry thresholds used by this run. */
export interface ExpirySettings {
  /** Warn when fewer than this many days are left, whatever the lifetime. */
  absoluteDays: number;
  /** Warn when less than this share (0–1) of the lifetime is left AND fewer than `lifetimeDays` days. */
  lifetimeShare: number;
  lifetimeDays: number;
  /** Info when fewer than this many days are left and less than `noticeShare` of the lifetime. */
  noticeDays: number;
  noticeShare: number;
}

/** `Report.landscape`. */
export interface LandscapeInventory {
  systems: { system: string; instances: string[] }[];
  pses: LandscapePse[];
  baselines: LandscapeBaseline[];
  targets: LandscapeTarget[];
  plan: PlanItem[];
  expiry: ExpirySettings;
  trend?: LandscapeTrend;
  /** Id under which this run was stored (when it was). */
  runId?: string;
}

/** A PSE as a stored run keeps it: its trusted certificates as indexes into the run's `certificates`. */
export interface SnapshotPse extends Omit<LandscapePse, 'trusted'> {
  /** Indexes into `LandscapeSnapshot.certificates`. */
  trustedRefs?: number[];
  /** Runs stored before `trustedRefs`: the trusted certificates themselves. */
  trusted?: LandscapeCertificate[];
}

/**
 * What the history store keeps of one landscape run: inventory (each trusted certificate once, by name,
 * fingerprint and expiry), plan and finding titles; no events.
 */
export interface LandscapeSnapshot {
  generatedAt: string;
  landscape: Omit<LandscapeInventory, 'pses'> & { pses: SnapshotPse[] };
  /** Every trusted certificate of the run once; `SnapshotPse.trustedRefs` point here. */
  certificates?: LandscapeCertificate[];
  /** PEM of each certificate the plan imports, by SHA-256 (the plan's import entries carry none). */
  pems?: Record<string, string>;
  findings: { rule: string; severity: Severity; title: string }[];
}
