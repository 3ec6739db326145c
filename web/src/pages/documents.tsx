import { Link } from '../router.js';
import type { DocumentDetail, DocumentInfo, Page } from '../types.js';
import { Empty, External, HighlightedText, Loading, useApi } from '../ui.js';

interface EvidenceReport {
  ok: boolean;
  treeSize: number;
  rootHash: string | null;
  problems: { kind: string; message: string; documentId: string | null }[];
  checked: { documents: number; captures: number; warcRecords: number; logEntries: number; treeHeads: number };
}

function Integrity({ report, id }: { report: EvidenceReport | null; id: string }) {
  if (!report) return <span className="muted">checking…</span>;
  const problems = report.problems.filter((p) => p.documentId === id);
  return problems.length === 0 ? <span className="ok">intact</span> : <span className="bad" title={problems.map((p) => p.message).join('\n')}>{problems.length} problem(s)</span>;
}

export function DocumentsPage() {
  const state = useApi<Page<DocumentInfo>>('/documents?limit=500');
  const evidence = useApi<EvidenceReport>('/evidence/verify');
  const r = evidence.data;
  return (
    <>
      <h1>Documents</h1>
      {r ? (
        <p className={r.ok ? 'ok' : 'bad'} data-testid="evidence-status">
          Evidence check: {r.ok ? 'OK, nothing was altered' : `FAILED, ${r.problems.length} problem(s)`} — {r.checked.documents} documents, {r.checked.warcRecords} WARC records, {r.checked.logEntries} log entries, {r.checked.treeHeads} signed tree heads
          {r.rootHash ? <> · log root <code>{r.rootHash.slice(0, 16)}…</code></> : null}
        </p>
      ) : (
        <p className="muted">Checking the evidence log…</p>
      )}
      <Loading state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No documents yet: upload one or run `claimtrace ingest`.</Empty>
          ) : (
            <table>
              <thead><tr><th>published</th><th>title</th><th>actor</th><th>kind</th><th>sha256</th><th>integrity</th></tr></thead>
              <tbody>
                {page.items.map((d) => (
                  <tr key={d.id}>
                    <td className="nowrap">{d.published ?? ''}</td>
                    <td><Link to={`/documents/${d.id}`}>{d.title ?? d.location}</Link></td>
                    <td>{d.actor ?? ''}</td>
                    <td>{d.kind}</td>
                    <td><code title={d.sha256}>{d.sha256.slice(0, 12)}…</code></td>
                    <td><Integrity report={r} id={d.id} /></td>
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

export function DocumentPage({ id }: { id: string }) {
  const state = useApi<DocumentDetail>(`/documents/${id}`);
  return (
    <Loading state={state}>
      {(d) => (
        <>
          <h1>{d.title ?? d.location}</h1>
          <dl className="facts">
            <dt>actor</dt><dd>{d.actor ?? 'unknown'}</dd>
            <dt>published</dt><dd>{d.published ?? 'unknown'}</dd>
            <dt>source</dt><dd>{d.url ? <External href={d.url}>{d.url}</External> : d.location}</dd>
            <dt>format</dt><dd>{d.format} · {d.kind} · {d.size} bytes · {d.status}</dd>
            <dt>sha256</dt><dd><code>{d.sha256}</code></dd>
          </dl>
          <h2>Captures</h2>
          <table>
            <thead><tr><th>captured</th><th>WARC record</th><th>block digest</th><th>text sha256</th><th>log leaf</th></tr></thead>
            <tbody>
              {d.captures.map((c) => (
                <tr key={c.id}>
                  <td className="nowrap">{c.capturedAt}</td>
                  <td><code>{c.warcFile}</code></td>
                  <td><code>{c.blockDigest}</code></td>
                  <td><code>{c.textSha256 ?? ''}</code></td>
                  <td>{c.leafIndex ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Text {d.claims.length > 0 ? <span className="muted">({d.claims.length} claims highlighted)</span> : null}</h2>
          {d.text ? <HighlightedText text={d.text} spans={d.claims.map((c) => ({ start: c.start, end: c.end, id: c.id }))} /> : <Empty>No text was extracted.</Empty>}
          {d.claims.length > 0 && (
            <ul>{d.claims.map((c) => <li key={c.id}><Link to={`/claims/${c.id}`}>{c.predicate}: {c.quote}</Link></li>)}</ul>
          )}
        </>
      )}
    </Loading>
  );
}
