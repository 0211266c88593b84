/**
 * @module The probe form: a live TLS handshake with an endpoint, judged against a trust list (PSE + PIN, listing,
 * certificates) as the ICM would, optionally with a client certificate and through a proxy; shows the chain as
 * sent, the verdicts and the versions, then the findings. Only when the server allows probes.
 */
import { useState } from 'preact/hooks';
import type { CertificateInfo } from '../../model/certificate.js';
import type { ProbeEvent } from '../../model/evidence.js';
import type { Report } from '../../model/report.js';
import { SaveBox, scrollToResult } from './analyze-page.js';
import { type ServerConfig, uploadForm } from './api.js';
import { ReportView } from './report-view.js';

const VERSION_WORDS: Record<string, string> = {
  accepted: 'accepted',
  refused: 'refused',
  untestable: 'not testable from this machine',
  unknown: 'no answer',
};

/** The chain as sent, the verdicts side by side, and the protocol versions. */
function ProbeFacts({ report }: { report: Report }) {
  const ev = report.events.find((e): e is ProbeEvent => e.kind === 'probe');
  const result = ev?.result as
    | { certificates?: CertificateInfo[]; versions?: { version: string; result: string }[]; sni?: string }
    | undefined;
  const certs = result?.certificates ?? [];
  return (
    <section class="probe-facts" data-testid="probe-facts">
      {certs.length ? (
        <>
          <h3>Chain as the server sends it</h3>
          <ol class="certs chain" data-testid="probe-chain">
            {certs.map((c, i) => (
              <li key={`${i}-${c.sha256 ?? c.subject}`}>
                <span class="mono">{c.subject}</span>
                <span class="note small">
                  {' '}
                  issued by {c.issuer ?? '?'} · valid until {c.notAfter?.slice(0, 10) ?? '?'}
                </span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {report.verification?.length ? (
        <>
          <h3>Would it be trusted?</h3>
          <ul class="verdicts" data-testid="verdicts">
            {report.verification.map((v) => (
              <li key={v.profile}>
                <span class={`badge ${v.ok ? 'exp-ok' : 'exp-expired'}`}>
                  {v.ok ? 'trusted' : 'not trusted'}
                </span>{' '}
                <strong>{v.label}</strong>
                {v.message ? ` — ${v.message}` : ''}
                {v.errorCode ? <span class="mono small"> ({v.errorCode.name})</span> : null}
                <div class="note small">Trust list: {v.trustList}</div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {result?.versions?.length ? (
        <>
          <h3>Protocol versions</h3>
          <ul class="versions" data-testid="versions">
            {result.versions.map((v) => (
              <li key={v.version}>
                {v.version.replace('TLSv', 'TLS ')}: {VERSION_WORDS[v.result] ?? v.result}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function ProbePage({ config }: { config?: ServerConfig }) {
  const initial = new URLSearchParams(location.search).get('target') ?? '';
  const [target, setTarget] = useState(initial);
  const [sni, setSni] = useState(true);
  const [trust, setTrust] = useState<File[]>([]);
  const [trustPin, setTrustPin] = useState('');
  const [clientCert, setClientCert] = useState<File | undefined>();
  const [clientSecret, setClientSecret] = useState('');
  const [proxy, setProxy] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [report, setReport] = useState<Report | undefined>();
  if (config && !config.probeEnabled) {
    return (
      <div>
        <h2>Probe an endpoint</h2>
        <p data-testid="probe-disabled">
          Live probes are off on this server: it would connect to hosts that users name. Whoever runs it can
          allow them with the enable-probe option of the serve command, or probe from a shell on the SAP
          host's network.
        </p>
      </div>
    );
  }
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    const form = new FormData();
    form.append('target', target.trim());
    form.append('sni', sni ? 'true' : 'false');
    if (proxy.trim()) form.append('proxy', proxy.trim());
    if (trustPin) form.append('trustPin', trustPin);
    if (clientSecret) form.append('clientSecret', clientSecret);
    for (const f of trust) form.append('trust', f, f.name);
    if (clientCert) form.append('clientCert', clientCert, clientCert.name);
    try {
      setReport(await uploadForm<Report>('/api/probe', form, () => undefined));
      scrollToResult();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      setTrustPin('');
      setClientSecret('');
    }
  }
  return (
    <div>
      <h2>Probe an endpoint</h2>
      <p class="note">
        A few TLS handshakes from this server, judged as SAP's ICM holding your trust list would judge them.
      </p>
      <form class="probe-form" onSubmit={submit}>
        <div class="form-grid">
          <label for="probe-target">Endpoint</label>
          <input
            id="probe-target"
            type="text"
            value={target}
            placeholder="api.example.com:443 or https://…"
            data-testid="probe-target"
            onInput={(e) => setTarget((e.target as HTMLInputElement).value)}
          />
          <span>Server name (SNI)</span>
          <label class="inline">
            <input
              type="checkbox"
              checked={sni}
              onChange={(e) => setSni((e.target as HTMLInputElement).checked)}
            />{' '}
            send it, as icm/HTTPS/client_sni_enabled = TRUE does
          </label>
        </div>
        <fieldset>
          <legend>Trust list (what the SSL client PSE holds)</legend>
          <div class="form-grid">
            <label for="probe-trust">PSE, listing or certificates</label>
            <input
              id="probe-trust"
              type="file"
              multiple
              data-testid="probe-trust"
              onChange={(e) => setTrust(Array.from((e.target as HTMLInputElement).files ?? []))}
            />
            <label for="probe-trust-pin">PIN of the PSE</label>
            <input
              id="probe-trust-pin"
              type="password"
              autocomplete="off"
              value={trustPin}
              data-testid="probe-trust-pin"
              onInput={(e) => setTrustPin((e.target as HTMLInputElement).value)}
            />
          </div>
          <p class="note small">
            Without a trust list the probe names the root CA the PSE must hold. The PIN is used once and never
            stored.
          </p>
        </fieldset>
        <details class="more-options">
          <summary>Client certificate and proxy</summary>
          <div class="form-grid">
            <label for="probe-client">Client certificate</label>
            <input
              id="probe-client"
              type="file"
              data-testid="probe-client"
              onChange={(e) => setClientCert((e.target as HTMLInputElement).files?.[0])}
            />
            <label for="probe-client-secret">Its password or PIN</label>
            <input
              id="probe-client-secret"
              type="password"
              autocomplete="off"
              value={clientSecret}
              onInput={(e) => setClientSecret((e.target as HTMLInputElement).value)}
            />
            <label for="probe-proxy">HTTP proxy</label>
            <input
              id="probe-proxy"
              type="text"
              value={proxy}
              placeholder="http://proxy.example.com:3128"
              data-testid="probe-proxy"
              onInput={(e) => setProxy((e.target as HTMLInputElement).value)}
            />
          </div>
          <p class="note small">
            A client certificate is a PEM file with its key, a PKCS#12 file, or an SSL client PSE such as
            SAPSSLC.pse; its key stays in memory for the handshakes only.
          </p>
        </details>
        <div class="row">
          <button type="submit" class="primary" disabled={busy || !target.trim()} data-testid="probe-go">
            {busy ? 'Probing…' : 'Probe'}
          </button>
        </div>
      </form>
      {error ? (
        <p class="error" role="alert" data-testid="error">
          {error}
        </p>
      ) : null}
      {report ? (
        <>
          <ProbeFacts report={report} />
          <ReportView report={report} after={<SaveBox report={report} />} />
        </>
      ) : null}
    </div>
  );
}
