/** @module The Landscape page: the latest stored `landscape` run — calendar of what breaks next, inventory table, trend. */
import { useEffect, useState } from 'preact/hooks';
import type { LandscapeTrend, PlanItem } from '../../model/landscape.js';
import type { ImportPlan } from '../../model/report.js';
import type { LandscapeRunItem, StoredLandscapeRun } from '../../store/types.js';
import { api } from './api.js';
import './landscape.css';
import { PemDownload } from './pem-download.js';

type Run = StoredLandscapeRun & { trend?: LandscapeTrend };

function when(item: PlanItem): string {
  if (item.daysLeft < 0) return `overdue ${-item.daysLeft} d`;
  if (item.daysLeft === 0) return 'today';
  return `in ${item.daysLeft} d`;
}

/** A plan item's certificates to import, each with its PEM (stored once per run under `pems`). */
function importsOf(item: PlanItem, pems: Record<string, string> | undefined): ImportPlan[] {
  const plans = item.imports ?? (item.import ? [item.import] : []);
  return plans.map((p) => (p.pem || !p.sha256 || !pems?.[p.sha256] ? p : { ...p, pem: pems[p.sha256] }));
}

function where(item: PlanItem): string {
  return [item.system, item.instances?.join(', '), item.pse].filter(Boolean).join(' · ');
}

