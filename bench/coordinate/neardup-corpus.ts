import { mulberry32 } from '../../src/coordinate/hash.js';

/** A corpus of short statements with planted near-duplicate pairs (issue 9 anchor shape). */
export interface NearDupCorpus {
  texts: string[];
  /** Planted pairs as [original index, copy index]. */
  planted: [number, number][];
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'tu', 'ra', 'si', 'po', 'de', 'va', 'qu', 'el', 'on', 'ar', 'is', 'um', 'ex', 'tr', 'ch', 'br'];

/** A vocabulary of pronounceable pseudo-words. */
export function vocabulary(size: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  const seen = new Set<string>();
  while (seen.size < size) {
    const k = 2 + Math.floor(rnd() * 3);
    let w = '';
    for (let i = 0; i < k; i++) w += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)];
    seen.add(w);
  }
  return [...seen];
}

/** Zipf-like sampler: index ~ floor(V * u^2.2), so a few words are very common. */
export function zipfSampler(rnd: () => number, size: number): () => number {
  return () => Math.min(size - 1, Math.floor(size * Math.pow(rnd(), 2.2)));
}

/**
 * n statements of 15-35 words; `dupRate` of them are copies of an earlier statement with one
 * small edit (changed case and punctuation, a word added at either end, or one word replaced
 * near an end), the kinds of change reposting and light paraphrase make.
 */
export function generateNearDupCorpus(n: number, seed = 1, dupRate = 0.05): NearDupCorpus {
  const rnd = mulberry32(seed);
  const vocab = vocabulary(30000, seed + 1);
  const pick = zipfSampler(rnd, vocab.length);
  const texts: string[] = new Array<string>(n);
  const planted: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (i > 10 && rnd() < dupRate) {
      const src = Math.floor(rnd() * i);
      const words = (texts[src] as string).split(' ');
      const kind = Math.floor(rnd() * 4);
      if (kind === 0) texts[i] = `${words.join(' ').toUpperCase()}!`;
      else if (kind === 1) texts[i] = `${words.join(' ')} ${vocab[pick()]}`;
      else if (kind === 2) texts[i] = `${vocab[pick()]}: ${words.join(' ')}`;
      else {
        const at = rnd() < 0.5 ? 0 : words.length - 1;
        words[at] = vocab[pick()] as string;
        texts[i] = words.join(' ');
      }
      planted.push([src, i]);
      continue;
    }
    const len = 15 + Math.floor(rnd() * 21);
    const words: string[] = [];
    for (let k = 0; k < len; k++) words.push(vocab[pick()] as string);
    texts[i] = words.join(' ');
  }
  return { texts, planted };
}
