/**
 * @module One finding: title (= the fix), cause in words, the PSE and its STRUST node, the certificate to import
 * with its download button and copyable commands, the steps in web wording, how to confirm, how to tell
 * hypotheses apart, what to collect next, and the evidence collapsed to the lines that matter.
 */
import type { Finding, ImportPlan, Report } from '../../model/report.js';
import {
  CAUSE_WORDS,
  IMPORT_KIND_WORDS,
  POSITION_WORDS,
  SEVERITY_WORDS,
  SOURCE_WORDS,
} from '../../report/labels.js';
import { sameStepsAs } from '../../report/same-steps.js';
import { EvidenceLines } from './evidence-lines.js';
import { PemDownload } from './pem-download.js';
import { CopyButton, StepList, stepsOf } from './step-list.js';
import { ToolText } from './tool-text.js';

/** What a command's tool is, for the commands users may not know. */
function commandNote(cmd: string): string | undefined {
  if (cmd.startsWith('sapcli '))
    return 'sapcli is an open-source command-line tool that talks to ABAP systems over ADT; it imports into STRUST without logging on to SAP GUI.';
  if (cmd.startsWith('sapgenpse ')) return 'Run as <sid>adm in the sec directory of each application server.';
  if (cmd.startsWith('keytool ')) return 'keytool ships with every Java runtime.';
  return undefined;
}

