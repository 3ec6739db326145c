import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { AppError } from '../errors.js';
import { canonicalUrl } from './canonical-url.js';
import { findAssociations } from './associates.js';
import { countCoActions, forEachCoAction, groupByObject } from './coaction.js';
import type { ActionTable, PairCounts } from './coaction.js';
import { mulberry32 } from './hash.js';
import { nearDuplicatePairs } from './lsh.js';
import { shortTextPairs, type ShortTextOptions } from './short-text.js';
import type { NearDuplicateOptions } from './lsh.js';
import { benjaminiHochberg, hypergeometricTail } from './stats.js';

/** One statement by one actor at one time. */
export interface CoordinationStatement {
  id: string;
  actorId: string;
  /** Milliseconds since the epoch. */
  time: number;
  /**
   * How uncertain `time` is, ms: the statement was made somewhere in [time, time + timeSpanMs].
   * An article dated only to the day has a span of a day, so it co-acts with the posts of that
   * day instead of only with those near midnight. Default 0 (exact).
   */
  timeSpanMs?: number;
  text: string;
  narrativeKey?: string | null;
  /**
   * Further narratives the same statement states (a long article states several). They make one
   * occasion with a partner, not one per narrative, and the actor's activity stays one statement.
   */
  narrativeKeys?: readonly string[];
  urls: string[];
}

/** A known tie between two actors (ownership, funding, employment, membership, competitor). */
export interface Affiliation {
  a: string;
  b: string;
  type: string;
  /** Plain-language path, e.g. "C is a fellow of D, which is funded by competitor E". */
  path: string;
}

/** The three kinds of object actors co-act on. */
export type CoSignal = 'narrative' | 'text' | 'link';
const SIGNALS: readonly CoSignal[] = ['narrative', 'text', 'link'];

/** Tuning knobs; every default is chosen for social posts and press statements. */
export interface CoordinationOptions {
  /** Seed for MinHash and Louvain, so the same input always gives the same campaigns. */
  seed?: number;
  /** Time scale of exp(-dt/tau); estimated from the data when absent. */
  tauMs?: number;
  /** Upper bound on the estimated tau (default one hour). */
  maxTauMs?: number;
  /** Window = windowFactor * tau (default 3, where the weight has fallen to 5%). */
  windowFactor?: number;
  /** Fewer repeated co-actions than this never make an edge (default 2). */
  minCoActions?: number;
  /** False discovery rate for the Benjamini-Hochberg step (default 0.01). */
  alpha?: number;
  /** Minimum weighted score of an edge (default 0.5). */
  minScore?: number;
  /**
   * Minimum mean score per co-action (default 0.08: about one co-action at the same moment in a
   * crowd of 70). Accounts that join every news burst meet each other often, but always among
   * hundreds; on the 10^6 generated corpus their pairs average 0.013-0.039, planted pairs 0.15-1.5.
   */
  minMeanScore?: number;
  /** Objects with more distinct actors are not expanded pair by pair (default 50). */
  maxActorsPerObject?: number;
  /** Neighbours per action on such objects (default 10). */
  maxNeighbours?: number;
  /** Multiplier on signals: narrative, text, link (default 1 each). */
  signalWeights?: Partial<Record<CoSignal, number>>;
  /** Score multiplier for coordinated pairs that are also affiliated (default 1.5). */
  affiliationBoost?: number;
  /** Louvain resolution (default 0.5: below 1 keeps a tight group with uneven edges whole). */
  resolution?: number;
  nearDuplicate?: NearDuplicateOptions;
  /**
   * Near-duplicate statement pairs (indices into `statements`) computed beforehand, e.g. with
   * nearDuplicatePairsParallel; when given, no MinHash runs here.
   */
  nearDuplicates?: { count: number; a: ArrayLike<number>; b: ArrayLike<number> };
  /**
   * Near-identical short posts among statements that already co-act on a narrative or link,
   * by character n-grams (see shortTextPairs); false turns the check off.
   */
  shortText?: ShortTextOptions | false;
  /** Texts at least this long (characters) whose near-duplicate passages count as reuse (default 600). */
  reuseMinChars?: number;
  /** Score of one reused passage (default 0.5). */
  reuseWeight?: number;
  /** Quantiles of the CooRnet estimator (defaults q = 0.1, p = 0.5). */
  estimator?: { q?: number; p?: number };
}

