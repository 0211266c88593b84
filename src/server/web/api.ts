/** @module The web UI's calls to the JSON API (same origin only), with upload progress for large traces. */
import type { KbEntry, KbLookupResult } from '../../kb/types.js';
import type { LandscapeTrend } from '../../model/landscape.js';
import type { Report } from '../../model/report.js';
import type {
  LandscapeRunItem,
  ReportListItem,
  StoredLandscapeRun,
  StoredReport,
} from '../../store/types.js';

/** An error answer of the API, with its code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ServerConfig {
  version: string;
  maxUploadBytes: number;
  probeEnabled: boolean;
  store: 'sqlite' | 'postgres';
  auth: boolean;
}

/** The name an error message starts with (`SAPSSLC.pse is PIN-protected…`), for web wording. */
function subjectOf(message: string): string {
  return /^(\S{1,200}) is /.exec(message)?.[1] ?? 'The file';
}

/**
 * Error answers in the web's own words: the server's messages for some input errors speak command line
 * (PIN files, environment variables); here the form has a field for it.
 */
function webMessage(code: string, message: string): string {
  if (code === 'pin-required')
    return `${subjectOf(message)} is protected by a PIN: type its PIN in the PIN field and try again. The PIN is used once and never stored.`;
  if (code === 'password-required')
    return `${subjectOf(message)} is protected by a password: type it in the PIN / password field and try again.`;
  if (code === 'too-large')
    return `${message.replace(/\.?$/, '.')} A gzipped trace (dev_icm.gz) is accepted and far smaller; or ask whoever runs this server to raise its upload limit.`;
  return message;
}

function failureFrom(status: number, body: unknown): ApiFailure {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (err && typeof err.message === 'string') {
    const code = typeof err.code === 'string' ? err.code : 'error';
    return new ApiFailure(status, code, webMessage(code, err.message));
  }
  if (status === 413)
    return new ApiFailure(
      status,
      'too-large',
      webMessage('too-large', 'The upload is larger than this server accepts.'),
    );
  return new ApiFailure(status, 'http', `The server answered ${status}.`);
}

async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin', ...init });
  if (res.status === 401) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw failureFrom(res.status, body);
  return body as T;
}

export const api = {
  config: () => request<ServerConfig>('/api/config'),
  explainIndex: () =>
    request<{ entries: Pick<KbEntry, 'id' | 'kind' | 'title' | 'aliases'>[] }>('/api/explain'),
  explainSearch: (q: string) => request<KbLookupResult>(`/api/explain?q=${encodeURIComponent(q)}`),
  explainEntry: (id: string) => request<KbEntry>(`/api/explain/${encodeURIComponent(id)}`),
  listReports: (before?: string) =>
    request<{ items: ReportListItem[]; next?: string }>(
      `/api/reports?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`,
    ),
  getReport: (id: string) => request<StoredReport>(`/api/reports/${encodeURIComponent(id)}`),
  saveReport: (report: Report, title: string, note: string) =>
    request<{ id: string; url: string }>('/api/reports', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ report, ...(title ? { title } : {}), ...(note ? { note } : {}) }),
    }),
  deleteReport: (id: string) => request<void>(`/api/reports/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  landscapeRuns: () => request<{ items: LandscapeRunItem[] }>('/api/landscape/runs?limit=50'),
  landscapeRun: (id: string) =>
    request<StoredLandscapeRun & { trend?: LandscapeTrend }>(`/api/landscape/runs/${encodeURIComponent(id)}`),
  probe: (target: string, sni: boolean) =>
    request<Report>('/api/probe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ target, sni }),
    }),
};

/** Progress of an upload: bytes sent so far of `total`; `done` once the server is analysing. */
export interface UploadProgress {
  loaded: number;
  total: number;
  done: boolean;
}

/**
 * Posts a form with XMLHttpRequest (fetch cannot report upload progress) and resolves with the JSON answer.
 */
export function uploadForm<T>(
  url: string,
  form: FormData,
  onProgress: (p: UploadProgress) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) =>
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0, done: false });
    xhr.upload.onload = () => onProgress({ loaded: 1, total: 1, done: true });
    xhr.onerror = () =>
      reject(new ApiFailure(0, 'network', 'The upload failed: the connection to the server broke.'));
    xhr.onload = () => {
      if (xhr.status === 401) location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(failureFrom(xhr.status, body));
    };
    xhr.send(form);
  });
}

/** `12.3 MB`. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
