/**
 * Fast non-cryptographic hashing and tokenising shared by MinHash, LSH and pair keys.
 * Everything works on char codes so no substring is allocated per token.
 */

/** Murmur3 finaliser: a bijection on 32-bit integers with good avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over a whole string, finalised with fmix32. */
export function hashString(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Deterministic PRNG (mulberry32) so every "random" choice is reproducible from a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  // Latin-1 punctuation, general punctuation and CJK punctuation split words; other non-ASCII
  // code units (letters in any script, surrogate halves of emoji) are kept inside words.
  if (c <= 0xbf) return false;
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x206f) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  return true;
}

/** Token hashes and their character offsets in the original text. */
export interface TokenStream {
  count: number;
  hashes: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
  /** 1 where the token ends a sentence (followed by . ! ? or a line break). */
  sentenceEnd: Uint8Array;
}

/** A reusable scratch stream, grown on demand, to avoid allocation per text in hot loops. */
export function createTokenStream(capacity = 256): TokenStream {
  return {
    count: 0,
    hashes: new Uint32Array(capacity),
    starts: new Uint32Array(capacity),
    ends: new Uint32Array(capacity),
    sentenceEnd: new Uint8Array(capacity),
  };
}

function grow(ts: TokenStream): void {
  const n = ts.hashes.length * 2;
  const h = new Uint32Array(n);
  h.set(ts.hashes);
  const s = new Uint32Array(n);
  s.set(ts.starts);
  const e = new Uint32Array(n);
  e.set(ts.ends);
  const f = new Uint8Array(n);
  f.set(ts.sentenceEnd);
  ts.sentenceEnd = f;
  ts.hashes = h;
  ts.starts = s;
  ts.ends = e;
}

/**
 * Split text into case-folded word tokens (runs of letters and digits) and hash each one.
 * ASCII is folded inline; texts with other characters are folded with toLowerCase first,
 * which keeps offsets valid because we only fold when lengths do not change.
 */
export function tokenize(text: string, out: TokenStream = createTokenStream()): TokenStream {
  let src = text;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 128) {
      const lower = text.toLowerCase();
      if (lower.length === text.length) src = lower;
      break;
    }
  }
  out.count = 0;
  let h = 0;
  let start = -1;
  const n = src.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? src.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      if (start < 0) {
        start = i;
        h = 0x811c9dc5;
      }
      h ^= c >= 65 && c <= 90 ? c + 32 : c;
      h = Math.imul(h, 0x01000193);
    } else if (start >= 0) {
      if (out.count === out.hashes.length) grow(out);
      out.hashes[out.count] = fmix32(h);
      out.starts[out.count] = start;
      out.ends[out.count] = i;
      out.sentenceEnd[out.count] = 0;
      out.count++;
      start = -1;
    }
    if (start < 0 && out.count > 0 && (c === 46 || c === 33 || c === 63 || c === 10)) {
      // "3.5" and "e.g" are not sentence ends: require a non-word character after the mark.
      const next = i + 1 < n ? src.charCodeAt(i + 1) : 32;
      if (c === 10 || !isWordChar(next)) out.sentenceEnd[out.count - 1] = 1;
    }
  }
  return out;
}
