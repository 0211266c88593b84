/**
 * @module The sections of `probe`, from its Report: what each handshake got (the connection facts), the
 * chain as sent, the verification table, the findings, notes, the transcript and the files written.
 */
import { writeTranscript } from '../../evidence/probe-transcript.js';
import type { ProbeEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import { chainPositions } from '../../readers/x509/chain-order.js';
import { certificateEntry, POSITION_LABEL } from './certificate-entry.js';
import type { Fact, Section } from './section-types.js';

export interface ProbeSectionOptions {
  /** Also show the numbered transcript of every handshake. */
  transcript?: boolean;
  /** Files `--out` wrote, as shown to the user. */
  written?: readonly string[];
}

/** The probe's facts: the target line, then one line per handshake, the client-certificate request, HTTP. */
function connectionFacts(event: ProbeEvent): Section {
  const result = event.result;
  const t = result.target;
  const transcript = writeTranscript(result);
  const rows: Fact[] = [];
  for (const label of ['main', 'sni-compare', 'versions']) {
    const n = transcript.attemptLine[label];
    const line = n === undefined ? undefined : transcript.lines[n - 1];
    if (line) rows.push({ label: '', value: line });
  }
  const request = result.main.certificateRequest;
  if (request)
    rows.push({
      label: '',
      value: `client certificate asked for; acceptable CAs: ${request.caNames.length ? request.caNames.slice(0, 6).join(' | ') : '(none listed)'}`,
    });
  const http = result.main.http;
  if (http)
    rows.push({ label: '', value: `${http.request} → ${http.statusLine ?? http.error ?? 'no answer'}` });
  return {
    kind: 'facts',
    title: `Probe ${t.host}:${t.port}${result.sni ? ` (SNI ${result.sni})` : ' (no SNI)'}${result.proxy ? ` via proxy ${result.proxy.host}:${result.proxy.port}` : ''}`,
    rows,
  };
}

/** What a probe saw: its handshakes and the chain as sent (also shown when `analyze` reads a saved probe). */
export function probeEvidenceSections(report: Report, now: Date): Section[] {
  // A damaged stored report renders without these sections rather than crashing the view.
  const events = Array.isArray(report.events) ? report.events : [];
  const event = events.find((e): e is ProbeEvent => e?.kind === 'probe');
  if (!event?.result?.main || !event.result.target) return [];
  const result = event.result;
  const sections: Section[] = [connectionFacts(event)];
  const certs = result.certificates ?? [];
  if (certs.length) {
    const positions = chainPositions(certs);
    const from =
      result.chainSource === 'handshake-message' ? 'read from the handshake' : 'from the TLS library';
    const attempt = result.chainFrom && result.chainFrom !== 'main' ? `, attempt ${result.chainFrom}` : '';
    sections.push({
      kind: 'chain',
      title: `Chain as sent by the server (${certs.length} certificate${certs.length === 1 ? '' : 's'}, ${from}${attempt})`,
      entries: certs.map((c, i) => certificateEntry(c, POSITION_LABEL[positions[i] ?? 'unknown'], now)),
    });
  }
  return sections;
}

/** `probe`'s sections, drawn from the Report's `probe` event, `verification` and findings. */
export function probeSections(report: Report, now: Date, options: ProbeSectionOptions = {}): Section[] {
  const event = report.events.find((e): e is ProbeEvent => e.kind === 'probe');
  const sections: Section[] = probeEvidenceSections(report, now);
  if (report.verification?.length)
    sections.push({ kind: 'verification', title: 'Verdicts', verdicts: report.verification });
  sections.push({
    kind: 'findings',
    title: 'Findings (most likely first)',
    empty: ['No finding: the ICM would complete this handshake.'],
  });
  const notes = report.inputs.flatMap((i) => i.warnings.map((w) => `note (${i.name}): ${w}`));
  if (notes.length) sections.push({ kind: 'notes', lines: notes });
  if (options.transcript && event)
    sections.push({
      kind: 'transcript',
      title: 'Transcript',
      lines: event.result.transcript ?? writeTranscript(event.result).lines,
    });
  if (options.written?.length)
    sections.push({ kind: 'notes', title: 'Written', lines: [...options.written] });
  return sections;
}
