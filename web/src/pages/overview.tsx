import { Link } from '../router.js';
import type { Overview } from '../types.js';
import { Empty, Loading, useApi, VERDICT_COLOURS } from '../ui.js';

const ORDER = ['REFUTED', 'SUPPORTED', 'NOT_ENOUGH_INFO', 'NONE'];

/** Claims per month as stacked bars, one colour per verdict. */
function ClaimsChart({ series }: { series: Overview['claimsOverTime'] }) {
  if (series.length === 0) return <Empty>No claims yet: ingest documents and run the pipeline.</Empty>;
  const max = Math.max(...series.map((s) => Object.values(s.counts).reduce((a, b) => a + b, 0)));
  const w = 36;
  const h = 180;
  return (
    <figure>
      <svg className="chart" viewBox={`0 0 ${series.length * w + 40} ${h + 40}`} role="img" aria-label="Claims over time by verdict">
        {series.map((s, i) => {
          let y = h;
          return (
            <g key={s.month} transform={`translate(${30 + i * w},10)`}>
              {ORDER.filter((l) => s.counts[l]).map((l) => {
                const bh = (s.counts[l]! / max) * h;
                y -= bh;
                return (
                  <rect key={l} x={4} y={y} width={w - 8} height={bh} fill={VERDICT_COLOURS[l]}>
                    <title>{`${s.month}: ${s.counts[l]} ${l.replaceAll('_', ' ').toLowerCase()}`}</title>
                  </rect>
                );
              })}
              <text x={w / 2} y={h + 14} textAnchor="middle" fontSize="9">
                {s.month.slice(2)}
              </text>
            </g>
          );
        })}
        <text x={0} y={16} fontSize="10">
          {max}
        </text>
      </svg>
      <figcaption className="legend">
        {ORDER.map((l) => (
          <span key={l}>
            <i style={{ background: VERDICT_COLOURS[l] }} /> {l === 'NONE' ? 'not verified yet' : l.replaceAll('_', ' ').toLowerCase()}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function OverviewPage() {
  const state = useApi<Overview>('/overview');
  return (
    <Loading state={state}>
      {(o) => (
        <>
          <h1>Overview</h1>
          <div className="cards">
            <Link to="/documents" className="card"><b>{o.counts.documents}</b> documents</Link>
            <Link to="/claims" className="card"><b>{o.counts.claims}</b> claims</Link>
            <Link to="/narratives" className="card"><b>{o.counts.narratives}</b> narratives</Link>
            <Link to="/campaigns" className="card"><b>{o.counts.campaigns}</b> campaigns</Link>
            <Link to="/cases" className="card"><b>{o.counts.openCases}</b> open cases</Link>
            <Link to="/review" className="card"><b>{o.counts.humanReviewed}</b> human reviews</Link>
          </div>
          <section>
            <h2>Claims over time, by verdict</h2>
            <ClaimsChart series={o.claimsOverTime} />
          </section>
          <div className="columns">
            <section>
              <h2>Top narratives</h2>
              {o.topNarratives.length === 0 ? (
                <Empty>No narratives yet: they appear once the narrative stage has grouped the claims.</Empty>
              ) : (
                <ol>
                  {o.topNarratives.map((n) => (
                    <li key={n.id}>
                      <Link to={`/narratives/${n.id}`}>{n.representative}</Link> <span className="muted">({n.documents} documents)</span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section>
              <h2>Active campaigns</h2>
              {o.campaigns.length === 0 ? (
                <Empty>No campaigns detected yet: they appear once the coordination stage has run.</Empty>
              ) : (
                <ul>
                  {o.campaigns.map((c) => (
                    <li key={c.id}>
                      <Link to={`/campaigns/${c.id}`}>{c.label}</Link> <span className="muted">({c.members} actors)</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        </>
      )}
    </Loading>
  );
}
