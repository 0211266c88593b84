/**
 * @module Renders a Report: findings first (cause, PSE node, the certificate to import with its PEM, the
 * commands, the steps), then the quoted evidence lines with the PSE and certificate lines highlighted.
 * All user-provided text is rendered as text nodes (preact escapes it); nothing uses innerHTML.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { EvidenceLine } from '../../model/evidence.js';
import type { Finding, ImportPlan, Report } from '../../model/report.js';

/** Why a quoted line is highlighted. */
export type LineKind = 'pse' | 'cert' | 'error' | 'plain';

const PSE_LINE = /\bPSE\b|\.pse\b|\bSAPSSL[ACS]\b|\bSAPSNCS\b|\bcred_v2\b/i;
const CERT_LINE =
  /^\s*(?:\[[^\]]{0,40}\]\s*)?(?:Subject|Issuer|Serial Number|Certificate|SignerCert|Validity|Not (?:Before|After)|ServerCert\.subject)\b|BEGIN CERTIFICATE|\bServerCert\.subject\b|\bIssuer\s*:/i;

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
function certificateLines(report: Report): Set<string> {
  const out = new Set<string>();
  for (const ev of report.events ?? []) {
    if (ev.kind === 'ssl-failure') {
      for (const cert of ev.certificates ?? []) if (cert.line) out.add(`${ev.source.input}:${cert.line}`);
    }
  }
  return out;
}

/** The plan's own file name when clean (its `sapgenpse` command names that file), else one from the CN. */
function pemFileName(plan: ImportPlan, index: number): string {
  if (plan.fileName && /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:pem|crt|cer)$/.test(plan.fileName))
    return plan.fileName;
  const cn = /CN=([^,]{1,80})/.exec(plan.subject)?.[1];
  return `${(cn ?? `certificate-${index}`).replace(/[^A-Za-z0-9._-]+/g, '_')}.pem`;
}

function CopyButton({ text }: { text: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="copy"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        } catch {
          // Clipboard is unavailable on plain-http remote origins; the text stays selectable.
        }
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}

function PemDownload({ plan, index, reportId }: { plan: ImportPlan; index: number; reportId?: string }) {
  const name = pemFileName(plan, index);
  const blobUrl = useMemo(
    () =>
      !reportId && plan.pem
        ? URL.createObjectURL(new Blob([plan.pem], { type: 'application/x-pem-file' }))
        : undefined,
    [plan.pem, reportId],
  );
  useEffect(() => () => blobUrl && URL.revokeObjectURL(blobUrl), [blobUrl]);
  if (!plan.pem) return null;
  const href = reportId ? `/api/import/${reportId}/${index}.pem` : blobUrl;
  return (
    <a class="button primary download-pem" href={href} download={name} data-testid="download-pem">
      Download {name}
    </a>
  );
}

