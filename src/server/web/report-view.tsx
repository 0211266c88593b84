/**
 * @module Renders a Report: the next action when the evidence is thin, a summary of the findings with jump
 * links, each finding (see finding-card), then the inputs. All user-provided text is rendered as text nodes
 * (preact escapes it); nothing uses innerHTML.
 */
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Report } from '../../model/report.js';
import { CAUSE_WORDS, formatWords } from '../../report/labels.js';
import { certificateLines } from './evidence-lines.js';
import { FindingCard } from './finding-card.js';
import { StepList } from './step-list.js';
import { ToolText } from './tool-text.js';

function jump(e: Event, id: string) {
  e.preventDefault();
  document.getElementById(id)?.scrollIntoView({ block: 'start' });
}

/** Title, cause and confidence of each finding, each a link to its card. */
function Summary({ report }: { report: Report }) {
  if (report.findings.length < 2) return null;
  return (
    <nav class="summary-list" aria-label="Findings" data-testid="summary-list">
      <ol>
        {report.findings.map((f, i) => (
          <li key={`${i}-${f.rule}`} class={`sev-${f.severity}`}>
            <a href={`#finding-${i + 1}`} onClick={(e) => jump(e, `finding-${i + 1}`)}>
              {f.title}
            </a>
            <span class="note small">
              {' '}
              — {CAUSE_WORDS[f.cause] ?? f.cause}, {f.confidence}
            </span>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The whole report. `reportId` (a saved report) makes PEM links point at the server; `after` sits below the findings. */
export function ReportView({
  report,
  reportId,
  after,
}: {
  report: Report;
  reportId?: string;
  after?: ComponentChildren;
}) {
  const certLines = useMemo(() => certificateLines(report), [report]);
  const shared = useMemo(() => new Set((report.next ?? []).map((s) => s.text)), [report]);
  const n = report.findings.length;
  const hypotheses = n > 1 && !report.findings.some((f) => f.confidence === 'certain');
  // A PSE that could not be opened has its finding; the reader's note (written for the terminal) is not repeated.
  const explained = new Set(report.events.filter((e) => e.kind === 'pse-problem').map((e) => e.source.input));
  return (
    <div class="report" data-testid="report">
      <section class="findings">
        <h2 data-testid="report-head">
          {n === 0 ? 'No finding' : `${n} finding${n === 1 ? '' : 's'}${n > 1 ? ', errors first' : ''}`}
        </h2>
        {n === 0 && report.events.some((e) => e.kind === 'probe') ? (
          <p>
            The ICM holding this trust list would complete this handshake: the probe shows nothing to fix.
          </p>
        ) : n === 0 ? (
          <p>
            The evidence shows no SSL failure pse-doctor recognises. Check the inputs below for notes. If a
            connection still fails: raise the ICM trace level to 2 in SMICM, reproduce, and analyze the new
            dev_icm here.
          </p>
        ) : null}
        {report.next?.length ? (
          <section class="next" data-testid="next">
            <h3>Do this first</h3>
            <p>The evidence is too thin to name one cause; the findings below are ranked guesses.</p>
            <StepList steps={report.next} index={0} />
          </section>
        ) : hypotheses ? (
          <p class="note">The evidence does not prove one cause: the findings are ranked guesses.</p>
        ) : null}
        <Summary report={report} />
        {report.findings.map((f, i) => (
          <FindingCard
            key={`${i}-${f.rule}`}
            finding={f}
            index={i}
            report={report}
            certLines={certLines}
            shared={shared}
            {...(reportId ? { reportId } : {})}
          />
        ))}
      </section>
      {after}
      <section class="inputs">
        <h3>Inputs</h3>
        <ul class="input-list">
          {report.inputs.map((i, k) => (
            <li key={`${k}-${i.name}`} data-testid="input">
              <span class="mono input-name">{i.name}</span>{' '}
              <span class="note">
                read as {formatWords(i.format)} · {i.lines} line{i.lines === 1 ? '' : 's'}
                {i.unrecognizedLines ? ` · ${i.unrecognizedLines} not understood` : ''}
              </span>
              {i.warnings.length && !explained.has(k) ? (
                <p class="input-warnings">
                  <ToolText text={i.warnings.join(' ')} />
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      {report.ruleErrors?.length ? (
        <section class="rule-errors">
          <h3>Checks that failed</h3>
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
