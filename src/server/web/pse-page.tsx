/**
 * @module The PSE view: open one or several PSE files, or a zipped sec folder, with the PIN (sent once, never
 * stored); for each PSE its format, STRUST node, own certificate and certificate list, with human dates, days
 * left and EXPIRED / expiring badges; then the findings across them.
 */
import { unzipSync } from 'fflate';
import { useState } from 'preact/hooks';
import type { CertificateInfo } from '../../model/certificate.js';
import type { PseProblemEvent, TrustListEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import { PSE_PROBLEM_WORDS } from '../../report/labels.js';
import { Progress, SaveBox, scrollToResult } from './analyze-page.js';
import { type UploadProgress, uploadForm } from './api.js';
import { ReportView } from './report-view.js';

const DAY = 24 * 60 * 60 * 1000;
/** Expiring within this many days gets a badge. */
const SOON_DAYS = 30;
/** Most files taken from one zip (a sec folder holds a dozen). */
const MAX_ZIP_FILES = 200;
/** Largest unzipped file taken from a zip (a PSE is a few KB). */
const MAX_ZIP_ENTRY = 4 * 1024 * 1024;

/** `15 Jan 2038`. */
export function humanDate(iso: string | undefined): string {
  if (!iso) return '?';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Validity with days left and a badge: EXPIRED, expiring (≤ 30 days), or nothing. */
function Validity({ cert, now }: { cert: CertificateInfo; now: number }) {
  if (!cert.notAfter) return <span class="note">validity not known</span>;
  const days = Math.floor((new Date(cert.notAfter).getTime() - now) / DAY);
  const notYet = cert.notBefore ? new Date(cert.notBefore).getTime() > now : false;
  return (
    <span class="validity">
      {days < 0 ? (
        <span class="badge exp-expired" data-testid="badge-expired">
          EXPIRED
        </span>
      ) : days <= SOON_DAYS ? (
        <span class="badge exp-soon" data-testid="badge-expiring">
          expires in {days} day{days === 1 ? '' : 's'}
        </span>
      ) : null}
      {notYet ? <span class="badge exp-soon">not yet valid</span> : null} until {humanDate(cert.notAfter)}
      <span class="note small"> ({days < 0 ? `${-days} days ago` : `${days} days left`})</span>
    </span>
  );
}

function TrustListView({ ev, report, now }: { ev: TrustListEvent; report: Report; now: number }) {
  const l = ev.list;
  const input = report.inputs[ev.source.input];
  return (
    <section class="trust-list" data-testid="trust-list">
      <h3>
        {l.basename ?? l.file ?? input?.name ?? 'PSE'}{' '}
        <span class="note small">{l.node ? `STRUST node “${l.node}”` : 'STRUST node not known'}</span>
      </h3>
      <dl>
        <dt>STRUST node</dt>
        <dd data-testid="pse-node">
          {l.node ?? 'not known from the file name or its own certificate'}
          {l.context ? (
            <span class="note small">
              {' '}
              ({l.context}
              {l.application ? ` / ${l.application}` : ''})
            </span>
          ) : null}
        </dd>
        <dt>Format</dt>
        <dd data-testid="pse-format">{input?.formatDetail ?? 'PSE'}</dd>
        {l.own ? (
          <>
            <dt>Own certificate</dt>
            <dd class="mono" data-testid="own-subject">
              {l.own.subject}
            </dd>
            {l.own.issuer ? (
              <>
                <dt>Issued by</dt>
                <dd class="mono">{l.own.issuer}</dd>
              </>
            ) : null}
            <dt>Valid</dt>
            <dd data-testid="own-validity">
              from {humanDate(l.own.notBefore)} <Validity cert={l.own} now={now} />
            </dd>
            {l.own.sha256 ? (
              <>
                <dt>SHA-256</dt>
                <dd class="mono small">{l.own.sha256}</dd>
              </>
            ) : null}
          </>
        ) : (
          <>
            <dt>Own certificate</dt>
            <dd>none (a list of trusted certificates only)</dd>
          </>
        )}
      </dl>
      <h4>Certificate list ({l.certificates.length})</h4>
      <ul class="certs">
        {l.certificates.map((c, i) => (
          <li key={`${i}-${c.sha256 ?? c.subject}`}>
            <span class="mono">{c.subject}</span>
            <div class="small">
              <Validity cert={c} now={now} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The files to upload: PSEs as chosen, the members of a zip (a zipped sec folder) unpacked here. */
export function expandFiles(files: File[], zips: Map<File, Uint8Array>): File[] {
  const out: File[] = [];
  for (const f of files) {
    const zip = zips.get(f);
    if (!zip) {
      out.push(f);
      continue;
    }
    const entries = unzipSync(zip, {
      filter: (e) => !e.name.endsWith('/') && e.originalSize <= MAX_ZIP_ENTRY && !/(^|\/)\./.test(e.name),
    });
    for (const [name, bytes] of Object.entries(entries)) {
      const base = name.split('/').pop() ?? name;
      // cred_v2 holds the SSO PINs, not a trust list: it stays out.
      if (!base || /^cred_v2$/i.test(base)) continue;
      if (out.length >= MAX_ZIP_FILES) break;
      out.push(new File([bytes], base));
    }
  }
  return out;
}

export function PsePage() {
  const [files, setFiles] = useState<File[]>([]);
  const [pin, setPin] = useState('');
  const [progress, setProgress] = useState<UploadProgress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [report, setReport] = useState<Report | undefined>();
  const now = Date.now();

  async function submit(e: Event) {
    e.preventDefault();
    if (files.length === 0) {
      setError('Choose one or more PSE files, or a zipped sec folder.');
      return;
    }
    setError(undefined);
    setReport(undefined);
    let inputs: File[];
    try {
      const zips = new Map<File, Uint8Array>();
      for (const f of files) if (/\.zip$/i.test(f.name)) zips.set(f, new Uint8Array(await f.arrayBuffer()));
      inputs = expandFiles(files, zips);
    } catch {
      setError('The zip file could not be read: pack the sec folder again (zip, no encryption).');
      return;
    }
    if (inputs.length === 0) {
      setError('The zip holds no file to read.');
      return;
    }
    const form = new FormData();
    if (pin) form.append('pin', pin);
    for (const f of inputs) form.append('files', f, f.name);
    setProgress({ loaded: 0, total: inputs.reduce((n, f) => n + f.size, 0), done: false });
    try {
      setReport(await uploadForm<Report>('/api/pse', form, setProgress));
      scrollToResult();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(undefined);
      setPin('');
    }
  }

  const lists = report?.events.filter((ev): ev is TrustListEvent => ev.kind === 'trust-list') ?? [];
  const problems = report?.events.filter((ev): ev is PseProblemEvent => ev.kind === 'pse-problem') ?? [];
  return (
    <div>
      <h2>Open PSE files</h2>
      <p>
        Shows each PSE's STRUST node, own certificate and certificate list (what STRUST shows), with expiry
        dates. Choose several PSE files at once, or a zipped sec folder. The PIN goes to this server for this
        one request and is never stored or logged.
      </p>
      <form class="pse-form" onSubmit={submit}>
        <div class="form-grid">
          <label for="pse-file">PSE files or a .zip</label>
          <input
            id="pse-file"
            type="file"
            multiple
            accept=".pse,.zip,application/zip,application/octet-stream"
            data-testid="pse-file"
            onChange={(e) => setFiles(Array.from((e.target as HTMLInputElement).files ?? []))}
          />
          <label for="pse-pin">PIN</label>
          <input
            id="pse-pin"
            type="password"
            autocomplete="off"
            value={pin}
            data-testid="pse-pin"
            onInput={(e) => setPin((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" class="primary" data-testid="pse-open" disabled={!!progress}>
          Open
        </button>
        {progress ? <Progress progress={progress} /> : null}
        {error ? (
          <p class="error" role="alert" data-testid="error">
            {error}
          </p>
        ) : null}
      </form>
      {report ? (
        <>
          {problems.map((ev) => (
            <p class="error" key={`${ev.source.input}`} data-testid="pse-problem">
              {report.inputs[ev.source.input]?.name ?? ev.file}: {PSE_PROBLEM_WORDS[ev.problem] ?? ev.problem}
            </p>
          ))}
          {lists.map((ev) => (
            <TrustListView key={`${ev.source.input}`} ev={ev} report={report} now={now} />
          ))}
          <ReportView report={report} after={<SaveBox report={report} />} />
        </>
      ) : null}
    </div>
  );
}
