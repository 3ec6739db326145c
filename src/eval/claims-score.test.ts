import { describe, expect, it } from 'vitest';
import { quotesOverlap, scoreClaims, trapShare } from './claims-score.js';
import type { GoldDocument, PredictedClaim } from './claims-score.js';

// A small gold document written for this test.
const doc: GoldDocument = {
  file: 'a.txt',
  text: 'Acme is on the Covered List. Senators urged the FCC to list Bolt. Bolt is not on any list.',
  actor: 'Example Wire',
  published: '2024-01-02',
  effectivePublished: '2024-01-02',
  claims: [
    { quote: 'Acme is on the Covered List.', subject: 'Acme', predicate: 'listed', object: 'fcc-covered-list', polarity: 'affirmed', modality: 'asserted', verdict: 'SUPPORTED' },
    { quote: 'Senators urged the FCC to list Bolt.', subject: 'Bolt', predicate: 'listed', object: 'fcc-covered-list', polarity: 'affirmed', modality: 'demanded', verdict: null },
    { quote: 'Bolt is not on any list.', subject: 'Bolt', predicate: 'listed', object: 'us-any', polarity: 'denied', modality: 'asserted', verdict: 'NOT_ENOUGH_INFO' },
  ],
  traps: [
    { quote: 'Senators urged the FCC to list Bolt.', why: 'demanded: not a statement of fact' },
    { quote: 'Acme is on the Covered List.', why: 'unsure' },
  ],
};

function pred(p: Partial<PredictedClaim>): PredictedClaim {
  return { subject: 'Acme', predicate: 'listed', object: 'fcc-covered-list', polarity: 'affirmed', modality: 'asserted', quote: 'Acme is on the Covered List.', ...p };
}

describe('scoreClaims', () => {
  it('counts only asserted/reported claims and matches one-to-one', () => {
    const s = scoreClaims([doc], { 'a.txt': [pred({}), pred({})] });
    expect(s.overall).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(s.overall.precision).toBeCloseTo(0.5);
    expect(s.overall.recall).toBeCloseTo(0.5);
    expect(s.byPredicate['listed']).toMatchObject({ tp: 1, fp: 1, fn: 1 });
  });

  it('needs equal polarity and object, and resolves subject aliases', () => {
    const wrongPolarity = pred({ subject: 'Bolt Inc', object: 'us-any', polarity: 'affirmed', quote: 'Bolt is not on any list.' });
    const right = pred({ subject: 'Bolt Inc', object: 'us-any', polarity: 'denied', quote: 'Bolt is not on any list.' });
    expect(scoreClaims([doc], { 'a.txt': [wrongPolarity] }, { aliases: { 'bolt inc': 'bolt' } }).overall.tp).toBe(0);
    expect(scoreClaims([doc], { 'a.txt': [right] }, { aliases: { 'bolt inc': 'bolt' } }).overall.tp).toBe(1);
  });

  it('counts a trap hit when an unmatched asserted prediction repeats a trap sentence, not when it is demanded', () => {
    const asserted = pred({ subject: 'Bolt', quote: 'Senators urged the FCC to list Bolt.' });
    const demanded = { ...asserted, modality: 'demanded' };
    const hit = scoreClaims([doc], { 'a.txt': [asserted] });
    expect(hit.traps).toMatchObject({ hit: 1, scorable: 1 });
    expect(hit.traps.rate).toBe(1);
    expect(scoreClaims([doc], { 'a.txt': [demanded] }).traps.hit).toBe(0);
  });

  it('measures modality accuracy on claims that match on everything else', () => {
    const s = scoreClaims([doc], { 'a.txt': [pred({ subject: 'Bolt', quote: 'Senators urged the FCC to list Bolt.', modality: 'hypothetical' }), pred({})] });
    expect(s.modalityAccuracy).toMatchObject({ correct: 1, total: 2 });
  });

  it('builds a verdict confusion matrix and counts overclaims', () => {
    const s = scoreClaims([doc], {
      'a.txt': [
        pred({ verdict: { label: 'SUPPORTED' } }),
        pred({ subject: 'Bolt', object: 'us-any', polarity: 'denied', quote: 'Bolt is not on any list.', verdict: 'REFUTED' }),
      ],
    });
    expect(s.verdicts.confusion).toEqual({ SUPPORTED: { SUPPORTED: 1 }, NOT_ENOUGH_INFO: { REFUTED: 1 } });
    expect(s.verdicts.overclaims).toBe(1);
  });

  it('implements the word-overlap rules', () => {
    expect(quotesOverlap('Acme is on the list', 'Yesterday Acme is on the list of the FCC')).toBe(true);
    expect(quotesOverlap('Acme is on the list', 'Bolt was removed yesterday')).toBe(false);
    expect(trapShare('Senators urged the FCC', 'Senators urged the FCC to list Bolt.')).toBe(1);
    expect(trapShare('Senators urged the FCC to act on drones and routers today', 'Senators urged the FCC')).toBeLessThan(0.8);
  });
});