function ImportBlock({ plan, index, reportId }: { plan: ImportPlan; index: number; reportId?: string }) {
  const notes = new Set(plan.commands.map(commandNote).filter((n): n is string => Boolean(n)));
  return (
    <section class="import">
      <h4>Certificate to import ({IMPORT_KIND_WORDS[plan.kind] ?? plan.kind})</h4>
      <dl>
        <dt>{plan.subjectKnown === false ? 'Which' : 'Subject'}</dt>
        <dd class={plan.subjectKnown === false ? '' : 'mono'}>{plan.subject}</dd>
        {plan.sha256 ? (
          <>
            <dt>SHA-256</dt>
            <dd class="mono small">{plan.sha256}</dd>
          </>
        ) : null}
        {plan.notAfter ? (
          <>
            <dt>Valid until</dt>
            <dd>{plan.notAfter.slice(0, 10)}</dd>
          </>
        ) : null}
        <dt>Import into</dt>
        <dd>
          {plan.into.length === 0
            ? 'the PSE named above'
            : plan.into.map((t) => [t.node, t.file ?? t.store].filter(Boolean).join(' — ')).join('; ')}
          {plan.pseUnknown ? (
            <span class="note"> (SAP's default: the evidence does not name the PSE)</span>
          ) : null}
        </dd>
        {plan.strustPath?.length ? (
          <>
            <dt>In STRUST</dt>
            <dd>{plan.strustPath.join(' → ')}</dd>
          </>
        ) : null}
        <dt>Source</dt>
        <dd>{SOURCE_WORDS[plan.source] ?? plan.source}</dd>
      </dl>
      {plan.reason ? (
        <p>
          <ToolText text={plan.reason} />
        </p>
      ) : null}
      {plan.alreadyPresent ? (
        <p class="note">Already present in {plan.alreadyPresent.in}: the fix lies elsewhere.</p>
      ) : null}
      <PemDownload plan={plan} index={index} {...(reportId ? { reportId } : {})} />
      {plan.howToObtain?.length ? (
        <>
          <h5>How to obtain it</h5>
          <StepList
            steps={stepsOf(plan.howToObtain, plan.howToObtainDetails)}
            index={index}
            {...(reportId ? { reportId } : {})}
          />
        </>
      ) : null}
      {plan.commands.length ? (
        <>
          <h5>Command{plan.commands.length > 1 ? 's' : ''}</h5>
          {plan.commands.map((cmd) => (
            <div class="command" key={cmd}>
              <pre class="mono">{cmd}</pre>
              <CopyButton text={cmd} />
            </div>
          ))}
          {[...notes].map((n) => (
            <p class="note small" key={n}>
              {n}
            </p>
          ))}
        </>
      ) : null}
    </section>
  );
}

function Facts({ f }: { f: Finding }) {
  return (
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
      {f.occurrences && f.occurrences.count > 1 ? (
        <>
          <dt>Seen</dt>
          <dd>
            {f.occurrences.count} times{f.occurrences.first ? `, first ${f.occurrences.first}` : ''}
            {f.occurrences.last ? `, last ${f.occurrences.last}` : ''}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

export function FindingCard({
  finding: f,
  index,
  report,
  reportId,
  certLines,
  shared,
}: {
  finding: Finding;
  index: number;
  report: Report;
  reportId?: string;
  certLines: Set<string>;
  /** Steps shown once for all hypotheses ("Do this first"). */
  shared: ReadonlySet<string>;
}) {
  const idProps = reportId ? { reportId } : {};
  const collect = stepsOf(f.collect, f.collectDetails).filter((s) => !shared.has(s.text));
  const sameSteps = sameStepsAs(report, index);
  return (
    <article class={`finding sev-${f.severity}`} data-testid="finding" id={`finding-${index + 1}`}>
      <header>
        <span class={`badge conf-${f.confidence}`}>{f.confidence}</span>
        <span class={`badge sev-${f.severity}`}>{SEVERITY_WORDS[f.severity]}</span>
        <span class="badge cause" data-cause={f.cause}>
          {CAUSE_WORDS[f.cause] ?? f.cause}
        </span>
        <h3>
          {index + 1}. {f.title}
        </h3>
      </header>
      <p class="summary">
        <ToolText text={f.summary} />
      </p>
      <Facts f={f} />
      {f.import ? <ImportBlock plan={f.import} index={index} {...idProps} /> : null}
      {f.parameters?.length ? (
        <section>
          <h4>Profile parameters</h4>
          {f.parameters.map((p) => (
            <div class="command" key={p.name}>
              <pre class="mono">
                {p.name} = {p.value}
              </pre>
              <CopyButton text={`${p.name} = ${p.value}`} />
              {p.where ? <span class="note small">{p.where}</span> : null}
            </div>
          ))}
        </section>
      ) : null}
      {sameSteps ? (
        <section>
          <h4>Steps</h4>
          <p data-testid="same-steps">
            The same as <a href={`#finding-${sameSteps.index + 1}`}>finding {sameSteps.index + 1}</a>
            {sameSteps.otherPse ? `, for ${f.pse?.basename ?? f.pse?.file}` : ''}.
          </p>
        </section>
      ) : f.steps.length ? (
        <section>
          <h4>Steps</h4>
          <StepList steps={stepsOf(f.steps, f.stepDetails)} finding={f} index={index} {...idProps} />
        </section>
      ) : null}
      {f.confirm?.length ? (
        <section>
          <h4>How to confirm</h4>
          <StepList
            steps={stepsOf(f.confirm, f.confirmDetails)}
            finding={f}
            index={index}
            ordered={false}
            {...idProps}
          />
        </section>
      ) : null}
      {f.distinguish ? (
        <section class="distinguish">
          <h4>How to tell these apart</h4>
          <p>
            <ToolText text={f.distinguish} />
          </p>
        </section>
      ) : null}
      {collect.length ? (
        <section>
          <h4>Collect next</h4>
          <StepList steps={collect} finding={f} index={index} ordered={false} {...idProps} />
        </section>
      ) : null}
      {f.certificates?.length ? (
        <section>
          <h4>Certificates in the evidence</h4>
          <ul class="certs">
            {f.certificates.map((c, i) => (
              <li key={`${i}-${c.subject}`}>
                <span class="badge">{POSITION_WORDS[c.position] ?? c.position}</span>{' '}
                <span class="mono">{c.subject}</span>
                {c.issuer ? <span class="note small"> issued by {c.issuer}</span> : null}
                {c.notAfter ? <span class="note small"> · valid until {c.notAfter.slice(0, 10)}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section>
        <h4>Evidence</h4>
        <EvidenceLines lines={f.evidence} finding={f} report={report} certLines={certLines} />
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
