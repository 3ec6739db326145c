import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.js';
import { GrowableF64, bitsFor } from './growable.js';
import { createTokenStream, fmix32, tokenize } from './hash.js';
import { createMinHasher, estimateJaccard, sentencePassageSpans, shingleHashes, signatureInto } from './minhash.js';

/** Bands b and rows per band r, with b * r <= numPerm. */
export interface BandsRows {
  bands: number;
  rows: number;
}

function integrate(f: (s: number) => number, lo: number, hi: number): number {
  const steps = 200;
  const h = (hi - lo) / steps;
  let sum = 0.5 * (f(lo) + f(hi));
  for (let i = 1; i < steps; i++) sum += f(lo + i * h);
  return sum * h;
}

/**
 * Choose LSH bands and rows for a target Jaccard threshold t. A pair with similarity s becomes
 * a candidate with probability P(s) = 1 - (1 - s^r)^b (the S-curve). We pick the (b, r) with
 * b * r <= numPerm that minimises fpWeight * (area under P below t: false positives) +
 * fnWeight * (area above P beyond t: false negatives). False negatives weigh 0.9 against 0.1
 * because candidates are verified afterwards: an extra candidate costs one signature
 * comparison, a missed one is lost for good. For t = 0.8 and 128 permutations this gives
 * b = 14, r = 9: P(0.6) = 0.13, P(0.7) = 0.44, P(0.8) = 0.87, P(0.9) = 0.999. Equal weights
 * would give b = 9, r = 13, which finds only 40% of pairs sitting exactly at the threshold.
 */
export function chooseBandsRows(threshold: number, numPerm: number, fpWeight = 0.1, fnWeight = 0.9): BandsRows {
  if (!(threshold > 0 && threshold < 1)) throw new AppError('invalid_input', 'LSH threshold must be in (0, 1)');
  let best: BandsRows = { bands: 1, rows: numPerm };
  let bestErr = Infinity;
  for (let b = 1; b <= numPerm; b++) {
    const maxR = Math.floor(numPerm / b);
    for (let r = 1; r <= maxR; r++) {
      const p = (s: number): number => 1 - Math.pow(1 - Math.pow(s, r), b);
      const fp = integrate(p, 0, threshold);
      const fn = integrate((s) => 1 - p(s), threshold, 1);
      const err = fpWeight * fp + fnWeight * fn;
      if (err < bestErr) {
        bestErr = err;
        best = { bands: b, rows: r };
      }
    }
  }
  return best;
}

/** Options for near-duplicate search. */
export interface NearDuplicateOptions {
  /** Target Jaccard similarity of shingle sets (default 0.8). */
  threshold?: number;
  /** MinHash permutations (default 128). */
  numPerm?: number;
  /** Words per shingle (default 3). */
  shingle?: number;
  /** Tokens per passage for long texts (default 50). */
  passageTokens?: number;
  /** Tokens shared by consecutive passages (default 25). */
  passageOverlap?: number;
  /** Largest LSH bucket expanded in full; bigger buckets link each member to its next N (default 64). */
  maxBucket?: number;
  seed?: number;
}

/** Near-duplicate pairs by item index, with the best matching passages. */
export interface IndexedPairs {
  count: number;
  a: Int32Array;
  b: Int32Array;
  jaccard: Float32Array;
  passageA: Int32Array;
  passageB: Int32Array;
  /** Passage table: item, token span and char span, indexed by passage number. */
  passages: {
    item: Int32Array;
    charStart: Int32Array;
    charEnd: Int32Array;
    indexInItem: Int32Array;
  };
}

/** MinHash signatures of the passages of a range of items. */
export interface SignedPassages {
  count: number;
  sigs: Uint32Array;
  item: Int32Array;
  charStart: Int32Array;
  charEnd: Int32Array;
  indexInItem: Int32Array;
}

