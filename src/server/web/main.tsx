/** @module The web UI's entry: navigation, routes (each page has its own URL) and the server config. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AnalyzePage } from './analyze-page.js';
import { api, type ServerConfig } from './api.js';
import { ExplainPage } from './explain-page.js';
import { HistoryPage, SavedReportPage } from './history-page.js';
import { LandscapePage } from './landscape-page.js';
import { ProbePage } from './probe-page.js';
import { PsePage } from './pse-page.js';
import { interceptLinks, useLocation } from './router.js';
import './style.css';

const NAV: [string, string][] = [
  ['/', 'Analyze'],
  ['/explain', 'Explain'],
  ['/pse', 'PSE'],
  ['/probe', 'Probe'],
  ['/reports', 'History'],
  ['/landscape', 'Landscape'],
];

function Page({ path, query, config }: { path: string; query: URLSearchParams; config?: ServerConfig }) {
  const explain = /^\/explain\/([^/]{1,200})$/.exec(path);
  if (explain) return <ExplainPage id={decodeURIComponent(explain[1]!)} />;
  if (path === '/explain') {
    const q = query.get('q') ?? undefined;
    return <ExplainPage {...(q ? { query: q } : {})} />;
  }
  const saved = /^\/reports\/([0-9a-f-]{36})$/.exec(path);
  if (saved) return <SavedReportPage id={saved[1]!} />;
  if (path === '/reports') return <HistoryPage />;
  if (path === '/pse') return <PsePage />;
  if (path === '/landscape') return <LandscapePage />;
  if (path === '/probe') return <ProbePage {...(config ? { config } : {})} />;
  if (path === '/') return <AnalyzePage {...(config ? { config } : {})} />;
  return (
    <p>
      No page here. Start from <a href="/">Analyze</a>.
    </p>
  );
}

function App() {
  const { path, query } = useLocation();
  const [config, setConfig] = useState<ServerConfig | undefined>();
  useEffect(() => {
    api.config().then(setConfig, () => undefined);
  }, []);
  const section = `/${path.split('/')[1] ?? ''}`;
  return (
    <>
      <header class="top">
        <a href="/" class="brand">
          pse-doctor
        </a>
        <nav>
          {NAV.map(([href, label]) => (
            <a key={href} href={href} class={section === href ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        {config?.auth ? (
          <form method="post" action="/logout" class="logout">
            <button type="submit" class="link">
              Log out
            </button>
          </form>
        ) : null}
      </header>
      <main>
        <Page path={path} query={query} {...(config ? { config } : {})} />
      </main>
      <footer>
        pse-doctor {config?.version ?? ''} · everything runs on this server · history in{' '}
        {config?.store ?? '…'}
      </footer>
    </>
  );
}

interceptLinks();
render(<App />, document.getElementById('app')!);