/** What a pair did together, per signal. */
export interface SignalDetail {
  count: number;
  /** Largest gap between the two actors' actions among their co-actions, ms. */
  maxGapMs: number;
  /** Popularity- and time-weighted score. */
  score: number;
  /**
   * 'exact' when every co-action had two exact times; 'day' when each involved a page dated only
   * to the day (the gap is unknown within that day, so the explanation says "on the same day" and
   * maxGapMs is 0); 'mixed' otherwise (maxGapMs covers the exact ones).
   */
  precision: 'exact' | 'day' | 'mixed';
}

/** A coordination edge between two actors. */
export interface CoordinationEdge {
  a: string;
  b: string;
  /**
   * 'tested': the pair's own repeated co-actions passed the chance test. 'associated': `b` (or
   * `a`) is a campaign member and the other an associate of the campaign (see Campaign.associates):
   * the edge shows what the two did together, which alone need not be a pattern.
   */
  basis: 'tested' | 'associated';
  /** Repeated co-actions: the largest per-signal count. */
  coActions: number;
  signals: Record<CoSignal, SignalDetail>;
  /** Mean exp(-dt/tau) over the pair's co-actions: 1 means simultaneous. */
  timing: number;
  /** Score before the affiliation boost. */
  coordinationScore: number;
  /** Final score (boosted when affiliated). */
  score: number;
  /** Chance test of the pair's overlap; null on associated edges (the group was judged, not the pair). */
  pValue: number | null;
  qValue: number | null;
  affiliated: boolean;
  affiliations: Affiliation[];
  /**
   * Long passages reused verbatim between the pair's documents, at any distance in time. A weak
   * signal: it adds one co-action to a pair that already co-acted in time, never makes an edge alone.
   */
  reuse: number;
  /** Narrative keys, canonical URLs and statement ids behind the edge. */
  narratives: string[];
  urls: string[];
  statementIds: string[];
  explanations: string[];
}

/** An actor tied to a campaign by repeated meetings with the group rather than with one member. */
export interface CampaignAssociate {
  actorId: string;
  /** Distinct occasions on which it met the campaign (co-actions in time, or verbatim reuse). */
  occasions: number;
  /** Of those, occasions on which two or more members acted with it within the window. */
  bursts: number;
  /** The members it met. */
  met: string[];
  explanation: string;
}

/** A community of coordinated actors. */
export interface Campaign {
  id: string;
  /** Actors whose pairwise co-actions passed the chance test (Louvain community). */
  members: string[];
  /**
   * Actors outside every tested community that met this one repeatedly, at least once in a burst
   * of several members: an organisation whose publications the members push within minutes, or
   * whose text they reuse. Reported apart from members.
   */
  associates: CampaignAssociate[];
  narratives: string[];
  urls: string[];
  statementIds: string[];
  /** Sum of edge scores per signal inside the campaign, plus affiliation bonus. */
  scores: Record<CoSignal | 'affiliation' | 'total', number>;
  /** Edges inside the campaign that are coordinated only / coordinated and affiliated. */
  coordinatedEdges: number;
  coordinatedAndAffiliatedEdges: number;
  edges: CoordinationEdge[];
}

/** Output of detectCampaigns. */
export interface CoordinationResult {
  campaigns: Campaign[];
  edges: CoordinationEdge[];
  tauMs: number;
  windowMs: number;
  stats: { statements: number; actors: number; objects: number; candidatePairs: number; tested: number };
}

// The package is CommonJS with an ESM-style declaration: at run time the default import is the
// function itself, while the types describe a namespace holding it.
type Louvain = (typeof louvainModule)['default'];
const louvain: Louvain =
  ((louvainModule as unknown as { default?: Louvain }).default ?? (louvainModule as unknown as Louvain));

class Interner {
  readonly ids: string[] = [];
  private readonly map = new Map<string, number>();
  id(key: string): number {
    let v = this.map.get(key);
    if (v === undefined) {
      v = this.ids.length;
      this.map.set(key, v);
      this.ids.push(key);
    }
    return v;
  }
  get(key: string): number | undefined {
    return this.map.get(key);
  }
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x] as number] as number;
    x = parent[x] as number;
  }
  return x;
}

/**
 * CooRnet's estimator of the coordination interval: for every object acted on at least twice,
 * the time from its first action until a share p of its actions had happened; the interval is
 * the q-quantile of those times (how fast the quickest objects spread). On few objects the
 * quantile is raised so that about five objects lie below it (at most the median). At least one second.
 */