/** Resolved options with their defaults. */
function resolveOptions(options: NearDuplicateOptions): Required<NearDuplicateOptions> {
  return {
    threshold: options.threshold ?? 0.8,
    numPerm: options.numPerm ?? 128,
    shingle: options.shingle ?? 3,
    passageTokens: options.passageTokens ?? 50,
    passageOverlap: options.passageOverlap ?? 25,
    maxBucket: options.maxBucket ?? 64,
    seed: options.seed ?? 42,
  };
}

/**
 * Pass 1: split texts into passages and sign them. Items are numbered itemOffset + position, so
 * ranges signed in different workers can be concatenated.
 */
export function signPassages(texts: readonly string[], options: NearDuplicateOptions = {}, itemOffset = 0): SignedPassages {
  const o = resolveOptions(options);
  const numPerm = o.numPerm;
  const hasher = createMinHasher(numPerm, o.shingle, o.seed);
  const ts = createTokenStream();
  let shingles = new Int32Array(256);
  let cap = Math.max(16, texts.length);
  let sigs = new Uint32Array(cap * numPerm);
  let pItem = new Int32Array(cap);
  let pStart = new Int32Array(cap);
  let pEnd = new Int32Array(cap);
  let pIdx = new Int32Array(cap);
  let P = 0;
  const ensure = (): void => {
    if (P < cap) return;
    cap *= 2;
    const s2 = new Uint32Array(cap * numPerm);
    s2.set(sigs);
    sigs = s2;
    const grow = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const n = new Int32Array(cap);
      n.set(a);
      return n;
    };
    pItem = grow(pItem);
    pStart = grow(pStart);
    pEnd = grow(pEnd);
    pIdx = grow(pIdx);
  };
  for (let local = 0; local < texts.length; local++) {
    const item = itemOffset + local;
    tokenize(texts[local] as string, ts);
    if (ts.count === 0) continue;
    const spans = sentencePassageSpans(ts, o.passageTokens, o.passageOverlap);
    for (let k = 0; k < spans.length; k++) {
      const sp = spans[k] as { tokenStart: number; tokenEnd: number };
      if (shingles.length < ts.count) shingles = new Int32Array(ts.count * 2);
      const n = shingleHashes(ts, sp.tokenStart, sp.tokenEnd, o.shingle, shingles);
      ensure();
      signatureInto(hasher, shingles, n, sigs, P * numPerm);
      pItem[P] = item;
      pStart[P] = ts.starts[sp.tokenStart] as number;
      pEnd[P] = ts.ends[sp.tokenEnd - 1] as number;
      pIdx[P] = k;
      P++;
    }
  }
  // Views, not copies: at 10^6 statements the signatures alone are 512 MB.
  return {
    count: P,
    sigs: sigs.subarray(0, P * numPerm),
    item: pItem.subarray(0, P),
    charStart: pStart.subarray(0, P),
    charEnd: pEnd.subarray(0, P),
    indexInItem: pIdx.subarray(0, P),
  };
}

/** Concatenate signed ranges (in item order). */
export function concatSigned(parts: readonly SignedPassages[], numPerm: number): SignedPassages {
  const P = parts.reduce((x, p) => x + p.count, 0);
  const out: SignedPassages = {
    count: P,
    sigs: new Uint32Array(P * numPerm),
    item: new Int32Array(P),
    charStart: new Int32Array(P),
    charEnd: new Int32Array(P),
    indexInItem: new Int32Array(P),
  };
  let at = 0;
  for (const p of parts) {
    out.sigs.set(p.sigs.subarray(0, p.count * numPerm), at * numPerm);
    out.item.set(p.item.subarray(0, p.count), at);
    out.charStart.set(p.charStart.subarray(0, p.count), at);
    out.charEnd.set(p.charEnd.subarray(0, p.count), at);
    out.indexInItem.set(p.indexInItem.subarray(0, p.count), at);
    at += p.count;
  }
  return out;
}

/**
 * Near-duplicate item pairs (by index) among texts: MinHash signatures of passages, LSH banding
 * with sorted typed arrays (no hash map of buckets), candidate pairs verified by estimated
 * Jaccard >= threshold, aggregated per item pair keeping the most similar passages.
 */
