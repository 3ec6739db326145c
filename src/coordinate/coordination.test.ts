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

describe('campaign associates', () => {
  // A long talking point, as an op-ed, a brief and a blog would carry it inside their own text.
  const PASSAGE =
    'Supply chain security for connected devices cannot wait for regulators to finish their paperwork, because a module that phones home to a foreign server every night is already inside the meters, trackers and cameras that run our water, power and transport networks, and no firmware promise made by its vendor changes who can order it to stop.';
  const filler = (k: number): string => Array.from({ length: 120 }, (_, i) => `f${k}x${i}`).join(' ');

  function withOutsiders(): CoordinationStatement[] {
    const { statements } = scenario(7);
    let n = statements.length;
    const add = (actorId: string, time: number, text: string, urls: string[], timeSpanMs = 0): void => {
      statements.push({ id: `st-${n++}`, actorId, time, timeSpanMs, text, narrativeKey: null, urls });
    };
    // The commentator's column carries the passage; an advocacy group later publishes a brief
    // reusing it, and three campaign members push the brief's address within minutes.
    add('commentator-c', T0 + 30 * DAY, `${filler(1)} ${PASSAGE} ${filler(2)}`, ['https://column.test/c1']);
    const brief = T0 + 60 * DAY;
    add('group-g', brief, `${filler(3)} ${PASSAGE} ${filler(4)}`, ['https://group-g.test/brief'], DAY - 1);
    for (const [k, m] of ['account-b', 'rival-pr', 'advocacy-d'].entries()) add(m, brief + 15 * 3_600_000 + k * 4 * MIN, `Read the brief ${k}`, ['https://group-g.test/brief']);
    // A prolific news account shares the brief once in the middle of that burst, and once more
    // alongside a single other member another day: one burst, no reuse, not enough.
    add('news-n', brief + 15 * 3_600_000 + 5 * MIN, 'Headlines: the brief', ['https://group-g.test/brief']);
    add('news-n', T0 + 70 * DAY, 'Headlines: a column', ['https://column.test/c9']);
    add('commentator-c', T0 + 70 * DAY + 3 * MIN, 'A column worth reading', ['https://column.test/c9']);
    // An outlet quotes the same passage (reuse) and meets one member once: no burst, not enough.
    add('outlet-q', T0 + 80 * DAY, `${filler(5)} ${PASSAGE} ${filler(6)}`, ['https://outlet-q.test/quote']);
    add('outlet-q', T0 + 90 * DAY, 'An outlet post', ['https://shared.test/x']);
    add('rival-pr', T0 + 90 * DAY + 2 * MIN, 'A rival post', ['https://shared.test/x']);
    return statements;
  }

  const result = detectCampaigns(withOutsiders(), [], { seed: 3 });
  const campaign = result.campaigns[0]!;

  it('associates an actor that met the group in a burst and by reused text, apart from the members', () => {
    expect(campaign.members).toEqual(['account-b', 'advocacy-d', 'commentator-c', 'rival-pr']);
    expect(campaign.associates.map((a) => a.actorId)).toEqual(['group-g']);
    const g = campaign.associates[0]!;
    expect(g.occasions).toBe(2);
    expect(g.bursts).toBe(1);
    expect(g.met).toEqual(['account-b', 'advocacy-d', 'commentator-c', 'rival-pr']);
    const reuse = result.edges.find((e) => e.basis === 'associated' && e.a === 'commentator-c' && e.b === 'group-g');
    expect(reuse?.explanations).toContain('commentator-c and group-g reused the same long passage word for word once, at any distance in time');
    const pushed = result.edges.find((e) => e.basis === 'associated' && e.a === 'account-b' && e.b === 'group-g');
    expect(pushed?.explanations).toContain('account-b and group-g shared the same link (https://group-g.test/brief) once on the same day');
    expect(pushed?.pValue).toBeNull();
  });

  it('leaves out one burst without reuse, and reuse with single meetings', () => {
    const all = result.campaigns.flatMap((c) => [...c.members, ...c.associates.map((a) => a.actorId)]);
    expect(all).not.toContain('news-n');
    expect(all).not.toContain('outlet-q');
  });

  it('marks associates in the exported graph', () => {
    expect(toGraphML(result)).toContain('<data key="basis">associated</data>');
  });
});

describe('accounts that join every news burst', () => {
  // Six busy accounts post in each of 100 news bursts, every burst a crowd of 150 other accounts
  // within the hour: they meet each other about 100 times, but always in a crowd.
  const statements: CoordinationStatement[] = [];
  const rnd = mulberry32(11);
  let n = 0;
  for (let e = 0; e < 100; e++) {
    const start = T0 + e * DAY + Math.floor(rnd() * 12) * 3_600_000;
    const url = `https://news.test/event/${e}`;
    const at = (): number => start + Math.floor(rnd() * 60) * MIN;
    for (let k = 0; k < 6; k++) statements.push({ id: `s${n++}`, actorId: `busy-${k}`, time: at(), text: `headline ${e} busy ${k}`, narrativeKey: `news-${e}`, urls: [url] });
    for (let k = 0; k < 150; k++) statements.push({ id: `s${n++}`, actorId: `reader-${e}-${k}`, time: at(), text: `headline ${e} reader ${k}`, narrativeKey: `news-${e}`, urls: [url] });
  }

  it('are not a campaign: their co-actions are all in crowds of 150', () => {
    expect(detectCampaigns(statements, [], { seed: 1, tauMs: 3_600_000 }).campaigns).toEqual([]);
  });

  it('would be one without the mean-score floor (the floor is what keeps them out)', () => {
    const members = detectCampaigns(statements, [], { seed: 1, tauMs: 3_600_000, minMeanScore: 0 }).campaigns.flatMap((c) => c.members);
    expect(members.filter((m) => m.startsWith('busy-')).length).toBeGreaterThanOrEqual(2);
  });
});
