/** @module The start page: drop files or paste text → the report, with upload progress and "save to history". */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Report } from '../../model/report.js';
import { ApiFailure, api, formatBytes, type ServerConfig, type UploadProgress, uploadForm } from './api.js';
import { ReportView } from './report-view.js';

/** The "save to history" box under a fresh report; shows the report's own URL once saved. */
export function SaveBox({ report }: { report: Report }) {
  if (report.findings.length === 0) return null;
  return <SaveForm report={report} />;
}

function SaveForm({ report }: { report: Report }) {
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<{ id: string; url: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setSaved(undefined);
    setError(undefined);
  }, [report]);
  if (saved) {
    const full = `${location.origin}${saved.url}`;
    return (
      <div class="save-box saved" data-testid="saved">
        Saved. Link for the ticket:{' '}
        <a href={saved.url} data-testid="saved-link">
          {full}
        </a>
      </div>
    );
  }
  return (
    <form
      class="save-box"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          setSaved(await api.saveReport(report, title.trim(), note.trim()));
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <strong>Keep this analysis?</strong> Nothing is stored until you save it.
      <div class="row">
        <input
          type="text"
          placeholder={report.findings[0]?.title ?? 'Title'}
          value={title}
          maxLength={200}
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          aria-label="Title"
        />
        <input
          type="text"
          placeholder="Note, e.g. ticket number"
          value={note}
          maxLength={2000}
          onInput={(e) => setNote((e.target as HTMLInputElement).value)}
          aria-label="Note"
        />
        <button type="submit" disabled={busy} data-testid="save">
          Save to history
        </button>
      </div>
      {error ? <p class="error">{error}</p> : null}
    </form>
  );
}

/**
 * Brings the result into view once it has rendered: the report's head (the next action, the summary) at the
 * top of the window, or — when that would push it below the fold — the first finding itself.
 */
export function scrollToResult(): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const head = document.querySelector('[data-testid=report]');
      const title = document.querySelector('[data-testid=finding] h3');
      if (!head) return;
      head.scrollIntoView({ block: 'start' });
      const box = title?.getBoundingClientRect();
      if (title && box && box.bottom > window.innerHeight) title.scrollIntoView({ block: 'start' });
    }),
  );
}

/** Upload progress bar: bytes sent, then "analysing". */
export function Progress({ progress }: { progress: UploadProgress }) {
  if (progress.done)
    return (
      <p class="progress" data-testid="progress">
        Uploaded — analysing…
      </p>
    );
  const pct = progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  return (
    <p class="progress" data-testid="progress">
      <progress max={100} value={pct} /> Uploading {formatBytes(progress.loaded)}
      {progress.total ? ` of ${formatBytes(progress.total)}` : ''} ({pct}%)
    </p>
  );
}

export function AnalyzePage({ config }: { config?: ServerConfig }) {
  const [files, setFiles] = useState<File[]>([]);
  const [text, setText] = useState('');
  const [pin, setPin] = useState('');
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [report, setReport] = useState<Report | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);

  const addFiles = (list: FileList | null | undefined) => {
    if (!list) return;
    setFiles((old) => [...old, ...Array.from(list)]);
  };

  async function submit(e: Event) {
    e.preventDefault();
    setError(undefined);
    const total = files.reduce((n, f) => n + f.size, 0) + new Blob([text]).size;
    if (files.length === 0 && text.trim() === '') {
      setError('Drop a file or paste text first.');
      return;
    }
    if (config && total > config.maxUploadBytes) {
      setError(
        `That is ${formatBytes(total)}; this server accepts up to ${formatBytes(config.maxUploadBytes)} per analysis. A gzipped trace (dev_icm.gz) is accepted and is far smaller; or ask whoever runs this server to raise its upload limit.`,
      );
      return;
    }
    const form = new FormData();
    // The PIN first: the server needs it while the PSE streams past. Then the inputs, smallest first,
    // so the one large trace comes last and streams without being held in memory.
    if (pin) form.append('pin', pin);
    const inputs: { size: number; add: () => void }[] = files.map((f) => ({
      size: f.size,
      add: () => form.append('files', f, f.name),
    }));
    if (text.trim()) inputs.push({ size: new Blob([text]).size, add: () => form.append('text', text) });
    for (const i of inputs.sort((a, b) => a.size - b.size)) i.add();
    setProgress({ loaded: 0, total, done: false });
    setReport(undefined);
    try {
      const r = await uploadForm<Report>('/api/analyze', form, setProgress);
      setReport(r);
      scrollToResult();
    } catch (err) {
      setError(err instanceof ApiFailure || err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(undefined);
      setPin('');
    }
  }

  return (
    <div>
      <form class="analyze" onSubmit={submit}>
        <section
          id="drop"
          aria-label="Drop files here"
          class={`drop${dragging ? ' dragging' : ''}`}
          data-testid="drop"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            addFiles(e.dataTransfer?.files);
          }}
        >
          <p>
            Drop ICM traces (dev_icm), PSE files, sapgenpse listings or certificates here, or{' '}
            <button type="button" class="link" onClick={() => fileInput.current?.click()}>
              choose files
            </button>
            .
          </p>
          <input
            ref={fileInput}
            type="file"
            multiple
            class="hidden"
            data-testid="file-input"
            onChange={(e) => {
              addFiles((e.target as HTMLInputElement).files);
              (e.target as HTMLInputElement).value = '';
            }}
          />
          {files.length ? (
            <ul class="files" data-testid="files">
              {files.map((f, i) => (
                <li key={`${i}-${f.name}`}>
                  <span class="mono">{f.name}</span> ({formatBytes(f.size)}){' '}
                  <button
                    type="button"
                    class="link"
                    onClick={() => setFiles(files.filter((_, j) => j !== i))}
                  >
                    remove
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <label class="block">
          …or paste an error message or trace excerpt <span class="note small">(Ctrl+Enter analyzes)</span>
          <textarea
            rows={8}
            value={text}
            data-testid="paste"
            placeholder="SSL handshake with github.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)"
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                (e.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
              }
            }}
          />
        </label>
        <label class="pin-field">
          <span>
            PSE PIN{' '}
            <span class="note small">(only for PIN-protected PSE files; used once, never stored)</span>
          </span>
          <input
            type="password"
            autocomplete="off"
            value={pin}
            data-testid="analyze-pin"
            onInput={(e) => setPin((e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="row">
          <button type="submit" class="primary" disabled={!!progress} data-testid="analyze">
            Analyze
          </button>
          {files.length || text ? (
            <button
              type="button"
              onClick={() => {
                setFiles([]);
                setText('');
                setReport(undefined);
                setError(undefined);
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
        {progress ? <Progress progress={progress} /> : null}
        {error ? (
          <p class="error" role="alert" data-testid="error">
            {error}
          </p>
        ) : null}
      </form>
      {report ? <ReportView report={report} after={<SaveBox report={report} />} /> : null}
    </div>
  );
}