export function nearDuplicatePairs(texts: readonly string[], options: NearDuplicateOptions = {}): IndexedPairs {
  return pairsFromSignatures(signPassages(texts, options), texts.length, options);
}

/** Passes 2 and 3: LSH banding over signed passages, verification, aggregation per item pair. */
export function pairsFromSignatures(signed: SignedPassages, itemCount: number, options: NearDuplicateOptions = {}): IndexedPairs {
  const o = resolveOptions(options);
  const { threshold, numPerm, maxBucket } = o;
  const { bands, rows } = chooseBandsRows(threshold, numPerm);
  const P = signed.count;
  const sigs = signed.sigs;
  const pItem = signed.item;
  const texts = { length: itemCount };
  const idBits = bitsFor(P);
  if (idBits > 26) throw new AppError('too_large', `too many passages for one near-duplicate run: ${P}`);
  const idScale = 2 ** idBits;
  const hashShift = Math.max(0, idBits - 21);

  // Pass 2: banding. Per band, sort (bandHash, passage) packed into one float64 and scan runs.
  const cand = new GrowableF64(P * 2);
  const keys = new Float64Array(P);
  // Read signatures through an int32 view: values above 2^31 would otherwise load as doubles.
  const sig32 = new Int32Array(sigs.buffer, sigs.byteOffset, P * numPerm);
  for (let band = 0; band < bands; band++) {
    const base = band * rows;
    for (let p = 0; p < P; p++) {
      let h = 0x9e3779b9 ^ band;
      const o = p * numPerm + base;
      for (let r = 0; r < rows; r++) h = Math.imul(h ^ (sig32[o + r] as number), 0x01000193);
      keys[p] = (fmix32(h) >>> hashShift) * idScale + p;
    }
    keys.sort();
    let runStart = 0;
    for (let i = 1; i <= P; i++) {
      const same = i < P && Math.floor((keys[i] as number) / idScale) === Math.floor((keys[runStart] as number) / idScale);
      if (same) continue;
      const m = i - runStart;
      if (m > 1) {
        for (let x = runStart; x < i; x++) {
          const px = (keys[x] as number) % idScale;
          const lim = Math.min(i, x + 1 + maxBucket);
          for (let y = x + 1; y < lim; y++) {
            const py = (keys[y] as number) % idScale;
            if (pItem[px] === pItem[py]) continue;
            cand.push(px < py ? px * idScale + py : py * idScale + px);
          }
        }
      }
      runStart = i;
    }
  }

  // Pass 3: unique candidates, verify, then keep the best passage pair per item pair.
  const c = cand.view().sort();
  const itemBits = bitsFor(texts.length);
  const itemScale = 2 ** itemBits;
  const verified = new GrowableF64();
  const vJ: number[] = [];
  const vPA: number[] = [];
  const vPB: number[] = [];
  let prev = -1;
  for (let i = 0; i < c.length; i++) {
    const key = c[i] as number;
    if (key === prev) continue;
    prev = key;
    const pa = Math.floor(key / idScale);
    const pb = key % idScale;
    const j = estimateJaccard(sig32, pa, pb, numPerm);
    if (j < threshold) continue;
    let ia = pItem[pa] as number;
    let ib = pItem[pb] as number;
    let qa = pa;
    let qb = pb;
    if (ia > ib) {
      [ia, ib] = [ib, ia];
      [qa, qb] = [qb, qa];
    }
    verified.push(ia * itemScale + ib);
    vJ.push(j);
    vPA.push(qa);
    vPB.push(qb);
  }
  const order = Array.from({ length: verified.length }, (_, i) => i);
  const vk = verified.view();
  order.sort((x, y) => (vk[x] as number) - (vk[y] as number) || (vJ[y] as number) - (vJ[x] as number) || x - y);
  const outA = new Int32Array(order.length);
  const outB = new Int32Array(order.length);
  const outJ = new Float32Array(order.length);
  const outPA = new Int32Array(order.length);
  const outPB = new Int32Array(order.length);
  let n = 0;
  let last = -1;
  for (const o of order) {
    const key = vk[o] as number;
    if (key === last) continue;
    last = key;
    outA[n] = Math.floor(key / itemScale);
    outB[n] = key % itemScale;
    outJ[n] = vJ[o] as number;
    outPA[n] = vPA[o] as number;
    outPB[n] = vPB[o] as number;
    n++;
  }
  return {
    count: n,
    a: outA.subarray(0, n),
    b: outB.subarray(0, n),
    jaccard: outJ.subarray(0, n),
    passageA: outPA.subarray(0, n),
    passageB: outPB.subarray(0, n),
    passages: {
      item: signed.item,
      charStart: signed.charStart,
      charEnd: signed.charEnd,
      indexInItem: signed.indexInItem,
    },
  };
}

