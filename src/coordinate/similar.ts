import { AppError } from '../errors.js';

/** Structured frame of a claim, when the extractor produced one. */
export interface ClaimFrame {
  subject?: string | null;
  predicate?: string | null;
  object?: string | null;
  polarity?: string | null;
}

/** One candidate (a narrative or a known claim) to rank. */
export interface SimilarCandidate {
  id: string;
  text: string;
  frame?: ClaimFrame;
}

/** A query: free text, optionally with its frame. */
export type SimilarQuery = string | { text: string; frame?: ClaimFrame };

/** One ranked result. */
export interface SimilarHit {
  id: string;
  score: number;
}

/** Weights of the combined score; each signal is in [0, 1]. */
export interface SimilarWeights {
  bm25: number;
  chars: number;
  entities: number;
  frame: number;
}

/**
 * Set a priori, not fitted; `src/eval/similar-eval.ts` reports them beside a grid search on the
 * dev half of data/similar-eval, so a gain from tuning would show as a dev/test gap.
 */
export const DEFAULT_WEIGHTS: SimilarWeights = { bm25: 0.5, chars: 0.35, entities: 0.15, frame: 0.3 };

const STOP = new Set(
  ('a an the and or but if of to in on at by for with from as is are was were be been being it its this that these those ' +
    'there here they them their we our you your he she his her i me my not no so do does did has have had will would ' +
    'can could should may might must just than then also about into over after before up down out more most very what ' +
    'which who whom how why when where all any some such only own same too s t rt via amp').split(' '),
);

// Spellings common in posts, mapped to the words fact-check claims use.
const SOCIAL = new Map(
  Object.entries({
    govt: 'government',
    gov: 'government',
    gvt: 'government',
    pres: 'president',
    potus: 'president',
    ppl: 'people',
    u: 'you',
    ur: 'your',
    r: 'are',
    b4: 'before',
    bc: 'because',
    cuz: 'because',
    w: 'with',
    thx: 'thanks',
    pls: 'please',
    plz: 'please',
    dept: 'department',
    intl: 'international',
    natl: 'national',
    yrs: 'years',
    yr: 'year',
    mil: 'million',
    bn: 'billion',
    pct: 'percent',
    '%': 'percent',
  }),
);

