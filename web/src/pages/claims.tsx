import { useState, type FormEvent } from 'react';
import { api, qs } from '../api.js';
import { Link, navigate, useLocation } from '../router.js';
import type { ClaimDetail, Claim, DocumentDetail, Me, Page, Review } from '../types.js';
import { Empty, External, HighlightedText, LabelBadge, Loading, Pager, useApi, VerdictBadge } from '../ui.js';

const PREDICATES = ['listed', 'banned', 'vulnerable', 'backdoor', 'data-access', 'state-control', 'other'];
const MODALITIES = ['asserted', 'reported', 'demanded', 'hypothetical', 'questioned'];
const VERDICTS = ['SUPPORTED', 'REFUTED', 'NOT_ENOUGH_INFO', 'NONE'];
const FILTERS = ['q', 'subject', 'predicate', 'verdict', 'modality'] as const;

export function ClaimsTable({ claims }: { claims: Claim[] }) {
  if (claims.length === 0) return <Empty>No claims match.</Empty>;
  return (
    <table className="claims">
      <thead>
        <tr>
          <th>date</th><th>actor</th><th>subject</th><th>predicate</th><th>quote</th><th>verdict</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((c) => (
          <tr key={c.id} data-claim={c.id}>
            <td className="nowrap">{c.eventDate ?? c.published ?? c.capturedAt.slice(0, 10)}</td>
            <td>{c.actor ?? c.speaker ?? ''}</td>
            <td>{c.subject}</td>
            <td>
              {c.polarity === 'denied' ? 'not ' : ''}
              {c.predicate}
              {c.object ? ` (${c.object})` : ''}
              {c.modality !== 'asserted' ? <span className="muted"> · {c.modality}</span> : null}
            </td>
            <td>
              <Link to={`/claims/${c.id}`}>{c.quote}</Link>
            </td>
            <td>
              <VerdictBadge claim={c} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ClaimsPage() {
  const { search } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, search.get(f) ?? '']));
  const offset = Number(search.get('offset') ?? 0);
  const state = useApi<Page<Claim>>(`/claims${qs({ ...filters, limit: 50, offset })}`);
  const [q, setQ] = useState(filters['q'] ?? '');
  const [subject, setSubject] = useState(filters['subject'] ?? '');
  const go = (patch: Record<string, string | number>): void => navigate(`/claims${qs({ ...filters, offset: 0, ...patch })}`);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    go({ q, subject });
  };
  return (
    <>
      <h1>Claims</h1>
      <form className="filters" onSubmit={submit} role="search">
        <input type="search" name="q" placeholder="search quotes" value={q} onChange={(e) => setQ(e.target.value)} aria-label="search quotes" />
        <input name="subject" placeholder="subject" value={subject} onChange={(e) => setSubject(e.target.value)} aria-label="subject" />
        <select aria-label="predicate" value={filters['predicate']} onChange={(e) => go({ predicate: e.target.value })}>
          <option value="">any predicate</option>
          {PREDICATES.map((p) => <option key={p}>{p}</option>)}
        </select>
        <select aria-label="verdict" value={filters['verdict']} onChange={(e) => go({ verdict: e.target.value })}>
          <option value="">any verdict</option>
          {VERDICTS.map((p) => <option key={p} value={p}>{p === 'NONE' ? 'not verified' : p.replaceAll('_', ' ').toLowerCase()}</option>)}
        </select>
        <select aria-label="modality" value={filters['modality']} onChange={(e) => go({ modality: e.target.value })}>
          <option value="">any modality</option>
          {MODALITIES.map((p) => <option key={p}>{p}</option>)}
        </select>
        <button type="submit">Search</button>
      </form>
      <Loading state={state}>
        {(page) => (
          <>
            <p className="muted" data-testid="claim-count">{page.total} claims</p>
            <ClaimsTable claims={page.items} />
            <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(o) => go({ offset: o })} />
          </>
        )}
      </Loading>
    </>
  );
}