/** The passage of an item that matched: its number within the item and its character span. */
export interface PassageRef {
  index: number;
  start: number;
  end: number;
}

/** One near-duplicate pair of items. */
export interface NearDuplicate {
  a: string;
  b: string;
  /** Estimated Jaccard similarity of the best matching passages' shingle sets. */
  jaccard: number;
  passageA: PassageRef;
  passageB: PassageRef;
}

/**
 * Find near-duplicate items (posts, statements, or passages reused inside longer articles).
 * Items are split into ~50-token overlapping passages anchored on sentence starts; a pair is reported once with its most
 * similar passages. Sorted by similarity (descending), then by ids.
 */
export function findNearDuplicates(
  items: readonly { id: string; text: string }[],
  options: NearDuplicateOptions = {},
): NearDuplicate[] {
  const res = nearDuplicatePairs(
    items.map((i) => i.text),
    options,
  );
  const ref = (p: number): PassageRef => ({
    index: res.passages.indexInItem[p] as number,
    start: res.passages.charStart[p] as number,
    end: res.passages.charEnd[p] as number,
  });
  const out: NearDuplicate[] = [];
  for (let i = 0; i < res.count; i++) {
    const ia = res.a[i] as number;
    const ib = res.b[i] as number;
    const A = items[ia] as { id: string };
    const B = items[ib] as { id: string };
    const swap = B.id < A.id;
    out.push({
      a: swap ? B.id : A.id,
      b: swap ? A.id : B.id,
      jaccard: Math.round((res.jaccard[i] as number) * 1e4) / 1e4,
      passageA: ref(swap ? (res.passageB[i] as number) : (res.passageA[i] as number)),
      passageB: ref(swap ? (res.passageA[i] as number) : (res.passageB[i] as number)),
    });
  }
  out.sort((x, y) => y.jaccard - x.jaccard || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  return out;
}

/**
 * nearDuplicatePairs with MinHash signing spread over worker threads (one per core by default);
 * banding and verification stay in the caller's thread. Same result as the serial version.
 */
export async function nearDuplicatePairsParallel(
  texts: readonly string[],
  options: NearDuplicateOptions = {},
  workers = Math.max(1, Math.min(availableParallelism(), 8)),
): Promise<IndexedPairs> {
  if (workers <= 1 || texts.length < 20_000) return nearDuplicatePairs(texts, options);
  // Under tsx the worker is the .ts source and needs the loader; built code runs the .js file.
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./minhash-worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  const per = Math.ceil(texts.length / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const from = w * per;
      const slice = texts.slice(from, Math.min(texts.length, from + per));
      return new Promise<SignedPassages>((resolvePart, reject) => {
        const workerData = { texts: slice, options, offset: from };
        // Worker threads do not inherit tsx's loader, so in development the worker registers it.
        const worker = ts
          ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, {
              eval: true,
              workerData,
            })
          : new Worker(url, { workerData });
        worker.once('message', (m: SignedPassages) => {
          resolvePart(m);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
  const numPerm = options.numPerm ?? 128;
  return pairsFromSignatures(concatSigned(parts, numPerm), texts.length, options);
}
