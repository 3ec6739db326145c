import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { useEffect, useRef, useState } from 'react';
import Sigma from 'sigma';
import { Link } from '../router.js';
import type { Campaign, Page } from '../types.js';
import { Empty, Loading, useApi } from '../ui.js';

const PALETTE = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457', '#4e342e'];

interface EdgeView {
  a: string;
  b: string;
  score: number;
  /** 'associated' edges tie an associate to a member it met; the group was judged, not the pair. */
  associated: boolean;
  explanation: string;
}

/** Reads edges from whatever the coordination stage stored; unknown shapes give no edges. */
function edgesOf(c: Campaign): EdgeView[] {
  const raw = (c.data?.['edges'] ?? []) as unknown;
  if (!Array.isArray(raw)) return [];
  const out: EdgeView[] = [];
  for (const e of raw as Record<string, unknown>[]) {
    // The coordination stage keys edges by actor id and adds the names for readers.
    const a = String(e['aName'] ?? e['a'] ?? e['source'] ?? '');
    const b = String(e['bName'] ?? e['b'] ?? e['target'] ?? '');
    if (!a || !b || a === b) continue;
    const expl = Array.isArray(e['explanations']) ? (e['explanations'] as unknown[]).map(String).join('; ') : String(e['explanation'] ?? '');
    const associated = e['basis'] === 'associated';
    out.push({ a, b, score: associated ? 0.5 : Number(e['score'] ?? 1) || 1, associated, explanation: expl || `${a} and ${b} acted together` });
  }
  return out;
}

/** The stored reason an associate belongs to the campaign (see the coordination stage). */
function associateExplanation(c: Campaign, actorId: string): string {
  const raw = (c.data?.['associates'] ?? []) as unknown;
  if (!Array.isArray(raw)) return '';
  const found = (raw as Record<string, unknown>[]).find((a) => a['actorId'] === actorId);
  return found ? String(found['explanation'] ?? '') : '';
}

function buildGraph(c: Campaign, edges: EdgeView[]): Graph {
  const g = new Graph({ type: 'undirected' });
  const label = (key: string): string => c.members.find((m) => m.actorId === key || m.name === key)?.name ?? key;
  for (const m of c.members) g.mergeNode(m.name, { label: m.name });
  for (const e of edges) {
    const a = label(e.a);
    const b = label(e.b);
    g.mergeNode(a, { label: a });
    g.mergeNode(b, { label: b });
    if (!g.hasEdge(a, b)) g.addEdge(a, b, { weight: e.score, explanation: e.explanation, size: 1 + Math.min(4, e.score) });
  }
  const communities: Record<string, number> = g.size > 0 ? louvain(g, { rng: seeded(7) }) : {};
  const groups = new Map<number, string[]>();
  g.forEachNode((n) => {
    const k = communities[n] ?? 0;
    groups.set(k, [...(groups.get(k) ?? []), n]);
  });
  // Each community on its own small circle, the circles around a larger one: readable without a layout library.
  const keys = [...groups.keys()].sort((x, y) => x - y);
  keys.forEach((k, ci) => {
    const nodes = groups.get(k)!;
    const cx = keys.length > 1 ? Math.cos((2 * Math.PI * ci) / keys.length) * 10 : 0;
    const cy = keys.length > 1 ? Math.sin((2 * Math.PI * ci) / keys.length) * 10 : 0;
    nodes.forEach((n, i) => {
      const r = nodes.length > 1 ? 3 + nodes.length * 0.3 : 0;
      g.mergeNodeAttributes(n, {
        x: cx + Math.cos((2 * Math.PI * i) / nodes.length) * r,
        y: cy + Math.sin((2 * Math.PI * i) / nodes.length) * r,
        size: 6 + Math.min(10, g.degree(n) * 2),
        color: PALETTE[ci % PALETTE.length],
        community: ci + 1,
      });
    });
  });
  return g;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

function Network({ campaign, edges }: { campaign: Campaign; edges: EdgeView[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<string | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const graph = buildGraph(campaign, edges);
    const sigma = new Sigma(graph, ref.current, { enableEdgeEvents: true, renderEdgeLabels: false, labelRenderedSizeThreshold: 0, defaultEdgeColor: '#90a4ae' });
    sigma.on('enterEdge', ({ edge }) => {
      const [a, b] = graph.extremities(edge);
      setHover(`${a} — ${b}: ${String(graph.getEdgeAttribute(edge, 'explanation'))}`);
      graph.setEdgeAttribute(edge, 'color', '#263238');
    });
    sigma.on('leaveEdge', ({ edge }) => {
      setHover(null);
      graph.removeEdgeAttribute(edge, 'color');
    });
    sigma.on('enterNode', ({ node }) => setHover(`${node} (community ${String(graph.getNodeAttribute(node, 'community'))}, ${graph.degree(node)} links)`));
    sigma.on('leaveNode', () => setHover(null));
    return () => sigma.kill();
  }, [campaign, edges]);
  return (
    <div>
      <div ref={ref} className="network" data-testid="network" aria-label="actor network: nodes coloured by community" />
      <p className="hover" aria-live="polite">{hover ?? 'Hover an edge to see why the two actors are linked.'}</p>
    </div>
  );
}

export function CampaignsPage() {
  const state = useApi<Page<Campaign>>('/campaigns?limit=100');
  return (
    <>
      <h1>Campaigns</h1>
      <Loading state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No campaigns detected yet: they appear once the coordination stage has run over the workspace.</Empty>
          ) : (
            <ul>
              {page.items.map((c) => (
                <li key={c.id}>
                  <Link to={`/campaigns/${c.id}`}>{c.label}</Link> — {c.members.length} actors · {c.explanation}
                </li>
              ))}
            </ul>
          )
        }
      </Loading>
    </>
  );
}

export function CampaignPage({ id }: { id: string }) {
  const state = useApi<Campaign>(`/campaigns/${id}`);
  return (
    <Loading state={state}>
      {(c) => {
        const edges = edgesOf(c);
        return (
          <>
            <h1>{c.label}</h1>
            <p className="explanation">{c.explanation}</p>
            <Network campaign={c} edges={edges} />
            <h2>Why these actors are linked</h2>
            {edges.length === 0 ? (
              <Empty>The stored campaign holds no edges.</Empty>
            ) : (
              <table>
                <thead><tr><th>actors</th><th>score</th><th>evidence</th></tr></thead>
                <tbody>
                  {edges.map((e, i) => (
                    <tr key={i}><td>{e.a} — {e.b}</td><td>{e.associated ? <span className="muted">associate</span> : e.score.toFixed(2)}</td><td>{e.explanation}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
            <h2>Members</h2>
            <ul>
              {c.members.map((m) => (
                <li key={m.actorId}>
                  {m.name} <span className="muted">({m.kind}{m.role ? `, ${m.role}` : ''})</span>
                  {m.role === 'associated' ? <div className="explanation">{associateExplanation(c, m.actorId)}</div> : null}
                </li>
              ))}
            </ul>
          </>
        );
      }}
    </Loading>
  );
}
