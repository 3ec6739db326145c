import { describe, expect, it } from 'vitest';
import type { ActionTable } from './coaction.js';
import { charGrams, shortTextPairs, sortedJaccard } from './short-text.js';

const MIN = 60_000;
const opts = { windowMs: 15 * MIN, maxActorsPerObject: 50, maxNeighbours: 10 };

/** One link acted on by statement i at times[i], each by its own actor. */
function linkTable(times: number[]): ActionTable {
  return {
    actor: Int32Array.from(times.map((_, i) => i)),
    object: new Int32Array(times.length),
    time: Float64Array.from(times),
    source: Int32Array.from(times.map((_, i) => i)),
    actorCount: times.length,
    objectCount: 1,
  };
}

describe('near-identical short posts', () => {
  it('reads case, punctuation and links alike', () => {
    const a = charGrams('The FCC has BANNED Acme modules!! https://x.test/a?b=1', 5);
    const b = charGrams('the fcc has banned acme modules', 5);
    expect(sortedJaccard(a, b)).toBe(1);
  });

  it('pairs rewritten posts of one burst, not a different post on the same link', () => {
    const texts = [
      'The FCC has banned Acme modules. Why are US integrators still buying them? https://op.test/1',
      'FCC has banned Acme modules - so why are US integrators still buying them? https://op.test/1',
      'The FCC has BANNED Acme modules. Why are American integrators still buying them?',
      'Interesting op-ed about module supply chains, though I disagree with most of it https://op.test/1',
    ];
    const pairs = shortTextPairs(texts, [linkTable([0, 3 * MIN, 6 * MIN, 8 * MIN])], opts);
    const keys = new Set(pairs.map(([a, b]) => `${a}-${b}`));
    expect(keys).toEqual(new Set(['0-1', '0-2', '1-2']));
  });

  it('compares only statements that co-act within the window, and leaves long texts to MinHash', () => {
    const same = 'The FCC has banned Acme modules. Why are US integrators still buying them?';
    expect(shortTextPairs([same, same], [linkTable([0, 60 * MIN])], opts)).toEqual([]);
    const long = `${same} ${'filler '.repeat(120)}`;
    expect(shortTextPairs([long, long], [linkTable([0, MIN])], opts)).toEqual([]);
    expect(shortTextPairs([same, same], [linkTable([0, MIN])], opts)).toEqual([[0, 1]]);
  });
});
