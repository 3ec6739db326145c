import { Link } from '../router.js';
import type { Claim, Narrative, Page } from '../types.js';
import { Empty, Loading, useApi, VERDICT_COLOURS } from '../ui.js';
import { ClaimsTable } from './claims.js';

export function NarrativesPage() {
  const state = useApi<Page<Narrative>>('/narratives?limit=200');
  return (
    <>
      <h1>Narratives</h1>
      <Loading state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No narratives yet: they appear once the narrative stage has grouped claims that say the same thing.</Empty>
          ) : (
            <table>
              <thead><tr><th>narrative</th><th>claims</th><th>documents</th><th>first seen</th><th>last seen</th></tr></thead>
              <tbody>
                {page.items.map((n) => (
                  <tr key={n.id}>
                    <td><Link to={`/narratives/${n.id}`}>{n.representative}</Link></td>
                    <td>{n.claims}</td><td>{n.documents}</td><td>{n.firstSeen ?? ''}</td><td>{n.lastSeen ?? ''}</td>
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

/** One dot per claim on a time axis, coloured by the verdict a reader sees. */
function Timeline({ claims }: { claims: Claim[] }) {
  const dated = claims.map((c) => ({ c, day: c.eventDate ?? c.published ?? c.capturedAt.slice(0, 10) })).sort((a, b) => a.day.localeCompare(b.day));
  if (dated.length === 0) return <Empty>No claims in this narrative.</Empty>;
  const t = (d: string): number => Date.parse(d.length === 7 ? `${d}-01` : d.length === 4 ? `${d}-01-01` : d.slice(0, 10));
  const t0 = t(dated[0]!.day);
  const t1 = Math.max(t0 + 86400000, t(dated.at(-1)!.day));
  const w = 800;
  return (
    <svg className="timeline" viewBox={`0 0 ${w + 40} 70`} role="img" aria-label="verdict timeline">
      <line x1={20} x2={w + 20} y1={30} y2={30} stroke="#888" />
      {dated.map(({ c, day }, i) => {
        const label = c.effectiveVerdict?.label ?? 'NONE';
        return (
          <circle key={c.id} cx={20 + ((t(day) - t0) / (t1 - t0)) * w} cy={30 - (i % 3) * 6} r={6} fill={VERDICT_COLOURS[label]} stroke={c.effectiveVerdict?.human ? '#000' : 'none'} strokeWidth={2}>
            <title>{`${day}: ${label}${c.effectiveVerdict?.human ? ' (human review)' : ''} — ${c.quote}`}</title>
          </circle>
        );
      })}
      <text x={20} y={60} fontSize="11">{dated[0]!.day}</text>
      <text x={w + 20} y={60} fontSize="11" textAnchor="end">{dated.at(-1)!.day}</text>
    </svg>
  );
}

export function NarrativePage({ id }: { id: string }) {
  const state = useApi<Narrative & { claims: Claim[] }>(`/narratives/${id}`);
  return (
    <Loading state={state}>
      {(n) => (
        <>
          <h1>{n.representative}</h1>
          <p className="muted">{n.claims.length} claims in {n.documents} documents · {n.firstSeen ?? '?'} – {n.lastSeen ?? '?'} · {n.status}</p>
          <h2>Verdict timeline</h2>
          <Timeline claims={n.claims} />
          <ClaimsTable claims={n.claims} />
        </>
      )}
    </Loading>
  );
}
