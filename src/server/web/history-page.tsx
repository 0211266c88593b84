/** @module The history: saved analyses, newest first, each with its own URL; and one saved report. */
import { useEffect, useState } from 'preact/hooks';
import type { Cause } from '../../model/cause.js';
import { CAUSE_WORDS } from '../../report/labels.js';
import type { ReportListItem, StoredReport } from '../../store/types.js';
import { api } from './api.js';
import { ReportView } from './report-view.js';
import { navigate } from './router.js';

export function HistoryPage() {
  const [items, setItems] = useState<ReportListItem[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loaded, setLoaded] = useState(false);

  async function load(before?: string) {
    try {
      const page = await api.listReports(before);
      setItems((old) => (before ? [...old, ...page.items] : page.items));
      setNext(page.next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoaded(true);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <div>
      <h2>History</h2>
      {error ? <p class="error">{error}</p> : null}
      {loaded && items.length === 0 && !error ? (
        <p>No saved analyses yet. Save one from its report.</p>
      ) : null}
      <ul class="history" data-testid="history">
        {items.map((r) => (
          <li key={r.id}>
            <a href={`/reports/${r.id}`}>{r.title}</a>
            <span class="meta">
              {new Date(r.createdAt).toLocaleString()} · {r.findings} finding{r.findings === 1 ? '' : 's'}
              {r.cause ? ` · ${CAUSE_WORDS[r.cause as Cause] ?? r.cause}` : ''} · {r.inputs.join(', ')}
              {r.note ? ` · ${r.note}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {next ? (
        <button type="button" onClick={() => load(next)}>
          Older
        </button>
      ) : null}
    </div>
  );
}

export function SavedReportPage({ id }: { id: string }) {
  const [saved, setSaved] = useState<StoredReport | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    setSaved(undefined);
    setError(undefined);
    api
      .getReport(id)
      .then(setSaved, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [id]);
  if (error)
    return (
      <p class="error" data-testid="error">
        {error}
      </p>
    );
  if (!saved) return <p>Loading…</p>;
  return (
    <div>
      <div class="saved-head">
        <h2 data-testid="saved-title">{saved.title}</h2>
        <p class="meta">
          Saved {new Date(saved.createdAt).toLocaleString()}
          {saved.note ? ` · ${saved.note}` : ''} · link: <span class="mono">{location.href}</span>
        </p>
        {confirming ? (
          <span>
            Delete this saved analysis for everyone?{' '}
            <button
              type="button"
              class="danger"
              onClick={async () => {
                await api.deleteReport(id);
                navigate('/reports');
              }}
            >
              Delete
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
      </div>
      <ReportView report={saved.report} reportId={saved.id} />
    </div>
  );
}
