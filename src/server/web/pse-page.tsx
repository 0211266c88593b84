/** @module The PSE view: open a PSE with its PIN (asked here, sent once, never stored) and show its lists. */
import { useState } from 'preact/hooks';
import type { TrustListEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import { Progress } from './analyze-page.js';
import { type UploadProgress, uploadForm } from './api.js';
import { ReportView } from './report-view.js';

function TrustListView({ ev }: { ev: TrustListEvent }) {
  const l = ev.list;
  return (
    <section class="trust-list" data-testid="trust-list">
      <h3>
        {l.node ?? 'PSE'} <span class="mono small">{l.file ?? l.basename ?? ''}</span>
      </h3>
      {l.own ? (
        <dl>
          <dt>Own certificate</dt>
          <dd class="mono" data-testid="own-subject">
            {l.own.subject}
          </dd>
          {l.own.issuer ? (
            <>
              <dt>Issuer</dt>
              <dd class="mono">{l.own.issuer}</dd>
            </>
          ) : null}
          {l.own.notAfter ? (
            <>
              <dt>Valid</dt>
              <dd>
                {l.own.notBefore ?? '?'} — {l.own.notAfter}
              </dd>
            </>
          ) : null}
          {l.own.sha256 ? (
            <>
              <dt>SHA-256</dt>
              <dd class="mono small">{l.own.sha256}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <h4>Certificate list ({l.certificates.length})</h4>
      <table class="certs">
        <thead>
          <tr>
            <th>subject</th>
            <th>issuer</th>
            <th>valid until</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {l.certificates.map((c, i) => (
            <tr key={`${i}-${c.subject}`}>
              <td class="mono">{c.subject}</td>
              <td class="mono">{c.issuer ?? ''}</td>
              <td>{c.notAfter ?? ''}</td>
              <td class="mono small">{c.sha256 ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function PsePage() {
  const [file, setFile] = useState<File | undefined>();
  const [pin, setPin] = useState('');
  const [progress, setProgress] = useState<UploadProgress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [report, setReport] = useState<Report | undefined>();

  return (
    <div>
      <h2>Open a PSE</h2>
      <p>
        Shows the PSE's own certificate and its certificate list (what STRUST shows). The PIN goes to this
        server for this one request and is never stored or logged.
      </p>
      <form
        class="pse-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!file) {
            setError('Choose a PSE file.');
            return;
          }
          setError(undefined);
          setReport(undefined);
          const form = new FormData();
          if (pin) form.append('pin', pin);
          form.append('files', file, file.name);
          setProgress({ loaded: 0, total: file.size, done: false });
          try {
            setReport(await uploadForm<Report>('/api/pse', form, setProgress));
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          } finally {
            setProgress(undefined);
            setPin('');
          }
        }}
      >
        <label class="block">
          PSE file{' '}
          <input
            type="file"
            accept=".pse,application/octet-stream"
            data-testid="pse-file"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])}
          />
        </label>
        <label class="block">
          PIN{' '}
          <input
            type="password"
            autocomplete="off"
            value={pin}
            data-testid="pse-pin"
            onInput={(e) => setPin((e.target as HTMLInputElement).value)}
          />
        </label>
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
          {report.events
            .filter((ev): ev is TrustListEvent => ev.kind === 'trust-list')
            .map((ev, i) => (
              <TrustListView key={i} ev={ev} />
            ))}
          {report.events
            .filter((ev) => ev.kind === 'pse-problem')
            .map((ev, i) => (
              <p class="error" key={i} data-testid="pse-problem">
                {ev.kind === 'pse-problem' ? ev.message : ''}
              </p>
            ))}
          <ReportView report={report} />
        </>
      ) : null}
    </div>
  );
}
