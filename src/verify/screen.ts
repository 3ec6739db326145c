import { analyseName, compareNames, explainMatch, isPlaceToken, NAME_MATCH_THRESHOLD, nameKey } from '../domain/name-match.js';
import type { ListRecord } from './types.js';

/** Scores between this and the match threshold are reported as name-similar, low confidence. */
export const NAME_SIMILAR_FLOOR = 0.5;

/** Posting lists longer than this are generic words; they are used only when nothing rarer is there. */
const MAX_POSTING = 2000;

/**
 * When a query name reaches at most this many entries, every one is scored with compareNames.
 * Beyond it compareNames (~0.2 ms a pair) would dominate a query over 10^6 names, so the entries
 * sharing the most and rarest keys are estimated first (ESTIMATED_CANDIDATES of them) and only
 * those whose estimate can reach the name-similar floor are scored, best MAX_SCORED_CANDIDATES.
 */
export const SCORE_ALL_BELOW = 32;
const ESTIMATED_CANDIDATES = 64;
const MAX_SCORED_CANDIDATES = 16;
/** An estimate below this cannot come near NAME_SIMILAR_FLOOR (the estimate is generous: no penalties). */
const ESTIMATE_FLOOR = 0.4;

/** Token keys decide more than prefix and suffix keys, which also catch unrelated words. */
const AFFIX_KEY_WEIGHT = 0.5;

/** Ranks an entry whose tokens equal the query's ahead of anything the key overlap can reach. */
const EXACT_BONUS = 1e6;

interface Entry {
  record: number;
  name: string;
  /** The analysed tokens and their weights, kept for the cheap estimate. */
  tokens: string[];
  weights: number[];
}

/** An inverted index of list names for screening. */
export interface ScreenIndex {
  records: ListRecord[];
  entries: Entry[];
  postings: Map<string, number[]>;
  /** Entries by their analysed tokens joined: the exact-name fast path. */
  exact: Map<string, number[]>;
}

function tokenKey(tokens: readonly { text: string }[]): string {
  return tokens.map((t) => t.text).join(' ');
}

function blockingKeys(tokens: readonly { text: string }[]): string[] {
  const keys: string[] = [];
  for (const t of tokens) {
    keys.push(`t:${t.text}`);
    // Prefix and suffix keys catch a misspelling in the other half of a word.
    if (t.text.length >= 5) keys.push(`p:${t.text.slice(0, 4)}`, `s:${t.text.slice(-4)}`);
  }
  return [...new Set(keys)];
}

/** Builds the index over every name and alias of the records. */
export function buildScreenIndex(records: readonly ListRecord[]): ScreenIndex {
  const index: ScreenIndex = { records: [...records], entries: [], postings: new Map(), exact: new Map() };
  index.records.forEach((r, ri) => {
    if (r.category) return;
    for (const name of new Set([r.name, ...r.aliases])) {
      const id = index.entries.length;
      const tokens = analyseName(name).tokens;
      index.entries.push({ record: ri, name, tokens: tokens.map((t) => t.text), weights: tokens.map((t) => t.weight) });
      for (const k of blockingKeys(tokens)) {
        const list = index.postings.get(k);
        if (list) list.push(id);
        else index.postings.set(k, [id]);
      }
      const ek = tokenKey(tokens);
      const same = index.exact.get(ek);
      if (same) same.push(id);
      else index.exact.set(ek, [id]);
    }
  });
  return index;
}

/** Per-index scratch space for candidate scoring, reused across queries (JS runs one query at a time). */
interface Scratch {
  stamp: Int32Array;
  score: Float64Array;
  /** Estimates of the entries being ranked; only those set in this query are read. */
  estimate: Float64Array;
  query: number;
}
const scratchOf = new WeakMap<ScreenIndex, Scratch>();

function scratch(index: ScreenIndex): Scratch {
  let s = scratchOf.get(index);
  if (!s || s.stamp.length < index.entries.length) {
    const n = index.entries.length;
    s = { stamp: new Int32Array(n), score: new Float64Array(n), estimate: new Float64Array(n), query: 0 };
    scratchOf.set(index, s);
  }
  s.query = s.query === 0x7fffffff ? 1 : s.query + 1;
  if (s.query === 1) s.stamp.fill(0);
  return s;
}

