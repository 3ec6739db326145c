import { forEachCoAction, groupByObject, type ActionTable, type CoActionOptions } from './coaction.js';
import { fmix32 } from './hash.js';

/** Options of the short-text check. */
export interface ShortTextOptions {
  /** Jaccard similarity of character n-gram sets at or above which two posts are near-identical (default 0.6). */
  threshold?: number;
  /** Characters per n-gram (default 5). */
  ngram?: number;
  /** Texts longer than this (characters, links removed) are left to MinHash over word shingles (default 600). */
  maxChars?: number;
}

const URL_RE = /\bhttps?:\/\/\S+/gi;
const CACHE_LIMIT = 50_000;

/**
 * Sorted distinct hashes of the character n-grams of a text, lower-cased, links removed and runs
 * of non-letters collapsed to one space, so "BANNED!" and "banned" read alike.
 */
export function charGrams(text: string, n: number): Int32Array {
  const norm = text.replace(URL_RE, ' ').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  if (norm.length < n) return new Int32Array(0);
  const out = new Int32Array(norm.length - n + 1);
  for (let i = 0; i + n <= norm.length; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ norm.charCodeAt(i + k), 0x01000193);
    out[i] = fmix32(h);
  }
  out.sort();
  let w = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i] as number;
  return out.subarray(0, w);
}

/** Jaccard similarity of two sorted distinct arrays. */
export function sortedJaccard(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

/**
 * Near-identical short posts among statements that already act together. Posts of a burst are
 * rewritten just enough ("The FCC has BANNED..." / "FCC has banned ... - so why...") that word
 * 3-shingles overlap by only 0.3-0.6, under MinHash's 0.8; their character 5-grams still overlap
 * by 0.6 or more, while unrelated posts on one topic stay under 0.4. Comparing every pair of a
 * corpus that way would be quadratic, so only statement pairs that co-act within the window on a
 * narrative or a link, on objects small enough to be expanded pair by pair, are compared.
 */
export function shortTextPairs(
  texts: readonly string[],
  tables: readonly ActionTable[],
  coOptions: Pick<CoActionOptions, 'windowMs' | 'maxActorsPerObject' | 'maxNeighbours'>,
  options: ShortTextOptions = {},
): [number, number][] {
  const threshold = options.threshold ?? 0.6;
  const n = options.ngram ?? 5;
  const maxChars = options.maxChars ?? 600;
  // A bounded cache: statements meet their partners object by object, close together in time.
  const grams = new Map<number, Int32Array | null>();
  const gramsOf = (s: number): Int32Array | null => {
    let g = grams.get(s);
    if (g === undefined) {
      const t = texts[s] as string;
      g = t.replace(URL_RE, '').length > maxChars ? null : charGrams(t, n);
      if (grams.size >= CACHE_LIMIT) grams.clear();
      grams.set(s, g);
    }
    return g;
  };
  const out: [number, number][] = [];
  for (const t of tables) {
    forEachCoAction(t, groupByObject(t), coOptions, (i, j, _dt, _o, distinct) => {
      if (distinct > coOptions.maxActorsPerObject) return;
      const a = t.source[i] as number;
      const b = t.source[j] as number;
      if (a === b) return;
      const ga = gramsOf(a);
      const gb = gramsOf(b);
      if (ga === null || gb === null) return;
      if (sortedJaccard(ga, gb) >= threshold) out.push(a < b ? [a, b] : [b, a]);
    });
  }
  return out;
}
