import { StrictMode, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptTokenFromUrl, api, getToken, setToken } from './api.js';
import { Link, match, useLocation } from './router.js';
import type { Me } from './types.js';
import { Loading, useApi } from './ui.js';
import { CampaignPage, CampaignsPage } from './pages/campaigns.js';
import { CasePage, CasesPage } from './pages/cases.js';
import { ClaimPage, ClaimsPage, ReviewQueuePage } from './pages/claims.js';
import { DocumentPage, DocumentsPage } from './pages/documents.js';
import { ListsPage } from './pages/lists.js';
import { NarrativePage, NarrativesPage } from './pages/narratives.js';
import { OverviewPage } from './pages/overview.js';
import './styles.css';

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/claims', 'Claims'],
  ['/review', 'Review queue'],
  ['/narratives', 'Narratives'],
  ['/campaigns', 'Campaigns'],
  ['/cases', 'Cases'],
  ['/documents', 'Documents'],
  ['/lists', 'Lists'],
];

function Page({ path }: { path: string }) {
  let p: Record<string, string> | null;
  if ((p = match('/claims/:id', path))) return <ClaimPage id={p['id']!} key={p['id']} />;
  if ((p = match('/narratives/:id', path))) return <NarrativePage id={p['id']!} key={p['id']} />;
  if ((p = match('/campaigns/:id', path))) return <CampaignPage id={p['id']!} key={p['id']} />;
  if ((p = match('/cases/:id', path))) return <CasePage id={p['id']!} key={p['id']} />;
  if ((p = match('/documents/:id', path))) return <DocumentPage id={p['id']!} key={p['id']} />;
  switch (path.replace(/\/+$/, '') || '/') {
    case '/': return <OverviewPage />;
    case '/claims': return <ClaimsPage />;
    case '/review': return <ReviewQueuePage />;
    case '/narratives': return <NarrativesPage />;
    case '/campaigns': return <CampaignsPage />;
    case '/cases': return <CasesPage />;
    case '/documents': return <DocumentsPage />;
    case '/lists': return <ListsPage />;
    default: return <p>No such page. <Link to="/">Back to the overview</Link></p>;
  }
}

function SignIn({ onDone }: { onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setToken(String(new FormData(e.currentTarget).get('token') ?? '').trim());
    try {
      await api<Me>('/me');
      onDone();
    } catch (err) {
      setToken(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <main className="signin">
      <h1>claimtrace</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          API token <input name="token" type="password" autoComplete="off" required aria-label="API token" />
        </label>
        <button type="submit">Sign in</button>
        <p className="muted">Create one with <code>claimtrace token create --role viewer</code>; `claimtrace serve` prints a link that signs you in.</p>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </main>
  );
}

function Shell() {
  const { path } = useLocation();
  const me = useApi<Me>('/me');
  return (
    <>
      <header>
        <Link to="/" className="brand">claimtrace</Link>
        <nav>
          {NAV.map(([to, label]) => (
            <Link key={to} to={to} className={(to === '/' ? path === '/' : path.startsWith(to)) ? 'active' : undefined}>{label}</Link>
          ))}
        </nav>
        <span className="who">
          {me.data ? `${me.data.workspace.name} · ${me.data.token.name} (${me.data.token.role})` : ''}{' '}
          <button onClick={() => { setToken(null); window.location.reload(); }}>sign out</button>
        </span>
      </header>
      <main>
        <Loading state={me}>{() => <Page path={path} />}</Loading>
      </main>
    </>
  );
}

function App() {
  const [signedIn, setSignedIn] = useState(() => getToken() !== null);
  return signedIn ? <Shell /> : <SignIn onDone={() => setSignedIn(true)} />;
}

adoptTokenFromUrl();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
