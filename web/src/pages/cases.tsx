import { download, saveBlob } from '../api.js';
import { Link } from '../router.js';
import type { CaseRecord, Page } from '../types.js';
import { Empty, Loading, useApi } from '../ui.js';

interface LetterLike {
  name: string;
  text: string;
  href: string | null;
}

/** Letters as the respond stage keeps them in the case file: text to preview, a file to download. */
function lettersOf(c: CaseRecord): LetterLike[] {
  const raw = c.data['letters'];
  if (!Array.isArray(raw)) return [];
  return (raw as Record<string, unknown>[]).map((l, i) => ({
    name: String(l['name'] ?? l['title'] ?? l['kind'] ?? `letter-${i + 1}`),
    text: String(l['text'] ?? l['body'] ?? l['markdown'] ?? ''),
    href: typeof l['download'] === 'string' && l['download'].startsWith('/api/v1/') ? l['download'].slice('/api/v1'.length) : null,
  }));
}

export function CasesPage() {
  const state = useApi<Page<CaseRecord>>('/cases?limit=200');
  return (
    <>
      <h1>Cases</h1>
      <p className="muted">Case files are for counsel and admin tokens; every read is written to the audit log.</p>
      <Loading state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No cases yet: they appear once a case is opened against a respondent.</Empty>
          ) : (
            <table>
              <thead><tr><th>respondent</th><th>status</th><th>opened</th><th>updated</th></tr></thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.id}>
                    <td><Link to={`/cases/${c.id}`}>{c.respondentName}</Link></td>
                    <td>{c.status}</td>
                    <td>{c.createdAt.slice(0, 10)}</td>
                    <td>{c.updatedAt.slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loading>
    </>
  );
}

export function CasePage({ id }: { id: string }) {
  const state = useApi<CaseRecord>(`/cases/${id}`);
  return (
    <Loading state={state}>
      {(c) => {
        const letters = lettersOf(c);
        return (
          <>
            <h1>Case: {c.respondentName}</h1>
            <p className="muted">status {c.status} · opened {c.createdAt.slice(0, 10)} · updated {c.updatedAt.slice(0, 10)}</p>
            <p>
              <button onClick={() => saveBlob(new Blob([JSON.stringify(c, null, 2)], { type: 'application/json' }), `case-${c.id}.json`)}>Download case file (JSON)</button>
            </p>
            <h2>Letters</h2>
            {letters.length === 0 ? (
              <Empty>No letters drafted for this case yet.</Empty>
            ) : (
              letters.map((l) => (
                <article key={l.name} className="letter">
                  <h3>{l.name}</h3>
                  <pre className="doctext">{l.text}</pre>
                  {l.href ? (
                    <button onClick={() => void download(l.href!, l.name)}>Download</button>
                  ) : (
                    <button onClick={() => saveBlob(new Blob([l.text], { type: 'text/plain' }), `${l.name}.txt`)}>Download text</button>
                  )}
                </article>
              ))
            )}
          </>
        );
      }}
    </Loading>
  );
}