/**
 * Entries to score for a query name, in the order they were first reached (rarest key first, as
 * the uncapped union was). Each entry earns the inverse document frequency of every key it shares
 * with the query; when more than MAX_SCORED_CANDIDATES entries pass `accept`, the best earners are kept.
 */
function candidatesFor(index: ScreenIndex, name: string, accept: ((id: number) => boolean) | null): { ids: number[]; reached: number } {
  const tokens = analyseName(name).tokens;
  const lists = blockingKeys(tokens)
    .map((k) => ({ list: index.postings.get(k) ?? [], weight: k.startsWith('t:') ? 1 : AFFIX_KEY_WEIGHT }))
    .filter((l) => l.list.length > 0)
    .sort((a, b) => a.list.length - b.list.length);
  const usable = lists.filter((l) => l.list.length <= MAX_POSTING);
  const chosen = usable.length > 0 ? usable : lists.slice(0, 1);
  const s = scratch(index);
  const n = index.entries.length;
  const reached: number[] = [];
  for (const { list, weight } of chosen) {
    const w = weight * Math.log(1 + n / list.length);
    for (const id of list) {
      if (s.stamp[id] !== s.query) {
        s.stamp[id] = s.query;
        s.score[id] = 0;
        reached.push(id);
      }
      s.score[id]! += w;
    }
  }
  for (const id of index.exact.get(tokenKey(tokens)) ?? []) {
    if (s.stamp[id] !== s.query) {
      s.stamp[id] = s.query;
      s.score[id] = 0;
      reached.push(id);
    }
    s.score[id]! += EXACT_BONUS;
  }
  const accepted = accept ? reached.filter(accept) : reached;
  if (accepted.length <= SCORE_ALL_BELOW) return { ids: accepted, reached: accepted.length };
  // The best earners of key overlap, ties to the entry reached first (kept in reach order).
  const overlap = topByScore(accepted, s.score, ESTIMATED_CANDIDATES);
  const qText = tokens.map((t) => t.text);
  const qWeights = tokens.map((t) => t.weight);
  const est = new Map<number, number>();
  for (const id of overlap) {
    const e = s.score[id]! >= EXACT_BONUS ? 2 : estimate(qText, qWeights, index.entries[id]!);
    if (e >= ESTIMATE_FLOOR) est.set(id, e);
  }
  const estIds = [...est.keys()];
  for (const [id, e] of est) s.estimate[id] = e;
  const ids = topByScore(estIds, s.estimate, MAX_SCORED_CANDIDATES);
  return { ids, reached: accepted.length };
}

/** The `k` ids with the highest scores, ties to the earlier id in `ids`; returned in `ids` order. */
function topByScore(ids: readonly number[], score: Float64Array, k: number): number[] {
  if (ids.length <= k) return [...ids];
  const sorted = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) sorted[i] = score[ids[i]!]!;
  sorted.sort();
  const kth = sorted[sorted.length - k]!;
  let above = 0;
  for (let i = sorted.length - 1; i >= 0 && sorted[i]! > kth; i--) above++;
  let ties = k - above;
  const out: number[] = [];
  for (const id of ids) {
    const v = score[id]!;
    if (v > kth) out.push(id);
    else if (v === kth && ties > 0) {
      out.push(id);
      ties--;
    }
  }
  return out;
}

const editRows = [new Int32Array(64), new Int32Array(64)] as const;

