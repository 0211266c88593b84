/**
 * @module A finding's quoted evidence: collapsed to the lines that matter (error, PSE and certificate lines),
 * with "show all"; PSE and certificate lines highlighted. Text is rendered as text nodes, never as HTML.
 */
import { useState } from 'preact/hooks';
import type { EvidenceLine } from '../../model/evidence.js';
import type { Finding, Report } from '../../model/report.js';

/** Why a quoted line is highlighted. */
export type LineKind = 'pse' | 'cert' | 'error' | 'plain';

const PSE_LINE = /\bPSE\b|\.pse\b|\bSAPSSL[ACS]\b|\bSAPSNCS\b|\bcred_v2\b/i;
const CERT_LINE =
  /^\s*(?:\[[^\]]{0,40}\]\s*)?(?:Subject|Issuer|Serial Number|Certificate|SignerCert|Validity|Not (?:Before|After)|ServerCert\.subject)\b|BEGIN CERTIFICATE|\bServerCert\.subject\b|\bIssuer\s*:/i;

/** Lines shown before "show all". */
const COLLAPSED_LINES = 8;

/** Classifies a quoted evidence line for highlighting. */
export function classifyLine(
  line: EvidenceLine,
  finding: Finding | undefined,
  certLines: Set<string>,
): LineKind {
  if (certLines.has(`${line.input}:${line.line}`) || CERT_LINE.test(line.text)) return 'cert';
  if (PSE_LINE.test(line.text)) return 'pse';
  const code = finding?.errorCode?.name;
  if ((code && line.text.includes(code)) || /\bERROR\b|\bfailed\b/i.test(line.text)) return 'error';
  return 'plain';
}

/** Lines where the readers saw a certificate (`TraceCertificate.line`), keyed `input:line`. */
export function certificateLines(report: Report): Set<string> {
  const out = new Set<string>();
  for (const ev of report.events ?? []) {
    if (ev.kind === 'ssl-failure') {
      for (const cert of ev.certificates ?? []) if (cert.line) out.add(`${ev.source.input}:${cert.line}`);
    }
  }
  return out;
}

const TAG: Record<LineKind, string> = { plain: '', pse: 'PSE', cert: 'certificate', error: 'error' };

export function EvidenceLines({
  lines,
  finding,
  report,
  certLines,
}: {
  lines: EvidenceLine[];
  finding?: Finding;
  report: Report;
  certLines: Set<string>;
}) {
  const [all, setAll] = useState(false);
  if (lines.length === 0) return null;
  const kinds = lines.map((l) => classifyLine(l, finding, certLines));
  // Collapsed: the highlighted lines (in file order), capped; plain lines only when nothing is highlighted.
  const marked = lines.map((_, i) => i).filter((i) => kinds[i] !== 'plain');
  const keep = new Set((marked.length > 0 ? marked : lines.map((_, i) => i)).slice(0, COLLAPSED_LINES));
  const hidden = lines.length - keep.size;
  const shown = all ? lines.map((_, i) => i) : [...keep];
  return (
    <div class="evidence">
      <ul aria-label="Evidence lines">
        {shown.map((i) => {
          const l = lines[i]!;
          const kind = kinds[i]!;
          const input = report.inputs[l.input]?.name ?? `input ${l.input + 1}`;
          return (
            <li class={`evidence-line hl-${kind}`} key={`${l.input}:${l.line}`} data-kind={kind}>
              <span class="where">
                {input}:{l.line}
                {kind !== 'plain' ? <span class="tag"> · {TAG[kind]}</span> : null}
              </span>
              <span class="text mono">{l.text}</span>
            </li>
          );
        })}
      </ul>
      {hidden > 0 ? (
        <button type="button" class="link show-all" data-testid="show-all" onClick={() => setAll(!all)}>
          {all ? 'Show only the lines that matter' : `Show all ${lines.length} lines`}
        </button>
      ) : null}
    </div>
  );
}