export function estimateInterval(table: ActionTable, q = 0.1, p = 0.5): number {
  const { order, offsets } = groupByObject(table);
  const times: number[] = [];
  for (let o = 0; o < table.objectCount; o++) {
    const s = offsets[o] as number;
    const e = offsets[o + 1] as number;
    const n = e - s;
    if (n < 2) continue;
    const k = Math.max(1, Math.ceil(p * n) - 1);
    times.push((table.time[order[s + k] as number] as number) - (table.time[order[s] as number] as number));
  }
  if (times.length === 0) return 60_000;
  times.sort((x, y) => x - y);
  // A low quantile of a handful of objects is just the single fastest one (a reply within a
  // minute): the quantile is raised until about five objects sit below it, at most the median.
  const qq = Math.min(0.5, Math.max(q, 5 / times.length));
  const v = times[Math.min(times.length - 1, Math.floor(qq * (times.length - 1)))] as number;
  return Math.max(1000, v);
}

/** "40 minutes", "3 hours", "12 seconds". */
export function formatDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  const unit = (v: number, name: string): string => `${v} ${name}${v === 1 ? '' : 's'}`;
  if (s < 90) return unit(s, 'second');
  const m = Math.round(s / 60);
  if (m < 90) return unit(m, 'minute');
  const h = Math.round(m / 60);
  if (h < 48) return unit(h, 'hour');
  return unit(Math.round(h / 24), 'day');
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/**
 * "within 12 minutes"; "on the same day" when every co-action involved a page dated only to the
 * day (its gap from midnight says nothing); both when they are mixed.
 */
function when(d: SignalDetail): string {
  if (d.precision === 'day') return 'on the same day';
  const exact = `within ${formatDuration(d.maxGapMs)}`;
  return d.precision === 'mixed' ? `${exact} (or on the same day, for pages dated only to the day)` : exact;
}

/** A signal's precision from how many of its co-actions involved a page dated only to the day. */
function precisionOf(dayDated: number, total: number): SignalDetail['precision'] {
  return dayDated === 0 ? 'exact' : dayDated >= total ? 'day' : 'mixed';
}

function explain(a: string, b: string, e: CoordinationEdge): string[] {
  const out: string[] = [];
  const t = e.signals.text;
  if (t.count > 0) out.push(`${a} and ${b} published near-identical statements ${times(t.count)} ${when(t)}`);
  const n = e.signals.narrative;
  if (n.count > 0) {
    const which = e.narratives.length === 1 ? `the same narrative (${e.narratives[0]})` : `the same narratives (${e.narratives.length} of them)`;
    out.push(`${a} and ${b} pushed ${which} ${times(n.count)} ${when(n)}`);
  }
  const l = e.signals.link;
  if (l.count > 0) {
    const which = e.urls.length === 1 ? `the same link (${e.urls[0]})` : `the same links (${e.urls.length} of them)`;
    out.push(`${a} and ${b} shared ${which} ${times(l.count)} ${when(l)}`);
  }
  if (e.reuse > 0) out.push(`${a} and ${b} reused the same long passage word for word ${times(e.reuse)}, at any distance in time`);
  for (const af of e.affiliations) out.push(`Affiliated (${af.type}): ${af.path}`);
  return out;
}

/**
 * Weight of an object acted on by n distinct actors: 1 for a pair, 1/sqrt(n-1) beyond, and a
 * further cap/n past the burst cap, so accounts that join every viral burst (prolific accounts,
 * outlets covering real news) cannot add up an edge from many crowded objects.
 */
function popularityWeight(n: number, cap: number): number {
  return (1 / Math.sqrt(Math.max(1, n - 1))) * Math.min(1, cap / n);
}

/**
 * Detect coordinated campaigns among actors. Actors are linked by repeated co-actions within a
 * data-driven time window on three kinds of object (the same narrative, near-identical wording
 * found by MinHash-LSH, the same canonical link); each pair's overlap is tested against chance
 * (hypergeometric tail, Benjamini-Hochberg) and needs at least two co-actions. Affiliations only
 * raise the score of pairs that are already coordinated. Communities come from seeded Louvain.
 */
