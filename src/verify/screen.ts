import { analyseName, compareNames, explainMatch, isPlaceToken, NAME_MATCH_THRESHOLD, nameKey } from '../domain/name-match.js';
import type { ListRecord } from './types.js';

/** Scores between this and the match threshold are reported as name-similar, low confidence. */
export const NAME_SIMILAR_FLOOR = 0.5;

/** Posting lists longer than this are generic words; they are used only when nothing rarer is there. */
const MAX_POSTING = 2000;

interface Entry {
  record: number;
  name: string;
}

/** An inverted index of list names for screening. */
export interface ScreenIndex {
  records: ListRecord[];
  entries: Entry[];
  postings: Map<string, number[]>;
}

function blockingKeys(name: string): string[] {
  const keys: string[] = [];
  for (const t of analyseName(name).tokens) {
    keys.push(`t:${t.text}`);
    // Prefix and suffix keys catch a misspelling in the other half of a word.
    if (t.text.length >= 5) keys.push(`p:${t.text.slice(0, 4)}`, `s:${t.text.slice(-4)}`);
  }
  return [...new Set(keys)];
}

/** Builds the index over every name and alias of the records. */
export function buildScreenIndex(records: readonly ListRecord[]): ScreenIndex {
  const index: ScreenIndex = { records: [...records], entries: [], postings: new Map() };
  index.records.forEach((r, ri) => {
    if (r.category) return;
    for (const name of new Set([r.name, ...r.aliases])) {
      const id = index.entries.length;
      index.entries.push({ record: ri, name });
      for (const k of blockingKeys(name)) {
        const list = index.postings.get(k);
        if (list) list.push(id);
        else index.postings.set(k, [id]);
      }
    }
  });
  return index;
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

function candidatesFor(index: ScreenIndex, name: string): number[] {
  const lists = blockingKeys(name)
    .map((k) => index.postings.get(k) ?? [])
    .filter((l) => l.length > 0)
    .sort((a, b) => a.length - b.length);
  const usable = lists.filter((l) => l.length <= MAX_POSTING);
  const chosen = usable.length > 0 ? usable : lists.slice(0, 1);
  const out = new Set<number>();
  for (const l of chosen) for (const id of l) out.add(id);
  return [...out];
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
  for (const q of names) {
    const cands = candidatesFor(index, q);
    seen.n += cands.length;
    for (const id of cands) {
      const e = index.entries[id]!;
      const r = index.records[e.record]!;
      if (opts.listIds && !opts.listIds.includes(r.listId)) continue;
      if (opts.on && !listedOn(r, opts.on)) continue;
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
