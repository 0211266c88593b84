/**
 * @module The pse-doctor web server as a hono app: the JSON API (same Report as the CLI), the history,
 * the PEM downloads and the built web UI, behind the security middleware. No request state outside the store.
 */
import { Hono } from 'hono';
import { ToolError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import { reportSchemaErrors } from '../model/report-schema.js';
import { isReportId } from '../store/prepare-report.js';
import { MAX_REPORT_BYTES, type ReportStore } from '../store/types.js';
import { TOOL_VERSION } from '../version.js';
import { ApiError, errorResponse, sendError } from './api-error.js';
import { clearedSessionCookie, requireToken, safeNextPath, sameSecret, sessionCookie } from './auth.js';
import { registerLandscapeRoutes } from './landscape-routes.js';
import { LOGIN_CSS, renderLoginPage } from './login-page.js';
import { readProbeForm } from './probe-form.js';
import { mediaType, readBodyText } from './request-body.js';
import { hostCheck, sameOriginWrites, securityHeaders } from './security.js';
import type { ProbeRequest, ServerServices } from './services.js';
import { loadWebAssets, type WebAssets } from './static-files.js';
import { readUpload } from './upload.js';

export interface AppConfig {
  store: ReportStore;
  services: ServerServices;
  /** Largest upload for /api/analyze (bytes). */
  maxUploadBytes: number;
  /** Allow POST /api/probe (the server then connects to hosts users name). */
  enableProbe?: boolean;
  /** Require this token (team mode). */
  token?: string;
  /** Host header values to accept (set when bound to loopback); undefined accepts any. */
  allowedHosts?: ReadonlySet<string>;
  /** The built UI; loaded from dist/web when omitted. */
  web?: WebAssets;
  /** Where operational messages go (never request bodies). */
  log?: (line: string) => void;
  /** Requests with a body (uploads, saves, probes) handled at once; more are answered 503 (default 64). */
  maxConcurrentUploads?: number;
}

/**
 * Default cap on requests with a body handled at the same time: far below the 1,024 connections the
 * server keeps, and above the 32 clients that may all send a body at once (with 16, a burst of 32
 * uploads whose bodies arrived together got 503s).
 */
export const MAX_CONCURRENT_UPLOADS = 64;
/** Uploads read whole that wait for an analysis worker stop counting against that cap up to this many bytes. */
export const MAX_WAITING_BYTES = 128 * 1024 * 1024;

/** Page routes of the single-page UI; each serves index.html. */
const PAGE_ROUTES = [
  '/',
  '/explain',
  '/explain/:id',
  '/reports',
  '/reports/:id',
  '/pse',
  '/probe',
  '/landscape',
];
const PEM_RE = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]{1,65536}-----END CERTIFICATE-----\s*$/;
const MAX_QUERY = 500;

/**
 * A file name safe for Content-Disposition. A clean name from the plan is kept as is (its `sapgenpse`
 * command names that very file); anything else is reduced to safe characters.
 */
function pemFileName(name: string | undefined, n: number): string {
  if (name && /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(?:pem|crt|cer)$/.test(name)) return name;
  const base = (name ?? '')
    .replace(/\.(pem|crt|cer|der)$/i, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 100);
  return `${base.replace(/^[._]+/, '') || `certificate-${n}`}.pem`;
}

async function readJson(c: Parameters<typeof readBodyText>[0], limit: number): Promise<unknown> {
  if (mediaType(c) !== 'application/json') {
    throw new ApiError(415, 'unsupported-media-type', 'Send application/json.');
  }
  const text = await readBodyText(c, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'bad-json', 'The body is not valid JSON.');
  }
}

