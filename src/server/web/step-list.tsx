/**
 * @module A finding's steps in the web's own terms: each step's web wording, with what it hands over — a download
 * button for the certificate, a copy button for a command, a link to the form of this app that does the step.
 */
import { useState } from 'preact/hooks';
import type { Finding, ImportPlan, Step } from '../../model/report.js';
import { PemDownload } from './pem-download.js';
import { ToolText } from './tool-text.js';

/** Pairs the plain list with its structured twin; old reports without details keep their plain words. */
export function stepsOf(plain: string[] | undefined, details: Step[] | undefined): Step[] {
  if (details && plain && details.length === plain.length) return details;
  return (plain ?? []).map((text) => ({ text }));
}

export function CopyButton({ text }: { text: string }) {
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

const PAGE_LABEL = { probe: 'Open the probe form', pse: 'Open the PSE page', analyze: 'Analyze a file' };

/** The link to this app's own form that does a step, pre-filled where the step names the value. */
function FieldLink({ page, value }: { page: 'probe' | 'pse' | 'analyze'; value?: string }) {
  const path = page === 'analyze' ? '/' : `/${page}`;
  if (location.pathname === path) return null; // the step's words say what to do on this very page
  const href = value ? `${path}?target=${encodeURIComponent(value)}` : path;
  return (
    <a class="button small-button" href={href} data-testid={`step-${page}`}>
      {PAGE_LABEL[page]}
      {value ? ` for ${value}` : ''}
    </a>
  );
}

function StepAction({
  step,
  plan,
  index,
  reportId,
  showsImport,
}: {
  step: Step;
  plan?: ImportPlan;
  index: number;
  reportId?: string;
  showsImport: boolean;
}) {
  const a = step.action;
  if (!a) return null;
  // The import block above the steps holds the download button the step points at; without it, offer it here.
  if (a.kind === 'download')
    return plan?.pem && !showsImport ? (
      <PemDownload plan={plan} index={index} {...(reportId ? { reportId } : {})} />
    ) : null;
  if (a.kind === 'copy')
    return (
      <div class="command">
        <pre class="mono">{a.text}</pre>
        <CopyButton text={a.text} />
      </div>
    );
  if (a.kind === 'field') return <FieldLink page={a.page} {...(a.value ? { value: a.value } : {})} />;
  if (a.kind === 'command')
    return (
      <>
        {[a.command, ...(a.after ?? [])].map((line) => (
          <div class="command" key={line} data-testid="step-command">
            <pre class="mono">{line}</pre>
            <CopyButton text={line} />
          </div>
        ))}
      </>
    );
  return null;
}

/** An ordered or bulleted list of steps, each in its web wording with its action. */
export function StepList({
  steps,
  finding,
  index,
  reportId,
  ordered = true,
  skip,
}: {
  steps: Step[];
  finding?: Finding;
  index: number;
  reportId?: string;
  ordered?: boolean;
  /** Step texts shown elsewhere (the shared "Do this first"). */
  skip?: ReadonlySet<string>;
}) {
  const items = steps
    .filter((s) => !skip?.has(s.text))
    .map((s, i) => (
      <li key={`${i}-${s.text}`}>
        <span>
          <ToolText text={s.web ?? s.text} />
        </span>{' '}
        <StepAction
          step={s}
          index={index}
          showsImport={Boolean(finding?.import && finding.import.subjectKnown !== false)}
          {...(finding?.import ? { plan: finding.import } : {})}
          {...(reportId ? { reportId } : {})}
        />
      </li>
    ));
  if (items.length === 0) return null;
  return ordered ? <ol class="steps">{items}</ol> : <ul class="steps">{items}</ul>;
}
