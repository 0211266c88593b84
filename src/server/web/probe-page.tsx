/** @module The probe form: a live TLS handshake with an endpoint, diagnosed (only when the server allows it). */
import { useState } from 'preact/hooks';
import type { Report } from '../../model/report.js';
import { SaveBox } from './analyze-page.js';
import { api, type ServerConfig } from './api.js';
import { ReportView } from './report-view.js';

export function ProbePage({ config }: { config?: ServerConfig }) {
  const [target, setTarget] = useState('');
  const [sni, setSni] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [report, setReport] = useState<Report | undefined>();
  if (config && !config.probeEnabled) {
    return (
      <div>
        <h2>Probe an endpoint</h2>
        <p data-testid="probe-disabled">
          Live probes are off on this server: it would connect to hosts that users name. Start it with{' '}
          <code>pse-doctor serve --enable-probe</code> to allow them, or run{' '}
          <code>pse-doctor probe host:443</code> from a shell on the SAP host's network.
        </p>
      </div>
    );
  }
  return (
    <div>
      <h2>Probe an endpoint</h2>
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          setReport(undefined);
          try {
            setReport(await api.probe(target.trim(), sni));
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <input
          type="text"
          value={target}
          placeholder="api.example.com:443 or https://…"
          data-testid="probe-target"
          onInput={(e) => setTarget((e.target as HTMLInputElement).value)}
          aria-label="Endpoint"
        />
        <label class="inline">
          <input
            type="checkbox"
            checked={sni}
            onChange={(e) => setSni((e.target as HTMLInputElement).checked)}
          />{' '}
          send SNI
        </label>
        <button type="submit" class="primary" disabled={busy || !target.trim()} data-testid="probe-go">
          {busy ? 'Probing…' : 'Probe'}
        </button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {report ? (
        <>
          <SaveBox report={report} />
          <ReportView report={report} />
        </>
      ) : null}
    </div>
  );
}