function ReviewForm({ claim, onDone }: { claim: ClaimDetail; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (form.get('action') === 'confirm') form.delete('label');
    const file = form.get('file');
    if (file instanceof File && file.size === 0) form.delete('file');
    setBusy(true);
    try {
      await api<Review>(`/claims/${claim.id}/reviews`, { method: 'POST', body: form });
      setError(null);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="review" onSubmit={(e) => void submit(e)}>
      <h3>Review this verdict</h3>
      <label>
        <input type="radio" name="action" value="confirm" defaultChecked={claim.verdict !== null} disabled={claim.verdict === null} /> confirm the automatic verdict
      </label>
      <label>
        <input type="radio" name="action" value="override" defaultChecked={claim.verdict === null} /> override with{' '}
        <select name="label" defaultValue="NOT_ENOUGH_INFO" aria-label="label">
          <option value="SUPPORTED">supported</option>
          <option value="REFUTED">refuted</option>
          <option value="NOT_ENOUGH_INFO">not enough info</option>
        </select>
      </label>
      <textarea name="reason" required placeholder="Reason (kept with the decision and shown wherever the verdict appears)" aria-label="reason" />
      <label>
        Evidence (audit report, official letter, regulator’s answer): <input type="file" name="file" aria-label="evidence file" />
      </label>
      <button type="submit" disabled={busy}>Record review</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

export function ClaimPage({ id }: { id: string }) {
  const state = useApi<ClaimDetail>(`/claims/${id}`);
  const me = useApi<Me>('/me');
  const doc = useApi<DocumentDetail>(state.data ? `/documents/${state.data.documentId}` : null);
  const canReview = me.data ? ['analyst', 'counsel', 'admin'].includes(me.data.token.role) : false;
  return (
    <Loading state={state}>
      {(c) => (
        <>
          <h1>Claim</h1>
          <blockquote className="quote">“{c.quote}”</blockquote>
          <dl className="facts">
            <dt>said by</dt><dd>{c.speaker ?? c.actor ?? 'unknown'}{c.actor && c.speaker && c.actor !== c.speaker ? ` (in ${c.actor})` : ''}</dd>
            <dt>claim</dt><dd>{c.subject} — {c.polarity === 'denied' ? 'not ' : ''}{c.predicate}{c.object ? ` (${c.object})` : ''}, {c.modality}</dd>
            <dt>date</dt><dd>{c.eventDate ? `event ${c.eventDate}, ` : ''}published {c.published ?? 'unknown'}</dd>
            <dt>source</dt><dd><Link to={`/documents/${c.documentId}`}>{c.documentId}</Link>{c.url ? <> · <External href={c.url}>original</External></> : null}</dd>
            <dt>why extracted</dt><dd>{c.why}</dd>
            {c.narrativeId && (<><dt>narrative</dt><dd><Link to={`/narratives/${c.narrativeId}`}>{c.narrativeId}</Link></dd></>)}
          </dl>
          <section className="verdict">
            <h2>Verdict <VerdictBadge claim={c} /></h2>
            {c.review && (
              <div className="human-review">
                <p><b>Human review</b> ({c.review.action}) by {c.review.user} on {c.review.createdAt.slice(0, 10)}: {c.review.reason}</p>
                {c.review.evidenceDocumentId && <p>Evidence: <Link to={`/documents/${c.review.evidenceDocumentId}`}>{c.review.evidenceDocumentId}</Link></p>}
              </div>
            )}
            {c.verdict ? (
              <div>
                <p><b>Automatic verdict</b> <LabelBadge label={c.verdict.label} /> as of {c.verdict.asOf} ({c.verdict.asOfBasis})</p>
                <p className="explanation">{c.verdict.explanation}</p>
                {c.verdict.evidence.length > 0 && (
                  <ul className="evidence">
                    {c.verdict.evidence.map((e, i) => (
                      <li key={i}>
                        {e.note}{' '}
                        {e.documentId && <Link to={`/documents/${e.documentId}`}>document</Link>}{' '}
                        {e.sourceUrl && <External href={e.sourceUrl}>official source</External>}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ) : (
              <p className="empty">No automatic verdict yet: it appears once the verification stage has run.</p>
            )}
            {(c.verdicts.length > 1 || c.reviews.length > 0) && (
              <details>
                <summary>History ({c.verdicts.length} automatic, {c.reviews.length} human)</summary>
                <ul>
                  {[...c.verdicts.map((v) => ({ at: v.createdAt, text: `automatic: ${v.label} as of ${v.asOf}` })), ...c.reviews.map((r) => ({ at: r.createdAt, text: `human review (${r.action}): ${r.label} by ${r.user}: ${r.reason}` }))]
                    .sort((a, b) => a.at.localeCompare(b.at))
                    .map((h, i) => <li key={i}>{h.at.slice(0, 16).replace('T', ' ')} — {h.text}</li>)}
                </ul>
              </details>
            )}
            {canReview && <ReviewForm claim={c} onDone={state.reload} />}
          </section>
          <section>
            <h2>In its document</h2>
            <Loading state={doc}>
              {(d) => (d.text ? <HighlightedText text={d.text} spans={[{ start: c.start, end: c.end, id: c.id }]} focus={c.id} /> : <Empty>The document has no text.</Empty>)}
            </Loading>
          </section>
        </>
      )}
    </Loading>
  );
}

export function ReviewQueuePage() {
  const state = useApi<Page<{ claim: Claim; spread: { actors: number; documents: number; byNarrative: boolean } }>>('/reviews/queue?limit=100');
  return (
    <>
      <h1>Review queue</h1>
      <p className="muted">Claims the official records cannot decide (NOT ENOUGH INFO), widest-spread narrative first.</p>
      <Loading state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>Nothing waiting: no unreviewed NOT ENOUGH INFO verdicts.</Empty>
          ) : (
            <table>
              <thead><tr><th>spread</th><th>subject</th><th>predicate</th><th>quote</th></tr></thead>
              <tbody>
                {page.items.map(({ claim, spread }) => (
                  <tr key={claim.id}>
                    <td className="nowrap">{spread.actors} actors · {spread.documents} docs</td>
                    <td>{claim.subject}</td>
                    <td>{claim.predicate}</td>
                    <td><Link to={`/claims/${claim.id}`}>{claim.quote}</Link></td>
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
