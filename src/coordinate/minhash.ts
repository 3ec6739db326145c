import { fmix32, mulberry32 } from './hash.js';
import type { TokenStream } from './hash.js';

/**
 * MinHash over hashed word shingles. Each permutation is x -> g(imul(x ^ b_i, a_i)) with a
 * xor-shift g, a bijection on 32-bit words applied to already well-mixed shingle hashes: three
 * integer operations per permutation instead of a modular product, so hashing 10^6 statements
 * stays within seconds.
 */
export interface MinHasher {
  readonly numPerm: number;
  readonly shingle: number;
  readonly a: Int32Array;
  readonly b: Int32Array;
}

/** Create the permutation family; the same seed always gives the same signatures. */
export function createMinHasher(numPerm = 128, shingle = 3, seed = 42): MinHasher {
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new RangeError('numPerm must be a positive integer');
  if (!Number.isInteger(shingle) || shingle < 1) throw new RangeError('shingle must be a positive integer');
  const rnd = mulberry32(seed);
  const a = new Int32Array(numPerm);
  const b = new Int32Array(numPerm);
  for (let i = 0; i < numPerm; i++) {
    a[i] = Math.floor(rnd() * 4294967296) | 1;
    b[i] = Math.floor(rnd() * 4294967296) | 0;
  }
  return { numPerm, shingle, a, b };
}

/**
 * Hash the word shingles of tokens [from, to) into `out` and return how many were written.
 * A span shorter than one shingle yields a single shingle of all its tokens, so very short
 * texts still get a signature.
 */
export function shingleHashes(tokens: TokenStream, from: number, to: number, k: number, out: Int32Array): number {
  const len = to - from;
  if (len <= 0) return 0;
  const width = Math.min(k, len);
  let n = 0;
  for (let i = from; i + width <= to; i++) {
    let h = 0x9e3779b9 ^ width;
    for (let j = 0; j < width; j++) {
      h = Math.imul(h ^ (tokens.hashes[i + j] as number), 0x01000193) + j;
    }
    out[n++] = fmix32(h) | 0;
  }
  return n;
}

/** Write the signature of `count` shingle hashes into sigs[offset .. offset + numPerm). */
export function signatureInto(
  hasher: MinHasher,
  shingles: Int32Array,
  count: number,
  sigs: Uint32Array,
  offset: number,
): void {
  const { numPerm, a, b } = hasher;
  // Four permutations per pass over the shingles, minima kept in locals: the loop is bound by
  // multiplies, not memory, and V8 keeps all of it in int32 registers. Values are compared as
  // signed int32, which is just another fixed total order on 32-bit words.
  const quad = numPerm - (numPerm % 4);
  for (let i = 0; i < quad; i += 4) {
    const a0 = a[i] as number, b0 = b[i] as number, a1 = a[i + 1] as number, b1 = b[i + 1] as number;
    const a2 = a[i + 2] as number, b2 = b[i + 2] as number, a3 = a[i + 3] as number, b3 = b[i + 3] as number;
    let m0 = 0x7fffffff, m1 = m0, m2 = m0, m3 = m0;
    for (let s = 0; s < count; s++) {
      const x = shingles[s] as number;
      let v = Math.imul(x ^ b0, a0);
      v ^= v >>> 15;
      m0 = v < m0 ? v : m0;
      v = Math.imul(x ^ b1, a1);
      v ^= v >>> 15;
      m1 = v < m1 ? v : m1;
      v = Math.imul(x ^ b2, a2);
      v ^= v >>> 15;
      m2 = v < m2 ? v : m2;
      v = Math.imul(x ^ b3, a3);
      v ^= v >>> 15;
      m3 = v < m3 ? v : m3;
    }
    sigs[offset + i] = m0;
    sigs[offset + i + 1] = m1;
    sigs[offset + i + 2] = m2;
    sigs[offset + i + 3] = m3;
  }
  for (let i = quad; i < numPerm; i++) {
    const ai = a[i] as number;
    const bi = b[i] as number;
    let m = 0x7fffffff;
    for (let s = 0; s < count; s++) {
      let v = Math.imul((shingles[s] as number) ^ bi, ai);
      v ^= v >>> 15;
      m = v < m ? v : m;
    }
    sigs[offset + i] = m;
  }
}

/** Fraction of equal slots between two signatures: an unbiased estimate of Jaccard similarity. */
export function estimateJaccard(sigs: Uint32Array | Int32Array, i: number, j: number, numPerm: number): number {
  const oi = i * numPerm;
  const oj = j * numPerm;
  let eq = 0;
  for (let p = 0; p < numPerm; p++) if (sigs[oi + p] === sigs[oj + p]) eq++;
  return eq / numPerm;
}

/** Token span of one passage of a longer text. */
export interface PassageSpan {
  tokenStart: number;
  tokenEnd: number;
}

/**
 * Passages anchored on sentence starts, so a paragraph reused in two articles produces the same
 * passage in both whatever surrounds it (fixed-stride windows would cut it at different
 * offsets). Every sentence start that leaves at least `size` tokens begins a passage of about
 * `size` tokens, ended at the last sentence end within it when that keeps at least half of it;
 * one more passage covers the tail. Text without sentence marks falls back to fixed windows.
 */
export function sentencePassageSpans(tokens: TokenStream, size: number, overlap: number): PassageSpan[] {
  const n = tokens.count;
  if (n <= size) return [{ tokenStart: 0, tokenEnd: n }];
  const starts: number[] = [0];
  for (let i = 0; i < n - 1; i++) if (tokens.sentenceEnd[i] === 1) starts.push(i + 1);
  if (starts.length < 3) return passageSpans(n, size, overlap);
  const spans: PassageSpan[] = [];
  let tailStart = -1;
  for (const s of starts) {
    if (s + size > n) {
      tailStart = s;
      break;
    }
    let end = s + size;
    for (let e = s + size - 1; e >= s + Math.ceil(size / 2); e--) {
      if (tokens.sentenceEnd[e] === 1) {
        end = e + 1;
        break;
      }
    }
    spans.push({ tokenStart: s, tokenEnd: end });
  }
  const last = spans.at(-1);
  if (tailStart < 0 || (last !== undefined && last.tokenEnd >= n)) return spans;
  spans.push({ tokenStart: Math.min(tailStart, n - Math.ceil(size / 2)), tokenEnd: n });
  return spans;
}

/**
 * Overlapping windows of `size` tokens advancing by size - overlap, the last one aligned to the
 * end so no tail is lost. A text no longer than one window is a single passage.
 */
export function passageSpans(tokenCount: number, size: number, overlap: number): PassageSpan[] {
  if (tokenCount <= size) return [{ tokenStart: 0, tokenEnd: tokenCount }];
  const stride = Math.max(1, size - overlap);
  const spans: PassageSpan[] = [];
  let s = 0;
  for (; s + size < tokenCount; s += stride) spans.push({ tokenStart: s, tokenEnd: s + size });
  spans.push({ tokenStart: tokenCount - size, tokenEnd: tokenCount });
  return spans;
}
