/** @module The web UI's calls to the JSON API (same origin only), with upload progress for large traces. */
import type { KbEntry, KbLookupResult } from '../../kb/types.js';
import type { Report } from '../../model/report.js';
import type { ReportListItem, StoredReport } from '../../store/types.js';

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

function failureFrom(status: number, body: unknown): ApiFailure {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (err && typeof err.message === 'string') {
    return new ApiFailure(status, typeof err.code === 'string' ? err.code : 'error', err.message);
  }
  if (status === 413)
    return new ApiFailure(status, 'too-large', 'The upload is larger than this server accepts.');
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
