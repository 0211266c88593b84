/**
 * @module PSE file names → STRUST node, context/application and the role the PSE plays.
 *
 * SAP names the PSE files of STRUST by context and application (facts §5.2). The mapping is by file
 * name only, case-insensitive, for Unix and Windows paths. Names whose pattern SAP does not document
 * firmly (custom SSL client identities, extra SSL server identities) are marked `assumed`.
 */
import type { Role } from '../model/cause.js';
import type { ReportPse } from '../model/report.js';

/** What a PSE is for. */
export type PsePurpose =
  | 'ssl-client'
  | 'ssl-server'
  | 'snc'
  | 'system'
  | 'ssf'
  | 'saprouter'
  | 'hana'
  | 'unknown';

/** A PSE file described for a report: STRUST node plus what it does. */
export interface PseDescription extends ReportPse {
  /** Role of the SAP side when this PSE is used for SSL (client PSEs → client, server PSEs → server). */
  role?: Role;
  purpose: PsePurpose;
  /** True when the node follows from a naming pattern SAP does not document firmly. */
  assumed?: boolean;
  /** True when the file name is cut (`PSE_FILE_TH...`, a path ending mid-name): nothing can be derived. */
  truncated?: boolean;
}

interface FixedNode {
  node: string;
  context: string;
  application: string;
  purpose: PsePurpose;
  role?: Role;
}

/** The fixed file names STRUST uses, upper-cased without `.pse`. */
const FIXED: Record<string, FixedNode> = {
  SAPSSLC: {
    node: 'SSL client Standard',
    context: 'SSLC',
    application: 'DFAULT',
    purpose: 'ssl-client',
    role: 'client',
  },
  SAPSSLA: {
    node: 'SSL client Anonymous',
    context: 'SSLC',
    application: 'ANONYM',
    purpose: 'ssl-client',
    role: 'client',
  },
  SAPSSLS: {
    node: 'SSL server Standard',
    context: 'SSLS',
    application: 'DFAULT',
    purpose: 'ssl-server',
    role: 'server',
  },
  SAPSNCS: { node: 'SNC SAPCryptolib', context: 'PROG', application: '<SNCS>', purpose: 'snc' },
  SAPSYS: { node: 'System PSE', context: 'PROG', application: '<SYST>', purpose: 'system' },
};

/** Characters STRUST allows in an SSL identity / SSF application id (kept strict to avoid guessing). */
const ID = /^[A-Z0-9_]{1,10}$/;

/** The last path segment, for `/` and `\` paths; surrounding quotes and whitespace removed. */
export function pseBasename(fileOrPath: string): string {
  const trimmed = fileOrPath.trim().replace(/^["'\u201c\u201d]+|["'\u201c\u201d]+$/g, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return cut >= 0 ? trimmed.slice(cut + 1) : trimmed;
}

/**
 * Describe a PSE by its file name or path: STRUST node, context, application, purpose and role.
 * Unknown names give `purpose: 'unknown'` with no node; a cut name (`…`, `...`, no `.pse` ending after
 * a path) gives `truncated: true`.
 */
export function describePse(fileOrPath: string): PseDescription {
  // The rules ask about the same few PSE names many times per report: a copy of the answer each time.
  let known = described.get(fileOrPath);
  if (!known) {
    known = describeName(fileOrPath);
    if (described.size >= MAX_DESCRIBED) described.clear();
    described.set(fileOrPath, known);
  }
  return { ...known };
}

/** Answers of `describePse` by name (a pure function of the name). */
const described = new Map<string, PseDescription>();
const MAX_DESCRIBED = 1024;

function describeName(fileOrPath: string): PseDescription {
  const file = fileOrPath.trim();
  const basename = pseBasename(file);
  const base: PseDescription = { purpose: 'unknown' };
  if (file) base.file = file;
  if (basename) base.basename = basename;

  const dot = /\.pse$/i.exec(basename);
  if (!dot) {
    // Without the extension the name may be cut short: do not map a prefix to a node.
    if (/(\.\.\.|\u2026)$/.test(basename) || /[/\\]/.test(file)) return { ...base, truncated: true };
    const upper = basename.toUpperCase();
    // A bare identifier like "SAPSSLC" (e.g. typed by a user) still maps.
    return /^[A-Z0-9_]+$/.test(upper) ? describeStem(upper, base) : base;
  }
  return describeStem(basename.slice(0, dot.index).toUpperCase(), base);
}

function describeStem(stem: string, base: PseDescription): PseDescription {
  const fixed = FIXED[stem];
  if (fixed) {
    const { purpose, role, ...node } = fixed;
    return { ...base, ...node, purpose, ...(role ? { role } : {}) };
  }
  // Extra SSL server identities (per port / SNI, icm/ssl_config_<xx> CRED=…).
  const server = /^SAPSSLS_(.+)$/.exec(stem);
  if (server?.[1] && ID.test(server[1])) {
    return {
      ...base,
      node: `SSL server ${server[1]}`,
      context: 'SSLS',
      application: server[1],
      purpose: 'ssl-server',
      role: 'server',
      assumed: true,
    };
  }
  // Custom SSL client identities created in STRUST ("SSL client identity" → SSLC/<ID>).
  const client = /^SAPSSL(.+)$/.exec(stem);
  if (client?.[1] && ID.test(client[1])) {
    return {
      ...base,
      node: `SSL client ${client[1]}`,
      context: 'SSLC',
      application: client[1],
      purpose: 'ssl-client',
      role: 'client',
      assumed: true,
    };
  }
  // SSF application PSEs: SAPSSF*.pse, HR payroll BNxxxxxxxx.pse, other SSF applications.
  if (/^SAPSSF/.test(stem) || /^BN\d{6,10}$/.test(stem)) {
    return {
      ...base,
      node: `SSF ${stem}`,
      context: 'SSFA',
      application: stem,
      purpose: 'ssf',
      assumed: true,
    };
  }
  if (stem === 'LOCAL') return { ...base, purpose: 'saprouter', assumed: true };
  if (stem === 'SAPSRV') return { ...base, purpose: 'hana', role: 'server', assumed: true };
  if (stem === 'SAPCLI') return { ...base, purpose: 'hana', role: 'client', assumed: true };
  return base;
}

/** The two SSL client PSEs most outbound calls use: ANONYM (no client certificate) and DFAULT. */
export const STANDARD_CLIENT_PSES: readonly PseDescription[] = [
  describePse('SAPSSLA.pse'),
  describePse('SAPSSLC.pse'),
];

/** STRUST click path to add a certificate to the certificate list of one or more nodes. */
export function strustClickPath(nodes: string | readonly string[] | undefined): string[] {
  const list = (typeof nodes === 'string' ? [nodes] : [...(nodes ?? [])]).filter(Boolean);
  const first = list[0];
  const where = first ? `Double-click the node "${first}"` : 'Double-click the PSE node the connection uses';
  const path = [
    'Transaction STRUST',
    'Switch to change mode (Display <-> Change)',
    where,
    'Certificate → Import (button "Import certificate" below the certificate list), choose the file',
    'Add to Certificate List',
    'Save (message TRUST086: "SSL PSE was saved (ICM was notified)")',
  ];
  if (list.length > 1)
    path.push(
      `Repeat for ${list
        .slice(1)
        .map((n) => `"${n}"`)
        .join(' and ')}`,
    );
  return path;
}