export function detectCampaigns(
  statements: readonly CoordinationStatement[],
  affiliations: readonly Affiliation[] = [],
  options: CoordinationOptions = {},
): CoordinationResult {
  const seed = options.seed ?? 1;
  const minCo = options.minCoActions ?? 2;
  const alpha = options.alpha ?? 0.01;
  const minScore = options.minScore ?? 0.5;
  const minMeanScore = options.minMeanScore ?? 0.08;
  const maxActorsPerObject = options.maxActorsPerObject ?? 50;
  const maxNeighbours = options.maxNeighbours ?? 10;
  const boost = options.affiliationBoost ?? 1.5;
  const reuseWeight = options.reuseWeight ?? 0.5;
  const weights: Record<CoSignal, number> = { narrative: 1, text: 1, link: 1, ...options.signalWeights };
  if (minCo < 2) throw new AppError('invalid_input', 'minCoActions must be at least 2: one shared action is not a pattern');

  const actors = new Interner();
  const n = statements.length;
  const stmtActor = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = statements[i] as CoordinationStatement;
    if (!Number.isFinite(s.time)) throw new AppError('invalid_input', `statement ${s.id} has no valid time`);
    stmtActor[i] = actors.id(s.actorId);
  }

  // Objects per signal. Text objects are clusters of near-identical statements (union-find).
  const objects: Record<CoSignal, Interner> = { narrative: new Interner(), text: new Interner(), link: new Interner() };
  const acts: Record<CoSignal, { actor: number[]; object: number[]; time: number[]; span: number[]; source: number[] }> = {
    narrative: { actor: [], object: [], time: [], span: [], source: [] },
    text: { actor: [], object: [], time: [], span: [], source: [] },
    link: { actor: [], object: [], time: [], span: [], source: [] },
  };
  let anySpan = false;
  const push = (sig: CoSignal, i: number, key: string): void => {
    const a = acts[sig];
    a.actor.push(stmtActor[i] as number);
    a.object.push(objects[sig].id(key));
    const st = statements[i] as CoordinationStatement;
    a.time.push(st.time);
    const span = Math.max(0, st.timeSpanMs ?? 0);
    if (span > 0) anySpan = true;
    a.span.push(span);
    a.source.push(i);
  };
  const dup =
    options.nearDuplicates ??
    nearDuplicatePairs(
      statements.map((s) => s.text),
      { seed, ...options.nearDuplicate },
    );
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const inCluster = new Uint8Array(n);
  for (let k = 0; k < dup.count; k++) {
    if (!((dup.a[k] as number) < n && (dup.b[k] as number) < n)) throw new AppError('invalid_input', 'near-duplicate pair outside the statements');
    const x = find(parent, dup.a[k] as number);
    const y = find(parent, dup.b[k] as number);
    inCluster[dup.a[k] as number] = 1;
    inCluster[dup.b[k] as number] = 1;
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  }
  // Reuse: a long passage found verbatim in the long documents of two different actors.
  const reuseMin = options.reuseMinChars ?? 600;
  const reuseByPair = new Map<number, number>();
  const reuseStatements: [number, number][] = [];
  const actorBitsAll = Math.max(1, Math.ceil(Math.log2(Math.max(2, actors.ids.length))));
  for (let k = 0; k < dup.count; k++) {
    const i = dup.a[k] as number;
    const j = dup.b[k] as number;
    const x = stmtActor[i] as number;
    const y = stmtActor[j] as number;
    if (x === y) continue;
    if ((statements[i] as CoordinationStatement).text.length < reuseMin || (statements[j] as CoordinationStatement).text.length < reuseMin) continue;
    const key = x < y ? x * 2 ** actorBitsAll + y : y * 2 ** actorBitsAll + x;
    reuseByPair.set(key, (reuseByPair.get(key) ?? 0) + 1);
    reuseStatements.push([i, j]);
  }
  for (let i = 0; i < n; i++) {
    const s = statements[i] as CoordinationStatement;
    const narratives = new Set<string>();
    if (s.narrativeKey !== undefined && s.narrativeKey !== null && s.narrativeKey !== '') narratives.add(s.narrativeKey);
    for (const k of s.narrativeKeys ?? []) if (k !== '') narratives.add(k);
    for (const k of narratives) push('narrative', i, k);
    if (inCluster[i] === 1) push('text', i, String(find(parent, i)));
    const urls = new Set<string>();
    for (const u of s.urls) {
      const c = canonicalUrl(u);
      if (c !== null) urls.add(c);
    }
    for (const u of urls) push('link', i, u);
  }
  const tableOf = (sig: CoSignal): ActionTable => {
    const a = acts[sig];
    const table: ActionTable = {
      actor: Int32Array.from(a.actor),
      object: Int32Array.from(a.object),
      time: Float64Array.from(a.time),
      source: Int32Array.from(a.source),
      actorCount: actors.ids.length,
      objectCount: objects[sig].ids.length,
    };
    if (anySpan) table.span = Float64Array.from(a.span);
    return table;
  };
  const tables = { narrative: tableOf('narrative'), text: tableOf('text'), link: tableOf('link') };

  // One time scale for all signals, estimated on all of them together, from exact times only: a
  // day-precision date at midnight would pose as the first action of every object it touches.
  const exact = (sig: CoSignal): number[] => acts[sig].span.flatMap((sp, k) => (sp > 0 ? [] : [k]));
  const all: ActionTable = {
    actor: new Int32Array(0),
    object: Int32Array.from(SIGNALS.flatMap((sig) => {
      const off = SIGNALS.slice(0, SIGNALS.indexOf(sig)).reduce((x, s2) => x + objects[s2].ids.length, 0);
      return exact(sig).map((k) => (acts[sig].object[k] as number) + off);
    })),
    time: Float64Array.from(SIGNALS.flatMap((sig) => exact(sig).map((k) => acts[sig].time[k] as number))),
    source: new Int32Array(0),
    actorCount: actors.ids.length,
    objectCount: SIGNALS.reduce((x, s2) => x + objects[s2].ids.length, 0),
  };
  all.actor = new Int32Array(all.time.length);
  // When nothing spreads fast the estimator drifts to hours; a window of a day no longer means
  // "together", so the estimate is capped (default one hour).
  const tauMs =
    options.tauMs ?? Math.min(options.maxTauMs ?? 3_600_000, estimateInterval(all, options.estimator?.q, options.estimator?.p));
  const windowMs = tauMs * (options.windowFactor ?? 3);
  const coOpts = {
    windowMs,
    tauMs,
    maxActorsPerObject,
    maxNeighbours,
    objectWeight: (k: number) => popularityWeight(k, maxActorsPerObject),
  };

  // Short posts rewritten just enough to escape MinHash join the text clusters of the
  // statements they already co-act with (the time scale above is estimated without them).
  const short =
    options.shortText === false
      ? []
      : shortTextPairs(
          statements.map((s) => s.text),
          [tables.narrative, tables.link],
          coOpts,
          options.shortText ?? {},
        );
  if (short.length > 0) {
    for (const [x0, y0] of short) {
      inCluster[x0] = 1;
      inCluster[y0] = 1;
      const x = find(parent, x0);
      const y = find(parent, y0);
      if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
    }
    objects.text = new Interner();
    acts.text = { actor: [], object: [], time: [], span: [], source: [] };
    for (let i = 0; i < n; i++) if (inCluster[i] === 1) push('text', i, String(find(parent, i)));
    tables.text = tableOf('text');
  }

  // Hypergeometric null per signal, aware of crowds. The population is all actions; a pair's
  // overlap k is its co-action episodes; actor b's draws are its actions, and actor a's
  // "successes" are the actions sharing a's (object, time-window) cells. Under this null an
  // account that always joins crowded cells (viral links, news bursts, prolific posting) is
  // expected to meet others often, while a small group meeting in cells of its own is not.
  const cells = {} as Record<CoSignal, { population: number; actions: Int32Array; exposure: Float64Array }>;
  for (const sig of SIGNALS) {
    const t = tables[sig];
    const g = groupByObject(t);
    const actions = new Int32Array(actors.ids.length);
    const exposure = new Float64Array(actors.ids.length);
    const lastCell = new Int32Array(actors.ids.length).fill(-1);
    // Activity is counted in statements, not actions: an article stating seven narratives is one
    // statement by a busy-looking actor, not seven.
    const counted = new Uint8Array(n);
    let population = 0;
    let cellId = 0;
    for (let o = 0; o < t.objectCount; o++) {
      const s0 = g.offsets[o] as number;
      const e0 = g.offsets[o + 1] as number;
      let k = s0;
      while (k < e0) {
        const slot = Math.floor((t.time[g.order[k] as number] as number) / windowMs);
        let end = k + 1;
        while (end < e0 && Math.floor((t.time[g.order[end] as number] as number) / windowMs) === slot) end++;
        const size = end - k;
        for (let x = k; x < end; x++) {
          const a = t.actor[g.order[x] as number] as number;
          const src = t.source[g.order[x] as number] as number;
          if (counted[src] === 0) {
            counted[src] = 1;
            actions[a]!++;
            population++;
          }
          if (lastCell[a] !== cellId) {
            lastCell[a] = cellId;
            exposure[a]! += 1;
          }
        }
        cellId++;
        k = end;
      }
    }
    cells[sig] = { population: Math.max(population, cellId), actions, exposure };
  }
  const totalObjects = all.objectCount;

  // Per-signal pair counts, merged by a k-way walk over the sorted keys.
  const per: Record<CoSignal, PairCounts> = {
    narrative: countCoActions(tables.narrative, coOpts),
    text: countCoActions(tables.text, coOpts),
    link: countCoActions(tables.link, coOpts),
  };
  const bits = per.narrative.actorBits;
  const scale = 2 ** bits;
  const pos: Record<CoSignal, number> = { narrative: 0, text: 0, link: 0 };
  const candKeys: number[] = [];
  const candP: number[] = [];
  const candCounts: number[][] = [];
  const candScores: number[][] = [];
  const candReuse: number[] = [];
  let candidatePairs = 0;
  for (;;) {
    let key = Infinity;
    for (const sig of SIGNALS) if (pos[sig] < per[sig].keys.length) key = Math.min(key, per[sig].keys[pos[sig]] as number);
    if (key === Infinity) break;
    candidatePairs++;
    const c = [0, 0, 0];
    const w = [0, 0, 0];
    SIGNALS.forEach((sig, si) => {
      const p = per[sig];
      if (pos[sig] < p.keys.length && p.keys[pos[sig]] === key) {
        c[si] = p.counts[pos[sig]] as number;
        w[si] = (p.weights[pos[sig]] as number) * weights[sig];
        pos[sig]++;
      }
    });
    // Repetition is judged per signal: one statement pair sharing a narrative, a link and its
    // wording is one co-action seen three ways, not three co-actions. Reuse is another occasion.
    const r = reuseByPair.get(key) ?? 0;
    const k = Math.max(c[0] as number, c[1] as number, c[2] as number) + r;
    const score = (w[0] as number) + (w[1] as number) + (w[2] as number) + r * reuseWeight;
    if (k < minCo || score < minScore || score / k < minMeanScore) continue;
    const a = Math.floor(key / scale);
    const b = key % scale;
    let pv = 1;
    let tests = 0;
    SIGNALS.forEach((sig, si) => {
      if (c[si] === 0) return;
      const ks = (c[si] as number) + r;
      tests++;
      const c2 = cells[sig];
      const N = c2.population;
      const ea = Math.min(N, Math.round(c2.exposure[a] as number));
      const eb = Math.min(N, Math.round(c2.exposure[b] as number));
      // Both directions, keeping the larger (more conservative) tail.
      const p1 = hypergeometricTail(ks, N, Math.max(ks, ea), c2.actions[b] as number);
      const p2 = hypergeometricTail(ks, N, Math.max(ks, eb), c2.actions[a] as number);
      pv = Math.min(pv, Math.max(p1, p2));
    });
    pv = Math.min(1, pv * tests);
    candKeys.push(key);
    candP.push(pv);
    candCounts.push(c);
    candScores.push(w);
    candReuse.push(r);
  }
  const q = benjaminiHochberg(Float64Array.from(candP), candidatePairs);

  // Affiliations by actor pair; unknown actors are ignored (they made no statement).
  const affByPair = new Map<number, Affiliation[]>();
  for (const af of affiliations) {
    const x = actors.get(af.a);
    const y = actors.get(af.b);
    if (x === undefined || y === undefined || x === y) continue;
    const key = x < y ? x * scale + y : y * scale + x;
    const list = affByPair.get(key) ?? [];
    list.push(af);
    affByPair.set(key, list);
  }

  const edges: CoordinationEdge[] = [];
  const edgeByKey = new Map<number, number>();
  for (let i = 0; i < candKeys.length; i++) {
    if ((q[i] as number) > alpha) continue;
    const key = candKeys[i] as number;
    const c = candCounts[i] as number[];
    const w = candScores[i] as number[];
    const affs = affByPair.get(key) ?? [];
    const reuse = candReuse[i] as number;
    const coordinationScore = (w[0] as number) + (w[1] as number) + (w[2] as number) + reuse * reuseWeight;
    const signals = {} as Record<CoSignal, SignalDetail>;
    SIGNALS.forEach((sig, si) => {
      signals[sig] = { count: c[si] as number, maxGapMs: 0, score: w[si] as number, precision: 'exact' };
    });
    edgeByKey.set(key, edges.length);
    const n1 = actors.ids[Math.floor(key / scale)] as string;
    const n2 = actors.ids[key % scale] as string;
    edges.push({
      a: n1 < n2 ? n1 : n2,
      b: n1 < n2 ? n2 : n1,
      basis: 'tested',
      coActions: Math.max(c[0] as number, c[1] as number, c[2] as number) + reuse,
      reuse,
      signals,
      timing: 0,
      coordinationScore,
      score: affs.length > 0 ? coordinationScore * boost : coordinationScore,
      pValue: candP[i] as number,
      qValue: q[i] as number,
      affiliated: affs.length > 0,
      affiliations: affs,
      narratives: [],
      urls: [],
      statementIds: [],
      explanations: [],
    });
  }

  // Second pass over the objects, for edges only: gaps, timing, what was shared, by whom.
  const timingSum = new Float64Array(edges.length);
  // Co-action episodes per edge and signal, and how many of them involved a day-dated page.
  const episodes = new Int32Array(edges.length * 3);
  const dayDated = new Int32Array(edges.length * 3);
  const stmtSets = edges.map(() => new Set<number>());
  const narrSets = edges.map(() => new Set<string>());
  const urlSets = edges.map(() => new Set<string>());
  for (const sig of SIGNALS) {
    const t = tables[sig];
    forEachCoAction(t, groupByObject(t), coOpts, (i, j, dt, o) => {
      const x = t.actor[i] as number;
      const y = t.actor[j] as number;
      const e = edgeByKey.get(x < y ? x * scale + y : y * scale + x);
      if (e === undefined) return;
      const edge = edges[e] as CoordinationEdge;
      const d = edge.signals[sig];
      const slot = e * 3 + SIGNALS.indexOf(sig);
      episodes[slot]!++;
      if (t.span !== undefined && ((t.span[i] as number) > 0 || (t.span[j] as number) > 0)) dayDated[slot]!++;
      else d.maxGapMs = Math.max(d.maxGapMs, dt);
      timingSum[e]! += Math.exp(-dt / tauMs);
      stmtSets[e]!.add(t.source[i] as number).add(t.source[j] as number);
      if (sig === 'narrative') narrSets[e]!.add(objects.narrative.ids[o] as string);
      if (sig === 'link') urlSets[e]!.add(objects.link.ids[o] as string);
    });
  }
  edges.forEach((edge, e) => {
    SIGNALS.forEach((sig, si) => {
      edge.signals[sig].precision = precisionOf(dayDated[e * 3 + si] as number, episodes[e * 3 + si] as number);
    });
    const total = edge.signals.narrative.count + edge.signals.text.count + edge.signals.link.count;
    edge.timing = total > 0 ? (timingSum[e] as number) / total : 0;
    edge.narratives = [...(narrSets[e] as Set<string>)].sort();
    edge.urls = [...(urlSets[e] as Set<string>)].sort();
    edge.statementIds = [...(stmtSets[e] as Set<number>)].map((s) => (statements[s] as CoordinationStatement).id).sort();
    edge.explanations = explain(edge.a, edge.b, edge);
  });
  edges.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));

  const campaigns = communities(edges, seed, options.resolution ?? 0.5);

  // Associates: actors outside every community that met one repeatedly, in bursts of its members.
  const campaignOf = new Int32Array(actors.ids.length).fill(-1);
  campaigns.forEach((c, ci) => {
    for (const m of c.members) campaignOf[actors.get(m) as number] = ci;
  });
  const stmtTime = new Float64Array(n);
  const stmtSpan = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    stmtTime[i] = (statements[i] as CoordinationStatement).time;
    stmtSpan[i] = Math.max(0, (statements[i] as CoordinationStatement).timeSpanMs ?? 0);
  }
  const associations =
    campaigns.length === 0
      ? []
      : findAssociations({
          tables: SIGNALS.map((sig) => tables[sig]),
          coOptions: coOpts,
          campaignOf,
          reuse: reuseStatements,
          stmtActor,
          stmtTime,
          stmtSpan,
          minOccasions: minCo,
        });
  for (const as of associations) {
    const campaign = campaigns[as.campaign] as Campaign;
    const outsider = actors.ids[as.outsider] as string;
    const met: string[] = [];
    for (const p of as.pairs) {
      const member = actors.ids[p.member] as string;
      met.push(member);
      const signals = {} as Record<CoSignal, SignalDetail>;
      SIGNALS.forEach((sig, si) => {
        const count = p.counts[si] as number;
        signals[sig] = { count, maxGapMs: p.maxGapMs[si] as number, score: 0, precision: precisionOf(p.dayDated[si] as number, count) };
      });
      const key = as.outsider < p.member ? as.outsider * scale + p.member : p.member * scale + as.outsider;
      const affs = affByPair.get(key) ?? [];
      const edge: CoordinationEdge = {
        a: outsider < member ? outsider : member,
        b: outsider < member ? member : outsider,
        basis: 'associated',
        coActions: Math.max(...p.counts) + p.reuse,
        signals,
        timing: 0,
        coordinationScore: 0,
        score: 0,
        pValue: null,
        qValue: null,
        affiliated: affs.length > 0,
        affiliations: affs,
        reuse: p.reuse,
        narratives: [...new Set(p.objects[0].map((o) => objects.narrative.ids[o] as string))].sort(),
        urls: [...new Set(p.objects[2].map((o) => objects.link.ids[o] as string))].sort(),
        statementIds: [...new Set(p.statements.map((x) => (statements[x] as CoordinationStatement).id))].sort(),
        explanations: [],
      };
      edge.explanations = explain(edge.a, edge.b, edge);
      campaign.edges.push(edge);
      edges.push(edge);
      for (const id of edge.statementIds) campaign.statementIds.push(id);
      for (const u of edge.urls) campaign.urls.push(u);
    }
    campaign.associates.push({
      actorId: outsider,
      occasions: as.occasions,
      bursts: as.bursts,
      met: met.sort(),
      explanation:
        `${outsider} is associated with this campaign: it met the group on ${as.occasions} separate occasions ` +
        `(${as.bursts === 1 ? 'one burst' : `${as.bursts} bursts`} in which two or more members pushed, within ${formatDuration(windowMs)} or on the same day, an address it had published or shared first` +
        `${as.occasions > as.bursts ? `, and ${as.occasions - as.bursts === 1 ? 'one long passage' : `${as.occasions - as.bursts} long passages`} reused word for word` : ''}), ` +
        `meeting ${met.join(', ')}; no pair with a single member passed the chance test on its own`,
    });
  }
  for (const c of campaigns) {
    c.statementIds = [...new Set(c.statementIds)].sort();
    c.urls = [...new Set(c.urls)].sort();
  }
  return {
    campaigns,
    edges,
    tauMs,
    windowMs,
    stats: {
      statements: n,
      actors: actors.ids.length,
      objects: totalObjects,
      candidatePairs,
      tested: candKeys.length,
    },
  };
}

