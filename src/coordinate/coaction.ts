import { PairAccumulator } from './pair-accumulator.js';

/** Actions of actors on objects (a link, a narrative, a near-duplicate text cluster), columnar. */
export interface ActionTable {
  actor: Int32Array;
  object: Int32Array;
  time: Float64Array;
  /** Index of the originating statement, carried through for explanations. */
  source: Int32Array;
  /**
   * Uncertainty of each action's time, ms: the action happened somewhere in [time, time + span].
   * A document dated only to the day has a span of a day. Absent means every time is exact.
   */
  span?: Float64Array;
  actorCount: number;
  objectCount: number;
}

/** How co-actions are windowed and weighted. */
export interface CoActionOptions {
  /** Two actions on one object count as a co-action when |dt| <= windowMs. */
  windowMs: number;
  /** Time scale of the exp(-dt/tau) weight; Infinity gives every co-action weight 1. */
  tauMs: number;
  /** Objects acted on by more distinct actors than this are not expanded pair by pair. */
  maxActorsPerObject: number;
  /** For such objects, each action is paired with at most this many following actions. */
  maxNeighbours: number;
  /** Weight of an object from its number of distinct actors (popular objects count less). */
  objectWeight: (distinctActors: number) => number;
}

/** Visit each object's actions in time order: counting sort by object, stable on time order. */
export function groupByObject(t: ActionTable): { order: Int32Array; offsets: Int32Array } {
  const n = t.actor.length;
  const byTime = new Int32Array(n);
  for (let i = 0; i < n; i++) byTime[i] = i;
  byTime.sort((x, y) => (t.time[x] as number) - (t.time[y] as number) || x - y);
  const offsets = new Int32Array(t.objectCount + 1);
  for (let i = 0; i < n; i++) offsets[(t.object[i] as number) + 1]! += 1;
  for (let o = 0; o < t.objectCount; o++) offsets[o + 1]! += offsets[o] as number;
  const fill = offsets.slice(0, t.objectCount);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = byTime[k] as number;
    const o = t.object[i] as number;
    order[fill[o]!++] = i;
  }
  return { order, offsets };
}

/**
 * Call `visit(actionI, actionJ, dt, object, distinctActors)` once per co-action episode: two
 * actors acting on one object within the window. A new episode for the same pair and object
 * starts only after the previous one ended, so an account retweeting the same tweet twice
 * counts once, while a narrative pushed together in three separate bursts counts three times.
 * Objects with more than maxActorsPerObject actors (a viral link, a burst around real news)
 * only pair each action with its next maxNeighbours actions, so a burst of m actions costs
 * O(m) instead of O(m^2).
 */
export function forEachCoAction(
  t: ActionTable,
  grouped: { order: Int32Array; offsets: Int32Array },
  opts: Pick<CoActionOptions, 'windowMs' | 'maxActorsPerObject' | 'maxNeighbours'>,
  visit: (i: number, j: number, dt: number, object: number, distinctActors: number) => void,
): void {
  const { order, offsets } = grouped;
  const seen = new Int32Array(t.actorCount).fill(-1);
  // Per object only: pair -> end time of its last episode. Bounded by the pairs of one object.
  const lastEnd = new Map<number, number>();
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(Math.max(2, t.actorCount))));
  for (let o = 0; o < t.objectCount; o++) {
    const s = offsets[o] as number;
    const e = offsets[o + 1] as number;
    if (e - s < 2) continue;
    let distinct = 0;
    for (let k = s; k < e; k++) {
      const a = t.actor[order[k] as number] as number;
      if (seen[a] !== o) {
        seen[a] = o;
        distinct++;
      }
    }
    if (distinct < 2) continue;
    const capped = distinct > opts.maxActorsPerObject;
    lastEnd.clear();
    for (let x = s; x < e; x++) {
      const i = order[x] as number;
      const ti = t.time[i] as number;
      // Actions are in start order, so j's distance to i's interval only grows along the loop.
      const endI = ti + (t.span ? (t.span[i] as number) : 0);
      const ai = t.actor[i] as number;
      const lim = capped ? Math.min(e, x + 1 + opts.maxNeighbours) : e;
      for (let y = x + 1; y < lim; y++) {
        const j = order[y] as number;
        const tj = t.time[j] as number;
        const dt = Math.max(0, tj - endI);
        if (dt > opts.windowMs) break;
        // Two vague times are compared at their own precision: two pages dated to the day meet
        // only on the same day, not across midnight.
        if (dt > 0 && endI > ti && t.span !== undefined && (t.span[j] as number) > 0) continue;
        const aj = t.actor[j] as number;
        if (aj === ai) continue;
        const key = ai < aj ? ai * scale + aj : aj * scale + ai;
        const last = lastEnd.get(key);
        if (last !== undefined && ti <= last) continue;
        lastEnd.set(key, tj);
        visit(i, j, dt, o, distinct);
      }
    }
  }
}

/** Aggregated co-actions per actor pair for one kind of object. */
export interface PairCounts {
  actorBits: number;
  /** Sorted pair keys lo * 2^actorBits + hi. */
  keys: Float64Array;
  /** Co-action episodes of the pair (distinct objects, or separate bursts on one object). */
  counts: Int32Array;
  /** Sum over those objects of objectWeight * exp(-dt / tau). */
  weights: Float64Array;
}

/**
 * Count, for every actor pair, the co-action episodes within the window (a pair of statements
 * sharing several objects counts once), and the decayed, popularity-weighted sum, aggregated in
 * sorted typed arrays.
 */
export function countCoActions(t: ActionTable, opts: CoActionOptions): PairCounts {
  const actorBits = Math.max(1, Math.ceil(Math.log2(Math.max(2, t.actorCount))));
  const acc = new PairAccumulator(actorBits);
  const grouped = groupByObject(t);
  const finiteTau = Number.isFinite(opts.tauMs) && opts.tauMs > 0;
  // Two statements that share several objects of one kind (an article and a post stating the same
  // two narratives) met once, not once per object. Only statements with several actions here can
  // meet twice, so only their pairs are remembered, which keeps the set small on large corpora.
  let sources = 0;
  for (let k = 0; k < t.source.length; k++) sources = Math.max(sources, (t.source[k] as number) + 1);
  const perSource = new Uint8Array(sources);
  for (let k = 0; k < t.source.length; k++) {
    const src = t.source[k] as number;
    if (perSource[src]! < 2) perSource[src]! += 1;
  }
  const met = new Set<number>();
  forEachCoAction(t, grouped, opts, (i, j, dt, _o, distinct) => {
    const si = t.source[i] as number;
    const sj = t.source[j] as number;
    if (perSource[si] === 2 && perSource[sj] === 2) {
      const key = si < sj ? si * sources + sj : sj * sources + si;
      if (met.has(key)) return;
      met.add(key);
    }
    const w = opts.objectWeight(distinct) * (finiteTau ? Math.exp(-dt / opts.tauMs) : 1);
    acc.add(t.actor[i] as number, t.actor[j] as number, w);
  });
  const r = acc.finish();
  return { actorBits, keys: r.keys, counts: r.counts, weights: r.sums };
}
