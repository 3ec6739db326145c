import { describe, expect, it } from 'vitest';
import type { Actor, Relationship, RelationshipType } from '../domain/subject.js';
import { checkDisclosure, findUndisclosedInterests, flagUndisclosedInterests } from './undisclosed.js';

function actor(id: string, name: string, aliases: string[] = []): Actor {
  return { id, name, kind: 'organization', aliases, externalId: null, country: null, description: null };
}
let n = 0;
function rel(from: string, to: string, type: RelationshipType, role: string | null = null): Relationship {
  return { id: `r${n++}`, fromActorId: from, toActorId: to, type, share: null, role, startDate: null, endDate: null, source: null };
}

// Fictional example: a commentator who is a fellow of an institute funded by a competitor.
const actors = new Map(
  [
    actor('c', 'Dr Casey Example'),
    actor('d', 'Harbour Defence Institute', ['HDI']),
    actor('e', 'Rivalcom Modules'),
    actor('f', 'Quiet Holdings'),
    actor('g', 'Independent Gazette'),
    actor('s', 'Acme Modules'),
  ].map((a) => [a.id, a]),
);
const relationships = [
  rel('d', 'c', 'employment', 'fellow'),
  rel('e', 'd', 'funding'),
  rel('s', 'e', 'competitor'),
  // g is three hops from the competitor (g - f - d - e), beyond the limit.
  rel('f', 'g', 'ownership'),
  rel('f', 'd', 'membership'),
];

describe('findUndisclosedInterests', () => {
  it('finds ties within two hops and describes them in words', () => {
    const found = findUndisclosedInterests(relationships, ['e'], actors);
    const c = found.find((x) => x.actorId === 'c');
    expect(c?.description).toBe('Dr Casey Example is a fellow of Harbour Defence Institute, which is funded by competitor Rivalcom Modules');
    expect(found.map((x) => x.actorId).sort()).toEqual(['c', 'd', 'f']);
  });

  it('does not treat being a competitor, or three hops, as an affiliation', () => {
    const found = findUndisclosedInterests(relationships, ['e'], actors);
    expect(found.some((x) => x.actorId === 's')).toBe(false);
    expect(found.some((x) => x.actorId === 'g')).toBe(false);
  });
});

describe('checkDisclosure', () => {
  const [interest] = findUndisclosedInterests(relationships, ['e'], actors).filter((x) => x.actorId === 'c');

  it('accepts a sentence that names the tied party and the tie', () => {
    const text = 'Cellular modules are a risk. The author is a senior fellow at HDI, which receives industry funding.';
    expect(checkDisclosure(text, interest!, actors)).toEqual({
      disclosed: true,
      evidence: 'The author is a senior fellow at HDI, which receives industry funding.',
    });
  });

  it('does not count a passing mention of the competitor as disclosure', () => {
    const text = 'Operators should switch to Rivalcom Modules or other trusted suppliers.';
    expect(checkDisclosure(text, interest!, actors).disclosed).toBe(false);
  });

  it('flags each document of a tied actor', () => {
    const docs = [
      { id: 'doc-1', actorId: 'c', text: 'Countering the threat of foreign modules. Nothing else.' },
      { id: 'doc-2', actorId: 'g', text: 'Unrelated reporting.' },
    ];
    const flags = flagUndisclosedInterests(docs, relationships, ['e'], actors);
    expect(flags.map((f) => [f.documentId, f.actorId, f.disclosed])).toEqual([['doc-1', 'c', false]]);
  });
});