/** Builds the app. The caller owns the store (and closes it). */
export function createApp(config: AppConfig): Hono {
  const { store, services } = config;
  const log = config.log ?? (() => {});
  const web = config.web ?? loadWebAssets();
  const app = new Hono();

  app.use('*', securityHeaders());
  app.use('*', hostCheck(config.allowedHosts));
  app.use('*', sameOriginWrites());
  app.onError((err, c) => errorResponse(c, err, log));
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? sendError(c, 404, 'not-found', `No API route ${c.req.method} ${c.req.path}.`)
      : c.text('Not found', 404),
  );

  // A cap on requests with a body in progress: slow (drip) uploads cannot pile up and exhaust the
  // server's file descriptors; the ones over the cap are answered at once and their connection closed.
  const maxBodies = config.maxConcurrentUploads ?? MAX_CONCURRENT_UPLOADS;
  let bodies = 0;
  /** Per request: stop counting it against the cap (its body is read and it waits for a worker). */
  const bodyDone = new WeakMap<object, () => void>();
  /** Bytes of uploads read whole that wait for (or are in) an analysis worker. */
  let waitingBytes = 0;
  app.use('/api/*', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    if (bodies >= maxBodies) {
      c.header('Connection', 'close');
      return sendError(
        c,
        503,
        'busy',
        `The server is handling ${maxBodies} uploads already; try again in a few seconds.`,
      );
    }
    bodies++;
    let counted = true;
    const release = () => {
      if (counted) {
        counted = false;
        bodies--;
      }
    };
    bodyDone.set(c, release);
    try {
      await next();
    } finally {
      release();
    }
  });

  if (config.token) {
    const token = config.token;
    app.get('/login', (c) => c.html(renderLoginPage(safeNextPath(c.req.query('next')), false)));
    app.get('/login.css', (c) => c.body(LOGIN_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
    app.post('/login', async (c) => {
      if (mediaType(c) !== 'application/x-www-form-urlencoded') {
        throw new ApiError(415, 'unsupported-media-type', 'Send the login form.');
      }
      const form = new URLSearchParams(await readBodyText(c, 8192));
      const next = safeNextPath(form.get('next') ?? undefined);
      if (!sameSecret(form.get('token') ?? '', token)) {
        return c.html(renderLoginPage(next, true), 401);
      }
      const secure = new URL(c.req.url).protocol === 'https:';
      c.header('Set-Cookie', sessionCookie(token, secure));
      return c.redirect(next, 303);
    });
    app.post('/logout', (c) => {
      c.header('Set-Cookie', clearedSessionCookie());
      return c.redirect('/login', 303);
    });
    app.use('*', requireToken(token));
  }

  app.get('/api/health', async (c) => {
    await store.list({ limit: 1 });
    return c.json({ ok: true });
  });

  registerLandscapeRoutes(app, store);

  app.get('/api/config', (c) =>
    c.json({
      tool: 'pse-doctor',
      version: TOOL_VERSION,
      maxUploadBytes: config.maxUploadBytes,
      probeEnabled: Boolean(config.enableProbe && services.probe),
      store: store.kind,
      auth: Boolean(config.token),
    }),
  );

  async function analyzeUpload(c: Parameters<typeof readUpload>[0], wholeOnly: boolean): Promise<Response> {
    const upload = await readUpload(c, { maxBytes: config.maxUploadBytes, wholeOnly });
    if (upload.inputs.length === 0) {
      await upload.finish();
      throw new ApiError(
        400,
        'empty-input',
        wholeOnly ? 'No PSE file in the upload.' : 'Nothing to analyze: drop a file or paste text.',
      );
    }
    const whole = upload.inputs.filter((i): i is { name: string; bytes: Buffer } => 'bytes' in i);
    if (services.analyzeToJson && !upload.secrets && whole.length === upload.inputs.length) {
      // Held whole in memory and no secret: a worker thread analyses it and sends the JSON back. Its
      // body is read, so it no longer counts as an upload in progress (the cap is on slow uploads
      // holding connections) as long as the uploads waiting for a worker stay under MAX_WAITING_BYTES.
      const size = whole.reduce((n, i) => n + i.bytes.length, 0);
      if (waitingBytes + size <= MAX_WAITING_BYTES) bodyDone.get(c)?.();
      waitingBytes += size;
      let json: Uint8Array;
      try {
        json = await services.analyzeToJson(whole);
      } finally {
        waitingBytes -= size;
      }
      return c.body(json as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json' });
    }
    let report: Report;
    try {
      report = await services.analyze(upload.inputs, upload.secrets ? { secrets: upload.secrets } : {});
    } catch (err) {
      // A size or format error of the streamed body decides the answer even when a reader re-wrapped it.
      throw upload.streamError() ?? err;
    }
    const streamErr = upload.streamError();
    if (streamErr) throw streamErr;
    await upload.finish();
    return c.json(report);
  }

  app.post('/api/analyze', (c) => analyzeUpload(c, false));
  app.post('/api/pse', (c) => analyzeUpload(c, true));

  app.post('/api/probe', async (c) => {
    if (!config.enableProbe || !services.probe) {
      throw new ApiError(
        403,
        'probe-disabled',
        'Live probes are off on this server: whoever runs it can allow them with the enable-probe option of the serve command.',
      );
    }
    const form = mediaType(c) === 'multipart/form-data' ? await readProbeForm(c) : undefined;
    const body = form ?? ((await readJson(c, 16 * 1024)) as Partial<ProbeRequest> | null);
    const target = typeof body?.target === 'string' ? body.target.trim() : '';
    if (!target || target.length > 300 || !/^[A-Za-z0-9.:\-[\]/_%~?=&]+$/.test(target)) {
      throw new ApiError(400, 'bad-target', 'Give a host name, host:port or https:// URL to probe.');
    }
    const port = body?.port;
    if (port !== undefined && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)) {
      throw new ApiError(400, 'bad-target', 'The port must be a number from 1 to 65535.');
    }
    // Trust list, client identity and proxy come only with the form (multipart), never as JSON.
    const request: ProbeRequest = form ? { ...form, target } : { target };
    if (port !== undefined) request.port = port as number;
    if (typeof body?.sni === 'boolean') request.sni = body.sni;
    return c.json(await services.probe(request));
  });

  app.get('/api/explain', (c) => {
    const q = c.req.query('q');
    if (q === undefined || q.trim() === '') {
      return c.json({
        entries: services
          .listEntries()
          .map((e) => ({ id: e.id, kind: e.kind, title: e.title, aliases: e.aliases })),
      });
    }
    if (q.length > MAX_QUERY)
      throw new ApiError(400, 'bad-query', `The search text is longer than ${MAX_QUERY} characters.`);
    return c.json(services.lookup(q));
  });

  app.get('/api/explain/:id', (c) => {
    const id = c.req.param('id');
    const entry = id.length <= 200 ? services.getEntry(id) : undefined;
    if (!entry)
      throw new ApiError(404, 'unknown-kb-id', `No knowledge-base entry for "${id.slice(0, 200)}".`);
    return c.json(entry);
  });

  app.get('/api/reports', async (c) => {
    const limitText = c.req.query('limit');
    const before = c.req.query('before');
    const limit = limitText !== undefined && /^\d{1,4}$/.test(limitText) ? Number(limitText) : undefined;
    const items = await store.list({
      ...(limit !== undefined ? { limit } : {}),
      ...(before ? { before } : {}),
    });
    const last = items[items.length - 1];
    return c.json({ items, ...(last && items.length === (limit ?? 50) ? { next: last.id } : {}) });
  });

  app.post('/api/reports', async (c) => {
    const body = (await readJson(c, MAX_REPORT_BYTES + 64 * 1024)) as {
      report?: unknown;
      title?: unknown;
      note?: unknown;
    } | null;
    if (!body || typeof body !== 'object' || body.report === undefined) {
      throw new ApiError(400, 'bad-request', 'Send { "report": <the Report>, "title"?: "…", "note"?: "…" }.');
    }
    // The whole Report contract (docs/report.schema.json) at the boundary: every viewer can render what is stored.
    const problems = reportSchemaErrors(body.report);
    if (problems.length > 0)
      throw new ToolError('invalid-report', {
        reason: `it does not match the Report format (docs/report.schema.json): ${problems.join('; ')}`,
      });
    const meta: { title?: string; note?: string } = {};
    if (body.title !== undefined) meta.title = body.title as string;
    if (body.note !== undefined) meta.note = body.note as string;
    const id = await store.save(body.report as Report, meta);
    return c.json({ id, url: `/reports/${id}` }, 201, { Location: `/api/reports/${id}` });
  });

  app.get('/api/reports/:id', async (c) => {
    const id = c.req.param('id');
    const saved = isReportId(id) ? await store.get(id) : undefined;
    if (!saved)
      throw new ApiError(404, 'report-not-found', 'No saved report with that id (it may have been deleted).');
    return c.json(saved);
  });

  app.delete('/api/reports/:id', async (c) => {
    const id = c.req.param('id');
    if (!isReportId(id) || !(await store.delete(id))) {
      throw new ApiError(404, 'report-not-found', 'No saved report with that id.');
    }
    return c.body(null, 204);
  });

  app.get('/api/import/:reportId/:file', async (c) => {
    const id = c.req.param('reportId');
    const m = /^(\d{1,4})\.pem$/.exec(c.req.param('file'));
    const saved = m && isReportId(id) ? await store.get(id) : undefined;
    const n = m ? Number(m[1]) : -1;
    const plan = saved?.report.findings[n]?.import;
    if (!plan?.pem || !PEM_RE.test(plan.pem)) {
      throw new ApiError(404, 'pem-not-found', 'That saved report has no certificate PEM for this finding.');
    }
    return c.body(plan.pem, 200, {
      'Content-Type': 'application/x-pem-file',
      'Content-Disposition': `attachment; filename="${pemFileName(plan.fileName ?? plan.subject, n)}"`,
    });
  });

  for (const [path, asset] of web.files) {
    app.get(path, (c) =>
      c.body(new Uint8Array(asset.body), 200, {
        'Content-Type': asset.type,
        'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      }),
    );
  }
  for (const route of PAGE_ROUTES) {
    app.get(route, (c) => {
      if (!web.index) {
        return c.text('The web UI is not built. Run "npm run build" (or use the JSON API under /api/).', 503);
      }
      return c.body(new Uint8Array(web.index.body), 200, {
        'Content-Type': web.index.type,
        'Cache-Control': 'no-cache',
      });
    });
  }
  return app;
}