/** Edit distance of two short words (Levenshtein, two reused rows; words over 63 letters are cut). */
function levenshtein(a: string, b: string): number {
  const la = Math.min(a.length, 63);
  const lb = Math.min(b.length, 63);
  let prev = editRows[0];
  let cur = editRows[1];
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

/**
 * A stand-in for the token similarity of compareNames: same word 1, an initial 0.7, a spelling
 * variant the same partial credit (decaying with each edit after the first). Sound-alike and
 * given-name variants are not recognised here; compareNames still scores them when a name
 * reaches few entries (SCORE_ALL_BELOW), which is every list held today.
 */
function tokenEstimate(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.7 : 0;
  const maxLen = Math.max(a.length, b.length);
  if (maxLen < 4 || Math.abs(a.length - b.length) / maxLen >= 0.6) return 0;
  const edits = levenshtein(a, b);
  const ratio = 1 - edits / maxLen;
  return ratio > 0.4 ? Math.sqrt((ratio - 0.4) / 0.6) * 0.95 * 0.8 ** Math.max(0, edits - 1) : 0;
}

/** Weighted share of both names' tokens that find a partner, each at its best estimate. */
function estimate(qText: readonly string[], qWeights: readonly number[], e: Entry): number {
  let got = 0;
  let total = 0;
  const best = new Array<number>(e.tokens.length).fill(0);
  for (let i = 0; i < qText.length; i++) {
    let b = 0;
    for (let j = 0; j < e.tokens.length; j++) {
      const sim = tokenEstimate(qText[i]!, e.tokens[j]!);
      if (sim > b) b = sim;
      if (sim > best[j]!) best[j] = sim;
    }
    got += qWeights[i]! * b;
    total += qWeights[i]!;
  }
  for (let j = 0; j < e.tokens.length; j++) {
    got += e.weights[j]! * best[j]!;
    total += e.weights[j]!;
  }
  return total === 0 ? 1 : got / total;
}

/** How a query reached a record. */
export type MatchBasis = 'name' | 'subsidiary-terms' | 'ownership' | 'name-similar';

export interface ScreenMatch {
  listId: string;
  recordKey: string;
  /** The list's name for the entity (the record's primary name). */
  listedName: string;
  /** The record name or alias that matched. */
  matchedName: string;
  /** The name the query was compared with: the query itself, or the parent it is linked to. */
  queryName: string;
  score: number;
  basis: MatchBasis;
  confidence: 'high' | 'medium' | 'low';
  /** The query name and the listed name are the same name (legal forms aside). */
  exact: boolean;
  listedFrom: string | null;
  listedUntil: string | null;
  sourceUrl: string;
  explanation: string;
  record: ListRecord;
}

export interface ScreenOptions {
  /** Only records listed on this ISO day. */
  on?: string;
  listIds?: readonly string[];
  /** Other names of the same party (aliases registered for a subject). */
  aliases?: readonly string[];
  /** Registered owners of a name: parent names reached through ownership links. */
  ownership?: (name: string) => readonly string[];
}

export interface ScreenResult {
  matches: ScreenMatch[];
  /** Index entries scored for the query: the work the index left to do. */
  candidates: number;
}

/** True when the record is on its list on that day (listedUntil is the first day off it). */
export function listedOn(r: Pick<ListRecord, 'listedFrom' | 'listedUntil'>, day: string): boolean {
  return (r.listedFrom === null || r.listedFrom <= day) && (r.listedUntil === null || day < r.listedUntil);
}

/**
 * The record's name reduced to its brand: a query made of a listed brand plus generic words
 * ("Hikvision USA Inc.") names an affiliate of the listed company, which counts only on lists
 * whose terms extend to subsidiaries and affiliates.
 */
function affiliateOf(query: string, record: ListRecord): string | null {
  const q = analyseName(query).tokens;
  const strongQ = q.filter((t) => t.weight >= 0.7 && !isPlaceToken(t.text));
  if (strongQ.length !== 1) return null;
  const brand = strongQ[0]!.text;
  for (const n of [record.name, ...record.aliases]) {
    if (analyseName(n).tokens.some((t) => t.text === brand && t.weight >= 0.7)) return n;
  }
  return null;
}

function toMatch(r: ListRecord, matchedName: string, queryName: string, score: number, basis: MatchBasis, note: string): ScreenMatch {
  const confidence = basis === 'name' || basis === 'ownership' ? 'high' : basis === 'subsidiary-terms' ? 'medium' : 'low';
  return {
    listId: r.listId,
    recordKey: r.recordKey,
    listedName: r.name,
    matchedName,
    queryName,
    score,
    basis,
    confidence,
    exact: nameKey(queryName) === nameKey(matchedName),
    listedFrom: r.listedFrom,
    listedUntil: r.listedUntil,
    sourceUrl: r.sourceUrl,
    explanation: `${note}: ${explainMatch(queryName, matchedName).summary}`,
    record: r,
  };
}

function directMatches(index: ScreenIndex, names: readonly string[], opts: ScreenOptions, seen: { n: number }): Map<number, ScreenMatch> {
  const best = new Map<number, ScreenMatch>();
  const accept =
    opts.listIds || opts.on
      ? (id: number): boolean => {
          const r = index.records[index.entries[id]!.record]!;
          return (!opts.listIds || opts.listIds.includes(r.listId)) && (!opts.on || listedOn(r, opts.on));
        }
      : null;
  for (const q of names) {
    const { ids } = candidatesFor(index, q, accept);
    seen.n += ids.length;
    for (const id of ids) {
      const e = index.entries[id]!;
      const r = index.records[e.record]!;
      const score = compareNames(q, e.name);
      let m: ScreenMatch | null = null;
      if (score >= NAME_MATCH_THRESHOLD) m = toMatch(r, e.name, q, score, 'name', `"${q}" matches "${e.name}"`);
      else if (r.coversSubsidiaries && affiliateOf(q, r)) {
        m = toMatch(r, e.name, q, score, 'subsidiary-terms', `"${q}" carries the name of "${r.name}", and ${r.listId} is read to include subsidiaries and affiliates`);
      } else if (score >= NAME_SIMILAR_FLOOR) {
        m = toMatch(r, e.name, q, score, 'name-similar', `"${q}" only resembles "${e.name}"; not the listed entity without an ownership link`);
      }
      if (!m) continue;
      const prev = best.get(e.record);
      if (!prev || rank(m) > rank(prev)) best.set(e.record, m);
    }
  }
  return best;
}

function rank(m: ScreenMatch): number {
  const basis = m.basis === 'name' || m.basis === 'ownership' ? 2 : m.basis === 'subsidiary-terms' ? 1 : 0;
  return basis * 10 + m.score;
}

/**
 * Screens a name against the index: the name and its aliases directly, then the parents that
 * registered ownership links lead to. A parent's listing reaches the name only through such a
 * link; a listing whose terms cover subsidiaries reaches names built on the listed brand. Other
 * resemblances come back as low-confidence name-similar matches, never as the listed entity.
 */
export function screenDetailed(index: ScreenIndex, name: string, opts: ScreenOptions = {}): ScreenResult {
  const key = cacheKey(name, opts);
  let cache = resultCache.get(index);
  const hit = cache?.get(key);
  if (hit) return { matches: [...hit.matches], candidates: hit.candidates };
  const result = screenUncached(index, name, opts);
  if (!cache || cache.size >= MAX_CACHED_RESULTS) {
    cache = new Map();
    resultCache.set(index, cache);
  }
  cache.set(key, result);
  return { matches: [...result.matches], candidates: result.candidates };
}

/**
 * Results per index and query: the verdict rules screen the same few subjects for every claim
 * about them. An index never changes once built, and an ownership resolver is taken to answer
 * the same for its lifetime (it is built from a snapshot of the registry), so a result stays true.
 */
const resultCache = new WeakMap<ScreenIndex, Map<string, ScreenResult>>();
const MAX_CACHED_RESULTS = 10_000;
const resolverIds = new WeakMap<object, number>();
let nextResolverId = 1;

function cacheKey(name: string, opts: ScreenOptions): string {
  let resolver = 0;
  if (opts.ownership) {
    resolver = resolverIds.get(opts.ownership) ?? nextResolverId++;
    resolverIds.set(opts.ownership, resolver);
  }
  return JSON.stringify([name, opts.on ?? null, opts.listIds ?? null, opts.aliases ?? [], resolver]);
}

function screenUncached(index: ScreenIndex, name: string, opts: ScreenOptions): ScreenResult {
  const seen = { n: 0 };
  const names = [name, ...(opts.aliases ?? [])];
  const best = directMatches(index, names, opts, seen);
  const parents = [...new Set(names.flatMap((n) => opts.ownership?.(n) ?? []))];
  for (const parent of parents) {
    for (const [ri, m] of directMatches(index, [parent], opts, seen)) {
      if (m.basis !== 'name') continue;
      const via: ScreenMatch = {
        ...m,
        basis: 'ownership',
        confidence: 'high',
        exact: false,
        explanation: `"${name}" is owned by "${parent}" (registered ownership link), and ${m.explanation}`,
      };
      const prev = best.get(ri);
      if (!prev || rank(via) > rank(prev)) best.set(ri, via);
    }
  }
  const matches = [...best.values()].sort((a, b) => rank(b) - rank(a) || a.listId.localeCompare(b.listId));
  return { matches, candidates: seen.n };
}

/** Matches for a name, best first. See screenDetailed. */
export function screen(index: ScreenIndex, name: string, opts: ScreenOptions = {}): ScreenMatch[] {
  return screenDetailed(index, name, opts).matches;
}