function ImportBlock({ plan, index, reportId }: { plan: ImportPlan; index: number; reportId?: string }) {
  return (
    <section class="import">
      <h4>
        Certificate to import (
        {plan.kind === 'self-signed-peer' ? 'the self-signed peer certificate' : plan.kind})
      </h4>
      <dl>
        <dt>Subject</dt>
        <dd class="mono">{plan.subject}</dd>
        {plan.sha256 ? (
          <>
            <dt>SHA-256</dt>
            <dd class="mono small">{plan.sha256}</dd>
          </>
        ) : null}
        {plan.notAfter ? (
          <>
            <dt>Valid until</dt>
            <dd>{plan.notAfter}</dd>
          </>
        ) : null}
        <dt>Import into</dt>
        <dd>
          {plan.into.length === 0
            ? 'the PSE named above'
            : plan.into.map((t) => [t.node, t.file ?? t.store].filter(Boolean).join(' — ')).join('; ')}
        </dd>
        {plan.strustPath?.length ? (
          <>
            <dt>In STRUST</dt>
            <dd>{plan.strustPath.join(' → ')}</dd>
          </>
        ) : null}
        <dt>Source</dt>
        <dd>{plan.source}</dd>
      </dl>
      {plan.reason ? <p>{plan.reason}</p> : null}
      {plan.alreadyPresent ? (
        <p class="note">Already present in {plan.alreadyPresent.in}: the fix lies elsewhere.</p>
      ) : null}
      <PemDownload plan={plan} index={index} {...(reportId ? { reportId } : {})} />
      {plan.howToObtain?.length ? (
        <>
          <h5>How to obtain it</h5>
          <ol>
            {plan.howToObtain.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </>
      ) : null}
      {plan.commands.length ? (
        <>
          <h5>Command</h5>
          {plan.commands.map((cmd) => (
            <div class="command" key={cmd}>
              <pre class="mono">{cmd}</pre>
              <CopyButton text={cmd} />
            </div>
          ))}
        </>
      ) : null}
    </section>
  );
}

function EvidenceLines({
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
  if (lines.length === 0) return null;
  return (
    <table class="evidence" aria-label="Evidence lines">
      <tbody>
        {lines.map((l) => {
          const kind = classifyLine(l, finding, certLines);
          const input = report.inputs[l.input]?.name ?? `input ${l.input}`;
          return (
            <tr class={`evidence-line hl-${kind}`} key={`${l.input}:${l.line}`} data-kind={kind}>
              <td class="where">
                {input}:{l.line}
              </td>
              <td class="text mono">{l.text}</td>
              <td class="tag">
                {kind === 'plain' ? '' : kind === 'pse' ? 'PSE' : kind === 'cert' ? 'certificate' : 'error'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function FindingCard({
  finding,
  index,
  report,
  reportId,
  certLines,
}: {
  finding: Finding;
  index: number;
  report: Report;
  reportId?: string;
  certLines: Set<string>;
}) {
  const f = finding;
  return (
    <article class={`finding sev-${f.severity}`} data-testid="finding">
      <header>
        <span class={`badge conf-${f.confidence}`}>{f.confidence}</span>
        <span class={`badge sev-${f.severity}`}>{f.severity}</span>
        <span class="badge cause">{f.cause}</span>
        <h3>{f.title}</h3>
      </header>
      <p class="summary">{f.summary}</p>
      <dl class="facts">
        {f.errorCode ? (
          <>
            <dt>Error</dt>
            <dd class="mono">
              {f.errorCode.name}
              {f.errorCode.number !== undefined ? ` (${f.errorCode.number})` : ''}
            </dd>
          </>
        ) : null}
        {f.role ? (
          <>
            <dt>SAP side acts as</dt>
            <dd>{f.role}</dd>
          </>
        ) : null}
        {f.target?.host ? (
          <>
            <dt>Target</dt>
            <dd class="mono">
              {f.target.host}
              {f.target.port !== undefined ? `:${f.target.port}` : ''}
              {f.target.peerIp ? ` (${f.target.peerIp})` : ''}
            </dd>
          </>
        ) : null}
        {f.pse ? (
          <>
            <dt>PSE</dt>
            <dd class="pse" data-testid="pse">
              <strong>{f.pse.node ?? 'STRUST node unknown'}</strong>
              {f.pse.file || f.pse.basename ? (
                <span class="mono"> — {f.pse.file ?? f.pse.basename}</span>
              ) : null}
              {f.pse.inferred ? <span class="note"> (inferred from the role)</span> : null}
            </dd>
          </>
        ) : null}
      </dl>
      {f.import ? <ImportBlock plan={f.import} index={index} {...(reportId ? { reportId } : {})} /> : null}
      {f.parameters?.length ? (
        <section>
          <h4>Profile parameters</h4>
          <ul>
            {f.parameters.map((p) => (
              <li key={p.name} class="mono">
                {p.name} = {p.value}
                {p.where ? <span class="note"> ({p.where})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {f.steps.length ? (
        <section>
          <h4>Steps</h4>
          <ol class="steps">
            {f.steps.map((s, i) => (
              <li key={`${i}-${s}`}>{s}</li>
            ))}
          </ol>
        </section>
      ) : null}
      {f.confirm?.length ? (
        <section>
          <h4>How to confirm</h4>
          <ul>
            {f.confirm.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {f.distinguish ? <p class="note">{f.distinguish}</p> : null}
      {f.collect?.length ? (
        <section>
          <h4>Collect next</h4>
          <ul>
            {f.collect.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {f.certificates?.length ? (
        <section>
          <h4>Certificates in the evidence</h4>
          <table class="certs">
            <thead>
              <tr>
                <th>position</th>
                <th>subject</th>
                <th>issuer</th>
                <th>valid until</th>
              </tr>
            </thead>
            <tbody>
              {f.certificates.map((c, i) => (
                <tr key={`${i}-${c.subject}`}>
                  <td>{c.position}</td>
                  <td class="mono">{c.subject}</td>
                  <td class="mono">{c.issuer ?? ''}</td>
                  <td>{c.notAfter ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section>
        <h4>Evidence</h4>
        <EvidenceLines lines={f.evidence} finding={f} report={report} certLines={certLines} />
        {f.occurrences && f.occurrences.count > 1 ? (
          <p class="note">
            Seen {f.occurrences.count} times{f.occurrences.first ? `, first ${f.occurrences.first}` : ''}
            {f.occurrences.last ? `, last ${f.occurrences.last}` : ''}.
          </p>
        ) : null}
      </section>
      {f.kb.length ? (
        <p class="kb">
          Explained:{' '}
          {f.kb.map((id) => (
            <a key={id} href={`/explain/${encodeURIComponent(id)}`} class="kb-link">
              {id}
            </a>
          ))}
        </p>
      ) : null}
    </article>
  );
}

/** The whole report. `reportId` (a saved report) makes PEM links point at the server. */
export function ReportView({ report, reportId }: { report: Report; reportId?: string }) {
  const certLines = useMemo(() => certificateLines(report), [report]);
  return (
    <div class="report" data-testid="report">
      <section class="findings">
        <h2>
          {report.findings.length === 0
            ? 'No finding'
            : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}, most likely first`}
        </h2>
        {report.findings.length === 0 ? (
          <p>The evidence shows no SSL failure pse-doctor recognises. Check the inputs below for warnings.</p>
        ) : null}
        {report.findings.map((f, i) => (
          <FindingCard
            key={`${i}-${f.rule}`}
            finding={f}
            index={i}
            report={report}
            certLines={certLines}
            {...(reportId ? { reportId } : {})}
          />
        ))}
      </section>
      <section class="inputs">
        <h3>Inputs</h3>
        <table>
          <thead>
            <tr>
              <th>name</th>
              <th>read as</th>
              <th>lines</th>
              <th>not understood</th>
              <th>warnings</th>
            </tr>
          </thead>
          <tbody>
            {report.inputs.map((i, n) => (
              <tr key={`${n}-${i.name}`}>
                <td class="mono">{i.name}</td>
                <td>{i.format}</td>
                <td>{i.lines}</td>
                <td>{i.unrecognizedLines}</td>
                <td>{i.warnings.join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {report.ruleErrors?.length ? (
        <section class="rule-errors">
          <h3>Rules that failed</h3>
          <ul>
            {report.ruleErrors.map((e) => (
              <li key={e.rule}>
                {e.rule}: {e.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <details class="raw">
        <summary>Report JSON</summary>
        <pre class="mono">{JSON.stringify(report, null, 2)}</pre>
      </details>
    </div>
  );
}
