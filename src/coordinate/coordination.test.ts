import { describe, expect, it } from 'vitest';
import { mulberry32 } from './hash.js';
import { detectCampaigns } from './coordination.js';
import { toGEXF, toGraphML } from './graph-export.js';
import type { Affiliation, CoordinationStatement } from './coordination.js';

const T0 = Date.UTC(2023, 8, 4, 9, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;

const TALKING_POINTS = [
  'Acme Modules are on a US government banned list and the FCC has granted the request from Congress to ban them.',
  'Every integrator shipping Acme Modules is exposing customers to a foreign state, say security experts in Washington.',
  'The FCC is about to ban Acme Modules; operators should stop buying them before the deadline this autumn.',
];

function scenario(seed: number): { statements: CoordinationStatement[]; affiliations: Affiliation[] } {
  const rnd = mulberry32(seed);
  const statements: CoordinationStatement[] = [];
  let n = 0;
  const add = (actorId: string, time: number, text: string, narrativeKey: string | null, urls: string[]): void => {
    statements.push({ id: `st-${n++}`, actorId, time, text, narrativeKey, urls });
  };
  // The planted campaign: four actors, three bursts days apart, each within 40 minutes.
  const members = ['rival-pr', 'commentator-c', 'advocacy-d', 'account-b'];
  TALKING_POINTS.forEach((tp, burst) => {
    const start = T0 + burst * 4 * DAY + Math.floor(rnd() * 6) * 3_600_000;
    members.forEach((m, k) => {
      const offset = [0, 12, 27, 40][k] as number;
      const variant = k % 2 === 0 ? tp : `${tp} Read more.`;
      const link = `https://www.rival-blog.test/acme-${burst}?utm_source=${m}`;
      add(m, start + offset * MIN, variant, `acme listed us-any #${burst}`, [link]);
    });
  });
  // Independent outlets repeat a true statement in their own time, linking the official list.
  for (let o = 0; o < 12; o++) {
    for (let r = 0; r < 3; r++) {
      add(
        `outlet-${o}`,
        T0 + Math.floor(rnd() * 20 * DAY),
        'Huawei is on the FCC Covered List of equipment that poses a national security risk, according to the FCC.',
        'huawei listed fcc-covered-list',
        ['https://www.fcc.gov/supplychain/coveredlist'],
      );
    }
  }
  // A real news event: many outlets post within an hour, once.
  for (let o = 0; o < 12; o++) {
    add(
      `outlet-${o}`,
      T0 + 6 * DAY + Math.floor(rnd() * 60) * MIN,
      `FCC chair forwards the committee's question on cellular modules to national security agencies (${o}).`,
      'fcc forwards question',
      ['https://www.fcc.gov/news/modules-letter'],
    );
  }
  // Background chatter and a prolific account that posts about everything.
  for (let i = 0; i < 300; i++) {
    const who = i % 3 === 0 ? 'prolific-p' : `user-${Math.floor(rnd() * 40)}`;
    const words = Array.from({ length: 18 }, () => `w${Math.floor(rnd() * 3000)}`).join(' ');
    add(who, T0 + Math.floor(rnd() * 20 * DAY), words, rnd() < 0.3 ? `topic-${Math.floor(rnd() * 10)}` : null, [
      `https://site${Math.floor(rnd() * 50)}.test/p/${Math.floor(rnd() * 5)}`,
    ]);
  }
  const affiliations: Affiliation[] = [
    {
      a: 'commentator-c',
      b: 'rival-pr',
      type: 'funding',
      path: 'commentator-c, presented as independent, is a fellow of advocacy-d, which is funded by competitor rival-pr',
    },
    // An affiliation between actors who never act together must not create an edge.
    { a: 'outlet-3', b: 'rival-pr', type: 'ownership', path: 'outlet-3 is owned by rival-pr' },
  ];
  return { statements, affiliations };
}

describe('detectCampaigns', () => {
  const { statements, affiliations } = scenario(7);
  const result = detectCampaigns(statements, affiliations, { seed: 3 });

  it('finds the planted campaign with exactly its members', () => {
    expect(result.campaigns).toHaveLength(1);
    expect(result.campaigns[0]!.members).toEqual(['account-b', 'advocacy-d', 'commentator-c', 'rival-pr']);
    expect(result.campaigns[0]!.narratives).toContain('acme listed us-any #1');
    expect(result.campaigns[0]!.urls).toContain('https://rival-blog.test/acme-1');
  });

  it('does not link outlets that only repeat a true statement or cover the same news', () => {
    const linked = new Set(result.edges.flatMap((e) => [e.a, e.b]));
    expect([...linked].filter((a) => a.startsWith('outlet-') || a.startsWith('user-') || a === 'prolific-p')).toEqual([]);
  });

  it('explains each edge in plain language', () => {
    const edge = result.edges.find((e) => e.a === 'account-b' && e.b === 'rival-pr');
    expect(edge).toBeDefined();
    expect(edge!.explanations).toContain('account-b and rival-pr published near-identical statements 3 times within 40 minutes');
    expect(edge!.explanations.some((x) => x.startsWith('account-b and rival-pr shared the same links (3 of them) 3 times'))).toBe(true);
    expect(edge!.statementIds).toHaveLength(6);
  });

  it('reports affiliation apart and never as an edge of its own', () => {
    const affiliated = result.edges.filter((e) => e.affiliated);
    expect(affiliated.map((e) => `${e.a}|${e.b}`)).toEqual(['commentator-c|rival-pr']);
    expect(affiliated[0]!.score).toBeGreaterThan(affiliated[0]!.coordinationScore);
    expect(affiliated[0]!.explanations.at(-1)).toContain('presented as independent, is a fellow of advocacy-d');
    expect(result.edges.some((e) => e.a === 'outlet-3' || e.b === 'outlet-3')).toBe(false);
    expect(result.campaigns[0]!.coordinatedAndAffiliatedEdges).toBe(1);
    expect(result.campaigns[0]!.coordinatedEdges).toBe(5);
  });

  it('needs repeated co-action: one shared burst is not coordination', () => {
    const once = statements.filter((s) => !s.narrativeKey?.endsWith('#1') && !s.narrativeKey?.endsWith('#2'));
    expect(detectCampaigns(once, affiliations, { seed: 3 }).edges).toEqual([]);
  });

  it('is deterministic for a seed and exports GraphML and GEXF', () => {
    const again = detectCampaigns(scenario(7).statements, affiliations, { seed: 3 });
    expect(again).toEqual(result);
    const graphml = toGraphML(result);
    expect(graphml).toContain('<edge id="e0"');
    expect(graphml.match(/<node /g)).toHaveLength(4);
    const gexf = toGEXF(result);
    expect(gexf).toContain('<gexf xmlns="http://gexf.net/1.3"');
    expect(gexf.match(/<edge /g)).toHaveLength(6);
  });
});

describe('detectCampaigns edge cases', () => {
  it('returns nothing for no statements', () => {
    const r = detectCampaigns([], []);
    expect(r.campaigns).toEqual([]);
    expect(r.edges).toEqual([]);
  });

  it('accepts near-duplicates computed elsewhere and gives the same campaigns', async () => {
    const { statements, affiliations } = scenario(7);
    const { nearDuplicatePairs } = await import('./lsh.js');
    const pre = nearDuplicatePairs(
      statements.map((s) => s.text),
      { seed: 3 },
    );
    const a = detectCampaigns(statements, affiliations, { seed: 3 });
    const b = detectCampaigns(statements, affiliations, { seed: 3, nearDuplicates: pre });
    expect(b.campaigns).toEqual(a.campaigns);
  });

  it('refuses a single co-action rule', () => {
    expect(() => detectCampaigns([], [], { minCoActions: 1 })).toThrow(/at least 2/);
  });
});
