import { useEffect, useState } from 'react';
import { apiText, ApiError, download, saveBlob } from '../api.js';
import { Link } from '../router.js';
import type { CaseFile, CaseRecord, CaseStatement, Page } from '../types.js';
import { Empty, External, LabelBadge, Loading, useApi } from '../ui.js';

const LETTERS: [kind: string, title: string][] = [
  ['cease-and-desist', 'Cease and desist'],
  ['retraction', 'Retraction demand'],
];
const FORMATS = ['md', 'docx', 'pdf'] as const;

export function CasesPage() {
  const state = useApi<Page<CaseRecord>>('/cases?limit=200');
  return (
    <>
      <h1>Cases</h1>
      <p className="muted">Case files are for counsel and admin tokens; every read is written to the audit log. Open one with <code>claimtrace case create RESPONDENT</code> or <code>POST /api/v1/cases</code>.</p>
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

/** A letter rendered by the server from the case; the Markdown is shown as text, never as HTML. */
function LetterPreview({ caseId, kind, title }: { caseId: string; kind: string; title: string }) {
  const base = `/cases/${encodeURIComponent(caseId)}/letter?kind=${kind}`;
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    apiText(`${base}&format=md`)
      .then((t) => live && setText(t))
      .catch((err: unknown) => live && setError(err instanceof ApiError ? `${err.message} [${err.code}]` : String(err)));
    return () => {
      live = false;
    };
  }, [base]);
  return (
    <article className="letter" data-kind={kind}>
      <h3>{title} <span className="muted">(draft for counsel; claimtrace sends nothing)</span></h3>
      {error ? <p className="error" role="alert">{error}</p> : text === null ? <p className="muted">Rendering…</p> : <pre className="doctext">{text}</pre>}
      <p>
        Download:{' '}
        {FORMATS.map((f) => (
          <button key={f} data-format={f} onClick={() => void download(`${base}&format=${f}`, `${kind}-${caseId}.${f}`)}>{f}</button>
        ))}
      </p>
    </article>
  );
}

function Statements({ rows, empty }: { rows: CaseStatement[]; empty: string }) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <table className="statements">
      <thead><tr><th>quote</th><th>published</th><th>by</th><th>verdict</th><th>meaning</th></tr></thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.claimId}>
            <td><Link to={`/claims/${s.claimId}`}>“{s.quote}”</Link><br /><External href={s.url}><span className="muted">{s.url}</span></External></td>
            <td className="nowrap">{s.published?.slice(0, 10) ?? 'not stated'}</td>
            <td>{s.author ?? 'unknown'}{s.speaker && s.speaker !== s.author ? <span className="muted"> (speaker {s.speaker})</span> : null}</td>
            <td className="nowrap">
              <LabelBadge label={s.verdict.label} />
              {s.verdict.human ? (
                <span className="badge human-mark" title={`${s.verdict.reviewer ?? ''}: ${s.verdict.reviewReason ?? ''}`}>human review{s.verdict.automaticLabel ? ` (was ${s.verdict.automaticLabel.replaceAll('_', ' ')})` : ''}</span>
              ) : null}
              {s.verdict.asOf ? <div className="muted">as of {s.verdict.asOf}</div> : null}
            </td>
            <td>{s.meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Status moves only: every case read is audited too, and those reads would bury the moves. */
function statusHistory(c: CaseFile): CaseFile['history'] {
  return c.history.filter((h) => h.to !== null);
}

export function CasePage({ id }: { id: string }) {
  const state = useApi<CaseFile>(`/cases/${encodeURIComponent(id)}`);
  return (
    <Loading state={state}>
      {(c) => (
        <>
          <h1>Case: {c.respondent.name}</h1>
          <p className="muted">
            about {c.subject.name} · status <b data-testid="case-status">{c.status}</b> · opened {c.createdAt.slice(0, 10)} · updated {c.updatedAt.slice(0, 10)}
          </p>
          <p>
            <button onClick={() => saveBlob(new Blob([JSON.stringify(c, null, 2)], { type: 'application/json' }), `case-${c.id}.json`)}>Download case file (JSON)</button>
          </p>
          {c.missingClaimIds.length > 0 && (
            <p className="error">{c.missingClaimIds.length} statement(s) the case was opened on are no longer found by the extractor or have no verdict: they are left out of the letters.</p>
          )}
          <h2>Statements by {c.respondent.name}</h2>
          <Statements rows={c.statements} empty="No statements of its own." />
          <h2>Statements others report {c.respondent.name} made</h2>
          <Statements rows={c.reported} empty="No reported statements." />
          <div className="columns">
            <section>
              <h2>Campaigns</h2>
              {c.campaigns.length === 0 ? (
                <Empty>Not a member of any detected campaign.</Empty>
              ) : (
                <ul className="case-campaigns">
                  {c.campaigns.map((m) => (
                    <li key={m.campaignId}><Link to={`/campaigns/${m.campaignId}`}>{m.label}</Link><br /><span className="muted">{m.explanation}</span></li>
                  ))}
                </ul>
              )}
            </section>
            <section>
              <h2>Undisclosed affiliations</h2>
              {c.affiliations.length === 0 ? (
                <Empty>No affiliation with a competitor of {c.subject.name} on record.</Empty>
              ) : (
                <ul className="case-affiliations">
                  {c.affiliations.map((a, i) => (
                    <li key={i}>
                      {a.description}
                      {a.path.length > 0 && <div className="muted">{a.path.map((p) => `${p.from} → ${p.to} (${p.type}${p.role ? `, ${p.role}` : ''})`).join('; ')}</div>}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
          <h2>Letters</h2>
          <div className="columns">
            {LETTERS.map(([kind, title]) => <LetterPreview key={kind} caseId={c.id} kind={kind} title={title} />)}
          </div>
          <h2>Status history</h2>
          {statusHistory(c).length === 0 ? (
            <Empty>No recorded changes.</Empty>
          ) : (
            <table className="history">
              <thead><tr><th>when</th><th>who</th><th>what</th><th>status</th><th>note</th></tr></thead>
              <tbody>
                {statusHistory(c).map((h, i) => (
                  <tr key={i}>
                    <td className="nowrap">{h.at.slice(0, 19).replace('T', ' ')}</td>
                    <td>{h.user}</td>
                    <td>{h.action}</td>
                    <td>{h.from || h.to ? `${h.from ?? '—'} → ${h.to ?? '—'}` : ''}</td>
                    <td>{h.note ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Loading>
  );
}
