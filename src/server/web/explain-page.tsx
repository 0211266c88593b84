/** @module The knowledge base in the browser: search, and one stable URL per entry (`/explain/WSS040`). */
import { useEffect, useState } from 'preact/hooks';
import type { KbBlock, KbEntry, KbLookupResult } from '../../kb/types.js';
import { api } from './api.js';
import { navigate } from './router.js';
import { ToolText } from './tool-text.js';

/**
 * Inline markdown of kb text: `code` and **bold**, rendered as elements; everything else as text nodes. A
 * pse-doctor command the text names becomes a link to this app's page that does it.
 */
function Inline({ text }: { text: string }) {
  return <ToolText text={text} render={(piece, key) => <Markdown key={key} text={piece} />} />;
}

function Markdown({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((p, i) =>
        // Odd pieces sit between backticks; an unmatched final backtick leaves plain text.
        i % 2 === 1 && i < parts.length - 1 ? <code key={i}>{p}</code> : <Bold key={i} text={p} />,
      )}
    </>
  );
}

function Bold({ text }: { text: string }) {
  const parts = text.split('**');
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 && i < parts.length - 1 ? <strong key={i}>{p}</strong> : <span key={i}>{p}</span>,
      )}
    </>
  );
}

function Block({ block }: { block: KbBlock }) {
  if (block.type === 'paragraph')
    return (
      <p>
        <Inline text={block.text} />
      </p>
    );
  if (block.type === 'code')
    return (
      <pre class="mono">
        {block.text.split('\n').map((line, i) => (
          <span key={i}>
            {i > 0 ? '\n' : ''}
            <ToolText text={line} />
          </span>
        ))}
      </pre>
    );
  const items = block.items.map((item, i) => (
    <li key={i}>
      <Inline text={item} />
    </li>
  ));
  return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
}

function EntryView({ entry }: { entry: KbEntry }) {
  return (
    <article class="kb-entry" data-testid="kb-entry">
      <p class="meta">
        {entry.kind}
        {entry.family ? ` · ${entry.family}` : ''}
        {entry.number !== undefined ? ` · ${entry.number}` : ''}
      </p>
      <h2>
        <span class="mono">{entry.id}</span> — {entry.title}
      </h2>
      {entry.shortText ? <p class="short mono">{entry.shortText}</p> : null}
      {entry.aliases.length ? <p class="meta">Also: {entry.aliases.join(', ')}</p> : null}
      {entry.sections.map((s) => (
        <section key={s.key}>
          <h3>{s.heading}</h3>
          {s.blocks.map((b, i) => (
            <Block key={i} block={b} />
          ))}
        </section>
      ))}
      {entry.notes.length ? <p>SAP Notes: {entry.notes.join(', ')}</p> : null}
      {entry.related.length ? (
        <p class="kb" data-testid="kb-related">
          Related:{' '}
          {entry.related.map((id) => (
            <a key={id} class="kb-link" href={`/explain/${encodeURIComponent(id)}`}>
              {id}
            </a>
          ))}
        </p>
      ) : null}
    </article>
  );
}

type IndexEntry = { id: string; kind: string; title: string; aliases?: string[] };

/** Entries whose id, alias or title contains every word typed (instant filter over the loaded index). */
export function filterIndex(index: readonly IndexEntry[], text: string): IndexEntry[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...index];
  return index.filter((e) => {
    const hay = `${e.id} ${(e.aliases ?? []).join(' ')} ${e.title}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** The entry whose id or alias is exactly `text` (case-insensitive), if any. */
function exactEntry(index: readonly IndexEntry[] | undefined, text: string): IndexEntry | undefined {
  const t = text.trim().toLowerCase();
  if (!t || !index) return undefined;
  return index.find((e) => e.id.toLowerCase() === t || (e.aliases ?? []).some((a) => a.toLowerCase() === t));
}

export function ExplainPage({ id, query }: { id?: string; query?: string }) {
  const [q, setQ] = useState(query ?? '');
  const [entry, setEntry] = useState<KbEntry | undefined>();
  const [result, setResult] = useState<KbLookupResult | undefined>();
  const [index, setIndex] = useState<IndexEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [typed, setTyped] = useState(false);

  useEffect(() => {
    if (!index)
      api.explainIndex().then(
        (r) => setIndex(r.entries),
        () => undefined,
      );
  }, []);
  useEffect(() => {
    setError(undefined);
    setEntry(undefined);
    setResult(undefined);
    setTyped(false);
    const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
    if (id) api.explainEntry(id).then(setEntry, fail);
    else if (query) api.explainSearch(query).then(setResult, fail);
  }, [id, query]);

  const submit = () => {
    const text = q.trim();
    if (!text) return;
    const exact = exactEntry(index, text);
    navigate(exact ? `/explain/${encodeURIComponent(exact.id)}` : `/explain?q=${encodeURIComponent(text)}`);
  };
  const live = typed && index ? filterIndex(index, q).slice(0, 60) : undefined;

  return (
    <div>
      <form
        class="search row"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <input
          type="search"
          value={q}
          data-testid="explain-q"
          placeholder="Code, message or text: WSS040, -102, SSSLERR_PEER_CERT_UNTRUSTED, icm/HTTPS/client_sni_enabled"
          onInput={(e) => {
            setQ((e.target as HTMLInputElement).value);
            setTyped(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
          }}
          aria-label="Search the knowledge base"
        />
        <button type="submit" data-testid="explain-go">
          Explain
        </button>
      </form>
      {error ? (
        <p class="error" data-testid="error">
          {error}
        </p>
      ) : null}
      {live ? (
        <div data-testid="explain-live">
          <p class="note">
            {live.length === 0
              ? 'No id or title contains that; press Enter to search the texts as well.'
              : `${live.length === 60 ? 'First 60' : live.length} match${live.length === 1 ? '' : 'es'} as you type; Enter searches the texts as well.`}
          </p>
          <ul class="matches">
            {live.map((e) => (
              <li key={e.id}>
                <a href={`/explain/${encodeURIComponent(e.id)}`}>
                  <span class="mono">{e.id}</span>
                </a>{' '}
                <span class="meta">{e.kind}</span> — {e.title}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {entry && !live ? <EntryView entry={entry} /> : null}
      {result && !live ? (
        <div data-testid="explain-results">
          {result.hint ? <p class="note">{result.hint}</p> : null}
          {result.matches.length === 0 ? <p>Nothing matches "{result.query}".</p> : null}
          <ul class="matches">
            {result.matches.map((m) => (
              <li key={m.entry.id}>
                <a href={`/explain/${encodeURIComponent(m.entry.id)}`}>
                  <span class="mono">{m.entry.id}</span>
                </a>{' '}
                — {m.entry.title}
                {m.reason === 'exact' ? <span class="badge">exact</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!id && !query && index && !live ? (
        <ul class="matches" data-testid="explain-index">
          {index.map((e) => (
            <li key={e.id}>
              <a href={`/explain/${encodeURIComponent(e.id)}`}>
                <span class="mono">{e.id}</span>
              </a>{' '}
              <span class="meta">{e.kind}</span> — {e.title}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
