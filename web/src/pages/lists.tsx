import { useState, type FormEvent } from 'react';
import { api, qs } from '../api.js';
import type { Page } from '../types.js';
import { Empty, External, Loading, useApi } from '../ui.js';

interface DatasetVersion {
  id: string;
  sourceId: string;
  sourceUrl: string | null;
  retrievedAt: string;
  coverageFrom: string | null;
  coverageTo: string | null;
  complete: boolean;
  listIds: string[];
  fictional: boolean;
  recordCount: number;
}

interface ScreenResult {
  name: string;
  on: string | null;
  recordsScreened: number;
  matches: { listId: string; listedName: string; matchedName: string; score: number; basis: string; confidence: string; listedFrom: string | null; listedUntil: string | null; sourceUrl: string; explanation: string }[];
}

export function ListsPage() {
  const state = useApi<Page<DatasetVersion>>('/lists?limit=200');
  const [result, setResult] = useState<ScreenResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      setResult(await api<ScreenResult>(`/lists/screen${qs({ name: String(f.get('name') ?? ''), on: String(f.get('on') ?? '') })}`));
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <h1>Official lists</h1>
      <Loading state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No list versions held: import them with `claimtrace lists import`.</Empty>
          ) : (
            <table>
              <thead><tr><th>source</th><th>lists</th><th>coverage</th><th>records</th><th>retrieved</th></tr></thead>
              <tbody>
                {page.items.map((v) => (
                  <tr key={v.id}>
                    <td>{v.sourceUrl ? <External href={v.sourceUrl}>{v.sourceId}</External> : v.sourceId}{v.fictional ? <span className="badge v-nei"> fictional</span> : null}</td>
                    <td>{v.listIds.join(', ')}</td>
                    <td>{v.coverageFrom ?? 'snapshot'} – {v.coverageTo ?? 'retrieval'}{v.complete ? '' : ' (partial)'}</td>
                    <td>{v.recordCount}</td>
                    <td className="nowrap">{v.retrievedAt.slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loading>
      <h2>Screen a name</h2>
      <form className="filters" onSubmit={(e) => void submit(e)}>
        <input name="name" required placeholder="company or person" aria-label="name to screen" />
        <input name="on" type="date" aria-label="as of day" />
        <button type="submit">Screen</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {result && (
        <div data-testid="screen-result">
          <p>
            {result.matches.length} match(es) for “{result.name}”{result.on ? ` on ${result.on}` : ''} among {result.recordsScreened} records.
          </p>
          {result.matches.length > 0 && (
            <table>
              <thead><tr><th>list</th><th>listed name</th><th>listed</th><th>confidence</th><th>why</th></tr></thead>
              <tbody>
                {result.matches.map((m, i) => (
                  <tr key={i}>
                    <td>{m.listId}</td>
                    <td><External href={m.sourceUrl}>{m.listedName}</External></td>
                    <td>{m.listedFrom ?? '?'} – {m.listedUntil ?? 'now'}</td>
                    <td>{m.confidence} ({m.score.toFixed(2)}, {m.basis})</td>
                    <td>{m.explanation}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </>
  );
}