function Calendar({ plan, pems }: { plan: PlanItem[]; pems: Record<string, string> | undefined }) {
  const months = new Map<string, PlanItem[]>();
  for (const item of plan) {
    const key = item.daysLeft <= 0 ? 'Now' : item.date.slice(0, 7);
    months.set(key, [...(months.get(key) ?? []), item]);
  }
  if (plan.length === 0) return <p>Nothing expires or breaks within the thresholds.</p>;
  return (
    <div data-testid="calendar">
      {[...months.entries()].map(([month, items]) => (
        <section key={month} class="ls-month">
          <h4>{month}</h4>
          <ul class="ls-plan">
            {items.map((item) => (
              <li key={`${item.finding}`} class={`sev-${item.severity}`}>
                <span class="ls-date">
                  {item.date} <span class="meta">({when(item)})</span>
                </span>
                <span class={`badge sev-${item.severity}`}>{item.severity}</span>{' '}
                <details>
                  <summary>{item.title}</summary>
                  <p class="meta" data-testid="plan-where">
                    {where(item)}
                  </p>
                  {importsOf(item, pems).map((plan, i) => (
                    <div key={plan.sha256 ?? plan.subject} class="ls-import">
                      <PemDownload plan={plan} index={i} />
                      {plan.commands.length ? <pre class="mono">{plan.commands.join('\n')}</pre> : null}
                    </div>
                  ))}
                  <ol>
                    {item.steps.map((s) => (
                      <li key={s}>{s}</li>
                    ))}
                  </ol>
                </details>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function Inventory({ run }: { run: Run }) {
  const [filter, setFilter] = useState('');
  const f = filter.trim().toLowerCase();
  const rows = run.snapshot.landscape.pses.filter(
    (p) =>
      !f ||
      `${p.system} ${p.instance} ${p.basename ?? p.file} ${p.own?.subject ?? ''}`.toLowerCase().includes(f),
  );
  return (
    <div>
      <input
        type="search"
        placeholder="Filter: system, instance, PSE, subject"
        value={filter}
        onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
        aria-label="Filter the inventory"
      />
      <div class="ls-table-wrap">
        <table data-testid="inventory">
          <thead>
            <tr>
              <th>System</th>
              <th>Instance</th>
              <th>PSE</th>
              <th>Own certificate</th>
              <th>Not after</th>
              <th>Days left</th>
              <th>Lifetime left</th>
              <th>Trusted</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={`${p.system}/${p.instance}/${p.file}`}>
                <td>{p.system}</td>
                <td>{p.instance}</td>
                <td>
                  {p.basename ?? p.file}
                  {p.node ? <div class="meta">{p.node}</div> : null}
                  {p.problem ? <div class="error small">{p.problem}</div> : null}
                </td>
                <td class="ls-subject">{p.own?.subject ?? ''}</td>
                <td>{p.own?.notAfter?.slice(0, 10) ?? ''}</td>
                <td class={p.own?.daysLeft !== undefined && p.own.daysLeft < 0 ? 'error' : ''}>
                  {p.own?.daysLeft ?? ''}
                </td>
                <td>{p.own?.lifetimeLeft !== undefined ? `${Math.round(p.own.lifetimeLeft * 100)}%` : ''}</td>
                <td>{p.trustedRefs?.length ?? p.trusted?.length ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Trend({ trend }: { trend?: LandscapeTrend }) {
  if (!trend) return <p data-testid="trend">This is the first stored run: the next one says what changed.</p>;
  const lines: string[] = [
    ...trend.findingsNew.map((t) => `New: ${t}`),
    ...trend.findingsGone.map((t) => `Gone: ${t}`),
    ...trend.renewed.map(
      (c) => `Renewed: ${c.pse} ${c.subject} (now until ${c.notAfter?.slice(0, 10) ?? '?'})`,
    ),
    ...trend.added.map((c) => `Added: ${c.pse} ${c.role} ${c.subject}`),
    ...trend.removed.map((c) => `Removed: ${c.pse} ${c.role} ${c.subject}`),
    ...trend.pseAdded.map((p) => `PSE new: ${p}`),
    ...trend.pseRemoved.map((p) => `PSE gone: ${p}`),
  ];
  return (
    <div data-testid="trend">
      <p class="meta">Since the run of {new Date(trend.previousRunAt).toLocaleString()}:</p>
      {lines.length === 0 ? <p>Nothing changed.</p> : null}
      <ul class="ls-trend">
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </div>
  );
}

export function LandscapePage() {
  const [runs, setRuns] = useState<LandscapeRunItem[] | undefined>();
  const [run, setRun] = useState<Run | undefined>();
  const [error, setError] = useState<string | undefined>();
  const show = (id: string) =>
    api
      .landscapeRun(id)
      .then(setRun, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  useEffect(() => {
    api.landscapeRuns().then(
      (page) => {
        setRuns(page.items);
        if (page.items[0]) void show(page.items[0].id);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, []);
  if (error) return <p class="error">{error}</p>;
  if (!runs) return <p>Loading…</p>;
  if (runs.length === 0)
    return (
      <div>
        <h2>Landscape</h2>
        <p>
          No landscape run stored yet. Run <code>pse-doctor landscape collected/</code> with the same history
          database as this server (<code>--db</code>).
        </p>
      </div>
    );
  const l = run?.snapshot.landscape;
  return (
    <div class="landscape">
      <h2>Landscape</h2>
      {run && l ? (
        <>
          <p class="meta" data-testid="run-meta">
            Run of {new Date(run.generatedAt).toLocaleString()}: {l.systems.length} system(s), {l.pses.length}{' '}
            PSE(s), {run.findings} finding(s)
          </p>
          <h3>What breaks next</h3>
          <Calendar plan={l.plan} pems={run.snapshot.pems} />
          <h3>Trend</h3>
          <Trend {...(run.trend ? { trend: run.trend } : {})} />
          <h3>Inventory</h3>
          <Inventory run={run} />
        </>
      ) : (
        <p>Loading…</p>
      )}
      <h3>Runs</h3>
      <ul class="history" data-testid="runs">
        {runs.map((r) => (
          <li key={r.id} class={r.id === run?.id ? 'shown' : ''}>
            <button type="button" class="link" onClick={() => void show(r.id)}>
              {new Date(r.generatedAt).toLocaleString()}
            </button>
            <span class="meta">
              {' '}
              · {r.systems} system(s) · {r.pses} PSE(s) · {r.findings} finding(s)
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