/** Split hashtags and handles written in camel case: "#QuectelBannedNow" -> "Quectel Banned Now". */
function splitCamel(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

/** Undo the surface of social posts: links, RT markers, hashtags, handles, emoji, stretched letters. */
export function normalizeSocial(text: string): string {
  let t = text.replace(/https?:\/\/\S+|www\.\S+/gi, ' ');
  t = t.replace(/^\s*RT\s+@\w+:?/i, ' ');
  t = t.replace(/[#@]([\p{L}\p{N}_]+)/gu, (_, tag: string) => ` ${splitCamel(tag).replace(/_/g, ' ')} `);
  t = t.replace(/%/g, ' percent ');
  t = t.replace(/(\p{L})\1{2,}/gu, '$1$1');
  t = t.replace(/[^\p{L}\p{N}\s'.,-]/gu, ' ');
  return t;
}

/** Light English stemmer: plural, -ing, -ed, -ly; enough to meet "banned"/"bans"/"banning". */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith("'s")) s = s.slice(0, -2);
  if (s.endsWith('ies') && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('es') && /(ch|sh|x|z|ss)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('ly') && s.length > 5) s = s.slice(0, -2);
  if (/([b-df-hj-np-tv-z])\1$/.test(s) && !/(ll|ss|zz)$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  return s;
}

/** Plain tokens: lower-case words without stop words (the baseline's analyser). */
export function plainTokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w));
}

/** Our analyser: social normalisation, abbreviations, stop words, stemming. */
export function analyze(text: string): string[] {
  const words = normalizeSocial(text).toLowerCase().match(/[\p{L}\p{N}%]+/gu) ?? [];
  const out: string[] = [];
  for (const w0 of words) {
    const w = SOCIAL.get(w0) ?? w0;
    for (const part of w.split(' ')) if (!STOP.has(part)) out.push(stem(part));
  }
  return out;
}

/** Names, acronyms, numbers, hashtags and handles: the words a claim is about. */
export function entities(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/[#@]([\p{L}\p{N}_]+)/gu)) {
    for (const p of splitCamel(m[1] as string).split(/[\s_]+/)) if (p.length > 1 && !STOP.has(p.toLowerCase())) out.add(stem(p.toLowerCase()));
  }
  const clean = text.replace(/https?:\/\/\S+/g, ' ').replace(/[#@][\p{L}\p{N}_]+/gu, ' ');
  for (const m of clean.matchAll(/\p{N}[\p{N},.]*\p{N}|\p{N}+/gu)) out.add(m[0].replace(/[,]/g, ''));
  // Capitalised words not opening a sentence, and acronyms anywhere.
  for (const m of clean.matchAll(/(^|[.!?:]\s+|\s)([\p{Lu}][\p{L}\p{N}'-]*)/gu)) {
    const w = m[2] as string;
    const sentenceStart = m.index === 0 || /[.!?:]/.test(m[1] as string);
    const acronym = w.length >= 2 && w === w.toUpperCase();
    if ((sentenceStart && !acronym) || STOP.has(w.toLowerCase())) continue;
    out.add(stem(w.toLowerCase()));
  }
  return out;
}

function charGrams(text: string, n: number): Map<string, number> {
  const s = ` ${analyze(text).join(' ')} `;
  const m = new Map<string, number>();
  for (let i = 0; i + n <= s.length; i++) {
    const g = s.slice(i, i + n);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

interface Bm25Field {
  postings: Map<string, { doc: number; tf: number }[]>;
  lengths: Float64Array;
  avgLength: number;
}

function buildBm25(docs: string[][]): Bm25Field {
  const postings = new Map<string, { doc: number; tf: number }[]>();
  const lengths = new Float64Array(docs.length);
  let total = 0;
  docs.forEach((tokens, d) => {
    lengths[d] = tokens.length;
    total += tokens.length;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, f] of tf) {
      const list = postings.get(t) ?? [];
      list.push({ doc: d, tf: f });
      postings.set(t, list);
    }
  });
  return { postings, lengths, avgLength: docs.length > 0 ? total / docs.length : 0 };
}

function bm25Scores(field: Bm25Field, query: string[], n: number, k1 = 1.2, b = 0.75): Map<number, number> {
  const scores = new Map<number, number>();
  for (const t of new Set(query)) {
    const list = field.postings.get(t);
    if (list === undefined) continue;
    const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
    for (const { doc, tf } of list) {
      const len = field.lengths[doc] as number;
      const s = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * len) / (field.avgLength || 1)));
      scores.set(doc, (scores.get(doc) ?? 0) + s);
    }
  }
  return scores;
}

/** Index over the candidates; build once, search many times. */
export interface SimilarIndex {
  candidates: SimilarCandidate[];
  plain: Bm25Field;
  analyzed: Bm25Field;
  gramPostings: Map<string, { doc: number; w: number }[]>;
  gramIdf: Map<string, number>;
  gramNorms: Float64Array;
  entities: Set<string>[];
}

const GRAM = 4;

/** Build the similarity index (BM25 on two analysers, character 4-gram TF-IDF, entities). */
export function buildSimilarIndex(candidates: readonly SimilarCandidate[]): SimilarIndex {
  const list = [...candidates];
  const seen = new Set<string>();
  for (const c of list) {
    if (seen.has(c.id)) throw new AppError('invalid_input', `duplicate candidate id ${c.id}`);
    seen.add(c.id);
  }
  const n = list.length;
  const grams = list.map((c) => charGrams(c.text, GRAM));
  const df = new Map<string, number>();
  for (const g of grams) for (const k of g.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const gramIdf = new Map<string, number>();
  for (const [k, v] of df) gramIdf.set(k, Math.log((n + 1) / (v + 0.5)));
  const gramPostings = new Map<string, { doc: number; w: number }[]>();
  const gramNorms = new Float64Array(n);
  grams.forEach((g, d) => {
    let norm = 0;
    for (const [k, tf] of g) {
      const w = (1 + Math.log(tf)) * (gramIdf.get(k) as number);
      norm += w * w;
      const p = gramPostings.get(k) ?? [];
      p.push({ doc: d, w });
      gramPostings.set(k, p);
    }
    gramNorms[d] = Math.sqrt(norm) || 1;
  });
  return {
    candidates: list,
    plain: buildBm25(list.map((c) => plainTokens(c.text))),
    analyzed: buildBm25(list.map((c) => analyze(c.text))),
    gramPostings,
    gramIdf,
    gramNorms,
    entities: list.map((c) => entities(c.text)),
  };
}

function rank(index: SimilarIndex, scores: Map<number, number>, k: number): SimilarHit[] {
  const hits = [...scores].map(([d, s]) => ({ id: (index.candidates[d] as SimilarCandidate).id, score: s }));
  hits.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return hits.slice(0, k).map((h) => ({ id: h.id, score: Math.round(h.score * 1e6) / 1e6 }));
}

/** The baseline: plain BM25 over lower-case words without stop words. */
export function searchBm25(index: SimilarIndex, query: string, k = 10): SimilarHit[] {
  return rank(index, bm25Scores(index.plain, plainTokens(query), index.candidates.length), k);
}

function frameScore(q: ClaimFrame | undefined, c: ClaimFrame | undefined): number {
  if (q === undefined || c === undefined) return 0;
  let given = 0;
  let same = 0;
  for (const key of ['subject', 'predicate', 'object', 'polarity'] as const) {
    const a = q[key];
    const b = c[key];
    if (a === undefined || a === null || b === undefined || b === null) continue;
    given++;
    if (a.toLowerCase() === b.toLowerCase()) same++;
  }
  return given === 0 ? 0 : same / given;
}

/**
 * Rank candidates by similarity to the query: BM25 over socially normalised, stemmed words
 * (scaled to the best hit), cosine of character 4-gram TF-IDF vectors (survives typos, run-on
 * hashtags and inflections), overlap of names/numbers, and frame equality when both frames are
 * known. Scores are in [0, 1 + frame weight]; ties are broken by candidate id.
 */
export function searchSimilar(
  index: SimilarIndex,
  query: SimilarQuery,
  k = 10,
  weights: SimilarWeights = DEFAULT_WEIGHTS,
): SimilarHit[] {
  const q = typeof query === 'string' ? { text: query } : query;
  const n = index.candidates.length;
  const bm = bm25Scores(index.analyzed, analyze(q.text), n);
  let best = 0;
  for (const v of bm.values()) best = Math.max(best, v);
  const qGrams = charGrams(q.text, GRAM);
  let qNorm = 0;
  const dots = new Map<number, number>();
  for (const [g, tf] of qGrams) {
    const idf = index.gramIdf.get(g);
    if (idf === undefined) continue;
    const w = (1 + Math.log(tf)) * idf;
    qNorm += w * w;
    for (const p of index.gramPostings.get(g) ?? []) dots.set(p.doc, (dots.get(p.doc) ?? 0) + w * p.w);
  }
  qNorm = Math.sqrt(qNorm) || 1;
  const qEnt = entities(q.text);
  const pool = new Set<number>([...bm.keys(), ...dots.keys()]);
  if (q.frame !== undefined) index.candidates.forEach((c, d) => c.frame !== undefined && pool.add(d));
  const scores = new Map<number, number>();
  for (const d of pool) {
    const b = best > 0 ? (bm.get(d) ?? 0) / best : 0;
    const ch = (dots.get(d) ?? 0) / (qNorm * (index.gramNorms[d] as number));
    const ce = index.entities[d] as Set<string>;
    let inter = 0;
    for (const e of qEnt) if (ce.has(e)) inter++;
    const ent = qEnt.size + ce.size === 0 ? 0 : (2 * inter) / (qEnt.size + ce.size);
    const fr = frameScore(q.frame, (index.candidates[d] as SimilarCandidate).frame);
    scores.set(d, weights.bm25 * b + weights.chars * ch + weights.entities * ent + weights.frame * fr);
  }
  return rank(index, scores, k);
}

/** Parse `id<TAB>text` lines (no header); blank lines are skipped. */
export function parseIdTextTsv(content: string, what = 'TSV'): { id: string; text: string }[] {
  const out: { id: string; text: string }[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    if (tab <= 0) throw new AppError('invalid_input', `${what} line ${i + 1}: expected id<TAB>text`);
    out.push({ id: line.slice(0, tab), text: line.slice(tab + 1) });
  });
  return out;
}

/**
 * `similar --batch`: rank every query against every candidate and return lines
 * `query_id<TAB>candidate_id<TAB>rank<TAB>score` (rank from 1, ties by candidate id).
 */
export function similarBatch(queriesTsv: string, candidatesTsv: string, k = 10, weights: SimilarWeights = DEFAULT_WEIGHTS): string {
  const index = buildSimilarIndex(parseIdTextTsv(candidatesTsv, 'candidates'));
  const lines: string[] = [];
  for (const q of parseIdTextTsv(queriesTsv, 'queries')) {
    searchSimilar(index, q.text, k, weights).forEach((h, r) => lines.push(`${q.id}\t${h.id}\t${r + 1}\t${h.score}`));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
