/** @module The Landscape page's API: stored `landscape` runs (read-only), newest first, and one run's snapshot. */
import type { Hono } from 'hono';
import { compareRuns } from '../landscape/trend.js';
import { MAX_LIST_LIMIT, type ReportStore } from '../store/types.js';
import { sendError } from './api-error.js';

/**
 * `GET /api/landscape/runs?limit=n` and `GET /api/landscape/runs/:id` (`latest` = the newest run). A run
 * comes with `trend`: what changed since the run stored before it.
 */
export function registerLandscapeRoutes(app: Hono, store: ReportStore): void {
  app.get('/api/landscape/runs', async (c) => {
    const raw = c.req.query('limit');
    const limit = raw && /^\d{1,4}$/.test(raw) ? Math.min(Number(raw), MAX_LIST_LIMIT) : 50;
    return c.json({ items: await store.listLandscapeRuns(limit) });
  });
  app.get('/api/landscape/runs/:id', async (c) => {
    const id = c.req.param('id');
    const runId = id === 'latest' ? (await store.listLandscapeRuns(1))[0]?.id : id;
    const run = runId ? await store.getLandscapeRun(runId) : undefined;
    if (!run) {
      return sendError(
        c,
        404,
        'not-found',
        'No landscape run with this id. Run "pse-doctor landscape <collected>" with the same --db.',
      );
    }
    const runs = await store.listLandscapeRuns(MAX_LIST_LIMIT);
    const at = runs.findIndex((r) => r.id === run.id);
    const previousId = at >= 0 ? runs[at + 1]?.id : undefined;
    const previous = previousId ? await store.getLandscapeRun(previousId) : undefined;
    return c.json(
      previous ? { ...run, trend: compareRuns(previous.snapshot, run.snapshot, previous.id) } : run,
    );
  });
}
