import { describe, expect, it } from 'vitest';
import { createTokenStream, mulberry32, tokenize } from './hash.js';
import { chooseBandsRows, findNearDuplicates, nearDuplicatePairs, nearDuplicatePairsParallel } from './lsh.js';
import { createMinHasher, estimateJaccard, passageSpans, signatureInto } from './minhash.js';

function randomWords(rnd: () => number, n: number, vocab = 5000): string[] {
  return Array.from({ length: n }, () => `w${Math.floor(rnd() * vocab)}`);
}

describe('tokenize', () => {
  it('folds case and keeps offsets of the original text', () => {
    const text = 'The FCC, said: "Quectel" — BANNED?';
    const ts = tokenize(text, createTokenStream(2));
    const words = Array.from({ length: ts.count }, (_, i) => text.slice(ts.starts[i], ts.ends[i]));
    expect(words).toEqual(['The', 'FCC', 'said', 'Quectel', 'BANNED']);
    const again = tokenize('the fcc said quectel banned');
    expect(Array.from(again.hashes.subarray(0, again.count))).toEqual(Array.from(ts.hashes.subarray(0, ts.count)));
  });
});

describe('MinHash', () => {
  it('estimates Jaccard similarity of random sets without bias', () => {
    const hasher = createMinHasher(128, 1, 7);
    const rnd = mulberry32(3);
    let errSum = 0;
    let signed = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const shared = 5 + Math.floor(rnd() * 40);
      const own = Math.floor(rnd() * 30);
      const mk = (): number => Math.floor(rnd() * 4294967296) >>> 0;
      const common = Array.from({ length: shared }, mk);
      const a = Int32Array.from([...common, ...Array.from({ length: own }, mk)]);
      const b = Int32Array.from([...common, ...Array.from({ length: own }, mk)]);
      const truth = shared / (shared + 2 * own);
      const sigs = new Uint32Array(256);
      signatureInto(hasher, a, a.length, sigs, 0);
      signatureInto(hasher, b, b.length, sigs, 128);
      const est = estimateJaccard(sigs, 0, 1, 128);
      errSum += Math.abs(est - truth);
      signed += est - truth;
    }
    // Standard error at 128 permutations is at most 0.044; the mean absolute error must match.
    expect(errSum / trials).toBeLessThan(0.045);
    expect(Math.abs(signed / trials)).toBeLessThan(0.01);
  });

  it('splits long texts into overlapping passages that cover the end', () => {
    expect(passageSpans(30, 50, 25)).toEqual([{ tokenStart: 0, tokenEnd: 30 }]);
    const spans = passageSpans(120, 50, 25);
    expect(spans[0]).toEqual({ tokenStart: 0, tokenEnd: 50 });
    expect(spans.at(-1)).toEqual({ tokenStart: 70, tokenEnd: 120 });
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.tokenStart).toBeLessThan(spans[i - 1]!.tokenEnd);
  });
});

describe('chooseBandsRows', () => {
  it('puts the steep part of the S-curve at the target threshold', () => {
    for (const t of [0.5, 0.8, 0.9]) {
      const { bands, rows } = chooseBandsRows(t, 128);
      expect(bands * rows).toBeLessThanOrEqual(128);
      const p = (s: number): number => 1 - Math.pow(1 - Math.pow(s, rows), bands);
      expect(p(Math.min(0.99, t + 0.1))).toBeGreaterThan(0.95);
      expect(p(Math.max(0.05, t - 0.3))).toBeLessThan(0.1);
    }
  });
});

describe('findNearDuplicates', () => {
  const rnd = mulberry32(11);
  const base = randomWords(rnd, 30).join(' ');
  const talkingPoint =
    'These modules are on a US government banned list. The FCC has granted the request of Congress to ban them ' +
    'outright, and every integrator who keeps shipping them is exposing customers to a foreign state. ' +
    'Security teams across the country should replace them before the next procurement cycle closes.';
  const sentences = (k: number): string =>
    Array.from({ length: k }, () => `${randomWords(rnd, 8 + Math.floor(rnd() * 12)).join(' ')}.`).join(' ');

  it('finds planted near-duplicates and leaves unrelated texts alone', () => {
    const items = [{ id: 'orig', text: base }];
    items.push({ id: 'edit', text: `${base} today` });
    items.push({ id: 'case', text: base.toUpperCase() + '!!!' });
    for (let i = 0; i < 300; i++) items.push({ id: `noise${i}`, text: randomWords(rnd, 25).join(' ') });
    const pairs = findNearDuplicates(items, { threshold: 0.8 });
    const ids = pairs.map((p) => `${p.a}|${p.b}`);
    expect(ids).toContain('edit|orig');
    expect(ids).toContain('case|orig');
    expect(ids).toContain('case|edit');
    expect(pairs.every((p) => !p.a.startsWith('noise') && !p.b.startsWith('noise'))).toBe(true);
  });

  it('finds a talking point reused inside two different long articles', () => {
    const a = `${sentences(9)} ${talkingPoint} ${sentences(6)}`;
    const b = `${sentences(3)} ${talkingPoint} ${sentences(11)}`;
    const c = sentences(15);
    const pairs = findNearDuplicates(
      [
        { id: 'article-a', text: a },
        { id: 'article-b', text: b },
        { id: 'article-c', text: c },
      ],
      { threshold: 0.8 },
    );
    expect(pairs).toHaveLength(1);
    const [p] = pairs;
    expect(p!.a).toBe('article-a');
    expect(p!.b).toBe('article-b');
    expect(a.slice(p!.passageA.start, p!.passageA.end)).toContain('banned list');
    expect(b.slice(p!.passageB.start, p!.passageB.end)).toContain('banned list');
  });

  it('is deterministic for a seed', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({
      id: `s${i}`,
      text: i % 10 === 0 ? `${base} ${i % 20}` : randomWords(rnd, 20, 300).join(' '),
    }));
    expect(findNearDuplicates(items, { seed: 5 })).toEqual(findNearDuplicates(items, { seed: 5 }));
  });
});

describe('nearDuplicatePairsParallel', () => {
  it('signs in worker threads and returns exactly the serial result', async () => {
    const rnd = mulberry32(21);
    const texts: string[] = [];
    for (let i = 0; i < 24_000; i++) {
      texts.push(i > 0 && i % 50 === 0 ? `${texts[i - 1] as string} again` : randomWords(rnd, 20, 20000).join(' '));
    }
    const serial = nearDuplicatePairs(texts);
    const parallel = await nearDuplicatePairsParallel(texts, {}, 2);
    expect(serial.count).toBeGreaterThanOrEqual(400);
    expect(Array.from(parallel.a)).toEqual(Array.from(serial.a));
    expect(Array.from(parallel.b)).toEqual(Array.from(serial.b));
    expect(Array.from(parallel.jaccard)).toEqual(Array.from(serial.jaccard));
  });
});