function communities(edges: readonly CoordinationEdge[], seed: number, resolution: number): Campaign[] {
  const g = new UndirectedGraph();
  const nodes = [...new Set(edges.flatMap((e) => [e.a, e.b]))].sort();
  for (const v of nodes) g.addNode(v);
  const sorted = [...edges].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
    // Louvain sees coordination strength only: the affiliation boost would pull an affiliated pair
  // out of its group as a community of two.
  for (const e of sorted) g.addEdge(e.a, e.b, { weight: e.coordinationScore });
  if (g.order === 0) return [];
  const membership = louvain(g, { rng: mulberry32(seed), resolution, getEdgeWeight: 'weight' });
  const groups = new Map<number, string[]>();
  for (const v of nodes) {
    const c = membership[v] as number;
    const list = groups.get(c) ?? [];
    list.push(v);
    groups.set(c, list);
  }
  const lists = [...groups.values()].filter((m) => m.length >= 2);
  lists.sort((x, y) => y.length - x.length || ((x[0] as string) < (y[0] as string) ? -1 : 1));
  return lists.map((members, idx) => {
    const set = new Set(members);
    const inside = edges.filter((e) => set.has(e.a) && set.has(e.b));
    const scores = { narrative: 0, text: 0, link: 0, affiliation: 0, total: 0 };
    for (const e of inside) {
      for (const sig of SIGNALS) scores[sig] += e.signals[sig].score;
      scores.affiliation += e.score - e.coordinationScore;
      scores.total += e.score;
    }
    return {
      id: `campaign-${idx + 1}`,
      members,
      narratives: [...new Set(inside.flatMap((e) => e.narratives))].sort(),
      urls: [...new Set(inside.flatMap((e) => e.urls))].sort(),
      statementIds: [...new Set(inside.flatMap((e) => e.statementIds))].sort(),
      scores,
      coordinatedEdges: inside.filter((e) => !e.affiliated).length,
      coordinatedAndAffiliatedEdges: inside.filter((e) => e.affiliated).length,
      edges: inside,
      associates: [],
    };
  });
}

