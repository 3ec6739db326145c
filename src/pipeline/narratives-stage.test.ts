import { describe, expect, it } from 'vitest';
import { representativeWording } from './narratives-stage.js';

describe('a narrative is named by its most typical asserted wording', () => {
  it('prefers the assertion most alike to the others over the first quote seen', () => {
    const claims = [
      { id: 'c1', quote: 'The letter asks the commission whether Acme modules may be added to the Covered List.', modality: 'question' },
      { id: 'c2', quote: 'Acme is on the FCC Covered List.', modality: 'asserted' },
      { id: 'c3', quote: "Acme is on the FCC's Covered List, the post says.", modality: 'asserted' },
      { id: 'c4', quote: 'Acme modules are on the FCC Covered List of banned equipment.', modality: 'asserted' },
    ];
    expect(representativeWording(claims)).toBe('Acme is on the FCC Covered List.');
  });

  it('falls back to every claim when none is asserted, and to nothing for no claims', () => {
    expect(representativeWording([{ id: 'c1', quote: 'Is Acme banned?', modality: 'question' }])).toBe('Is Acme banned?');
    expect(representativeWording([])).toBeNull();
  });
});
