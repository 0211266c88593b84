/** @module The knowledge base in the browser: search, and one stable URL per entry (`/explain/WSS040`). */
import { useEffect, useState } from 'preact/hooks';
import type { KbBlock, KbEntry, KbLookupResult } from '../../kb/types.js';
import { api } from './api.js';
import { navigate } from './router.js';

/** Text with `code` spans, rendered as text nodes and <code> elements. */
function Inline({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((p, i) =>
        // Odd pieces sit between backticks; an unmatched final backtick leaves plain text.
        i % 2 === 1 && i < parts.length - 1 ? <code key={i}>{p}</code> : <span key={i}>{p}</span>,
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
  if (block.type === 'code') return <pre class="mono">{block.text}</pre>;
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
        <p>
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

export function ExplainPage({ id, query }: { id?: string; query?: string }) {
  const [q, setQ] = useState(query ?? '');
  const [entry, setEntry] = useState<KbEntry | undefined>();
  const [result, setResult] = useState<KbLookupResult | undefined>();
  const [index, setIndex] = useState<{ id: string; kind: string; title: string }[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    setError(undefined);
    setEntry(undefined);
    setResult(undefined);
    const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
    if (id) api.explainEntry(id).then(setEntry, fail);
    else if (query) api.explainSearch(query).then(setResult, fail);
    else if (!index) api.explainIndex().then((r) => setIndex(r.entries), fail);
  }, [id, query]);

  return (
    <div>
      <form
        class="search row"
        onSubmit={(e) => {
          e.preventDefault();
          if (q.trim()) navigate(`/explain?q=${encodeURIComponent(q.trim())}`);
        }}
      >
        <input
          type="search"
          value={q}
          data-testid="explain-q"
          placeholder="Code, message or text: WSS040, -102, SSSLERR_PEER_CERT_UNTRUSTED, icm/HTTPS/client_sni_enabled"
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
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
      {entry ? <EntryView entry={entry} /> : null}
      {result ? (
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
      {!id && !query && index ? (
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
