import { describe, expect, it } from 'vitest';
import type { ExtractedClaim } from '../domain/claim.js';
import { extractClaims } from './index.js';
import type { ExtractOptions } from './index.js';

// Invented organisations and sentences, written for these tests only.
const SUBJECTS: ExtractOptions['subjects'] = [
  { name: 'Larkspur Radio', aliases: ['Larkspur'], products: ['LR-9'] },
  { name: 'Ombra Modems', aliases: ['Ombra'] },
  { name: 'Quillon Systems', aliases: ['Quillon'] },
];

function run(text: string, extra: Partial<ExtractOptions> = {}): ExtractedClaim[] {
  return extractClaims(text, { subjects: SUBJECTS, published: '2025-03-20', actor: 'Test Gazette', ...extra });
}

function counted(claims: ExtractedClaim[]): ExtractedClaim[] {
  return claims.filter((c) => c.predicate !== 'other' && (c.modality === 'asserted' || c.modality === 'reported'));
}

function only(claims: ExtractedClaim[], subject: string, predicate: string): ExtractedClaim {
  const found = claims.filter((c) => c.subject === subject && c.predicate === predicate);
  expect(found, JSON.stringify(claims, null, 1)).toHaveLength(1);
  return found[0]!;
}

function keys(claims: ExtractedClaim[]): string[] {
  return counted(claims).map((c) => `${c.subject}|${c.predicate}|${c.object ?? '-'}|${c.polarity}`).sort();
}

describe('list names', () => {
  it('reads the Treasury’s sanctions lists as OFAC’s list and an investment ban list as NS-CMIC', () => {
    expect(keys(run('Ombra does not appear on the Treasury’s sanctions lists.'))).toEqual(['Ombra Modems|listed|ofac-sdn|denied']);
    expect(keys(run('Quillon now sits on the investment ban list kept in Washington.'))).toEqual(['Quillon Systems|listed|ofac-ns-cmic|affirmed']);
  });

  it('reads "a US ban list" as some US list, not as a ban', () => {
    expect(keys(run('Larkspur is on a US ban list, the flyer says.'))).toEqual(['Larkspur Radio|listed|us-any|affirmed']);
  });

  it('relates "on it" to the list named before, with the preposition kept as the relation', () => {
    const text = 'The Entity List grew again this spring. Ombra has been on it since 2023.';
    expect(keys(run(text))).toEqual(['Ombra Modems|listed|us-entity-list|affirmed']);
  });
});

describe('bans said through the approval withheld', () => {
  it('reads "no longer approves" and "can no longer receive ... authorisations" as bans by that authority', () => {
    expect(keys(run('The FCC no longer approves new Larkspur transmitters.'))).toEqual(['Larkspur Radio|banned|fcc|affirmed']);
    expect(keys(run('Ombra gear can no longer receive FCC equipment authorisations.'))).toEqual(['Ombra Modems|banned|fcc|affirmed']);
  });

  it('reads "never restricted" with a pronoun in a second clause as a denied ban', () => {
    const text = 'Quillon radios were never on any list, and the FCC has never restricted their sale.';
    const c = only(run(text), 'Quillon Systems', 'banned');
    expect(c).toMatchObject({ object: 'fcc', polarity: 'denied', modality: 'asserted' });
  });
});

describe('backdoor, data access and state control wording', () => {
  it('reads remote shut-off in either word order as a backdoor claim', () => {
    expect(keys(run('Larkspur units can be switched off remotely from Shenzhen.'))).toEqual(['Larkspur Radio|backdoor|-|affirmed']);
    expect(keys(run('The LR-9 can be remotely powered down by its maker.'))).toEqual(['Larkspur Radio|backdoor|-|affirmed']);
  });

  it('reads an audit finding no hidden remote access functionality as a denial', () => {
    const c = only(run('Testers said Ombra firmware has no hidden remote access functionality.'), 'Ombra Modems', 'backdoor');
    expect(c).toMatchObject({ polarity: 'denied', modality: 'reported' });
  });

  it('reads reaching or reading data, and data routed to foreign servers, as data access', () => {
    expect(keys(run('Quillon can read the location data its trackers collect.'))).toEqual(['Quillon Systems|data-access|-|affirmed']);
    expect(keys(run('Readings from Ombra meters are routed to servers in Beijing every night.'))).toEqual([]);
    expect(keys(run('Telemetry from Ombra meters is routed to servers in Beijing every night.'))).toEqual(['Ombra Modems|data-access|-|affirmed']);
  });

  it('does not read an industry label such as "video-surveillance firms" as spying', () => {
    expect(keys(run('Larkspur competes with other video-surveillance firms in Europe.'))).toEqual([]);
  });

  it('reads "answers to Beijing" as state control and "any government" as a state', () => {
    expect(keys(run('Quillon answers to Beijing, its critics write.'))).toEqual(['Quillon Systems|state-control|-|affirmed']);
    const c = only(run('Larkspur said it is not owned or controlled by any government.'), 'Larkspur Radio', 'state-control');
    expect(c).toMatchObject({ polarity: 'denied', modality: 'reported' });
  });

  it('does not read a link to "an arm of the government" as being one', () => {
    expect(keys(run('The letter describes Ombra’s dealings with a research arm of the Chinese government.'))).toEqual([]);
  });
});

describe('demands made with modal verbs', () => {
  it('reads "should add" and "must put" as demands, not statements of fact', () => {
    const claims = run('The Pentagon should add Ombra to the 1260H list. Regulators must put Quillon on the Covered List now.');
    expect(counted(claims)).toHaveLength(0);
    expect(only(claims, 'Ombra Modems', 'listed').modality).toBe('demanded');
    expect(only(claims, 'Quillon Systems', 'listed').modality).toBe('demanded');
  });

  it('keeps a retraction ("should not have said") a statement of fact', () => {
    const text = 'The FCC has not placed Larkspur on the Covered List, and our flyer should not have said so.';
    expect(keys(run(text))).toEqual(['Larkspur Radio|listed|fcc-covered-list|denied']);
  });
});

describe('anaphora', () => {
  it('resolves a clause-opening "they" to the subject of the first clause', () => {
    const text = 'Larkspur radios are in half the city’s buses, and they answer to the Chinese state.';
    expect(keys(run(text))).toEqual(['Larkspur Radio|state-control|-|affirmed']);
  });

  it('resolves "them" after a banning verb to the subject of the earlier clause', () => {
    const text = 'Our depots use Ombra modems, and the FCC has now banned them.';
    expect(keys(run(text))).toEqual(['Ombra Modems|banned|fcc|affirmed']);
  });

  it('gathers "neither company" from the subjects of the last few sentences', () => {
    const text = 'Ombra joined the Entity List last week. Quillon said it would appeal a separate decision. Neither company is on the Covered List.';
    const claims = counted(run(text)).filter((c) => c.object === 'fcc-covered-list');
    expect(claims.map((c) => `${c.subject}|${c.polarity}`).sort()).toEqual(['Ombra Modems|denied', 'Quillon Systems|denied']);
  });

  it('reads a passive listing with no list named as the list of the sentence before', () => {
    const text = 'Ombra was added to the Entity List on March 3. Quillon, a smaller rival, was added the same day.';
    expect(keys(run(text))).toEqual(['Ombra Modems|listed|us-entity-list|affirmed', 'Quillon Systems|listed|us-entity-list|affirmed']);
  });

  it('does not read an unrelated passive verb far from any list as a listing', () => {
    const text = 'The Entity List grew in 2023. Two years later, after many changes elsewhere, Quillon was named a top supplier.';
    expect(keys(run(text))).toEqual([]);
  });

  it('resolves "named it in the ... update" to the single subject of the previous sentence', () => {
    const text = 'Larkspur now sits on the Pentagon’s 1260H list. The department named it in the January update, next to Ombra.';
    expect(keys(run(text))).toEqual([
      'Larkspur Radio|listed|us-1260h|affirmed',
      'Larkspur Radio|listed|us-1260h|affirmed',
      'Ombra Modems|listed|us-1260h|affirmed',
    ]);
  });
});

describe('statements relayed by a noun', () => {
  it('reads "the claims that X" as reported by an unnamed source', () => {
    const c = only(run('I keep hearing the claims that Quillon can switch its radios off remotely.'), 'Quillon Systems', 'backdoor');
    expect(c).toMatchObject({ modality: 'reported', polarity: 'affirmed', speaker: null });
  });

  it('reads "X dismissed reports that Y is on a list" as X denying it', () => {
    const c = only(run('Ombra Modems dismissed reports that it is on the Entity List.'), 'Ombra Modems', 'listed');
    expect(c).toMatchObject({ modality: 'reported', polarity: 'denied', object: 'us-entity-list' });
    expect(c.speaker).toBe('Ombra Modems');
  });
});

describe('short posts: ellipsis', () => {
  it('copies the previous statement for "X is.", "X is not." and "X too."', () => {
    const text = 'Ombra is on the Entity List. Larkspur too. Quillon is not.';
    expect(keys(run(text))).toEqual([
      'Larkspur Radio|listed|us-entity-list|affirmed',
      'Ombra Modems|listed|us-entity-list|affirmed',
      'Quillon Systems|listed|us-entity-list|denied',
    ]);
  });

  it('reads "X is." after a denial as the contrast, even with a link after it', () => {
    const text = 'Looked at the Covered List today. Quillon isn’t on it. Larkspur is. https://example.test/list';
    expect(keys(run(text))).toEqual(['Larkspur Radio|listed|fcc-covered-list|affirmed', 'Quillon Systems|listed|fcc-covered-list|denied']);
  });

  it('does not copy a statement into a longer sentence that merely names a subject', () => {
    const text = 'Ombra is on the Entity List. Quillon is hiring engineers.';
    expect(keys(run(text))).toEqual(['Ombra Modems|listed|us-entity-list|affirmed']);
  });
});

describe('demands that were met, and which operator governs', () => {
  it('adds a statement of fact when a later clause says the request was granted', () => {
    const claims = run('In May, senators asked the FCC to ban Ombra, and the FCC granted the request.');
    const bans = claims.filter((c) => c.subject === 'Ombra Modems' && c.predicate === 'banned');
    expect(bans.map((c) => c.modality).sort()).toEqual(['asserted', 'demanded']);
  });

  it('keeps only the demand when the request was refused', () => {
    const claims = run('In May, senators asked the FCC to ban Ombra, but the FCC has not granted the request.');
    expect(counted(claims)).toHaveLength(0);
  });

  it('reads "should consider whether X belongs on" as a demand, the outer operator', () => {
    const c = only(run('The Treasury should consider whether Quillon belongs on the NS-CMIC list.'), 'Quillon Systems', 'listed');
    expect(c.modality).toBe('demanded');
  });

  it('reads "the criteria for" a list as a listing relation, under the question that governs it', () => {
    const c = only(run('The letter asked whether Larkspur may meet the criteria for the Covered List.'), 'Larkspur Radio', 'listed');
    expect(c).toMatchObject({ object: 'fcc-covered-list', modality: 'questioned' });
  });
});

describe('attribution', () => {
  it('reads a trailing "per <source>" and a postposed verb followed by a time as reported speech', () => {
    const a = only(run('Quillon was added to the 1260H list yesterday, per Test Wire. https://example.test/a'), 'Quillon Systems', 'listed');
    expect(a).toMatchObject({ modality: 'reported', speaker: 'Test Wire', eventDate: '2025-03-19' });
    const b = only(run('Ombra is not on the Covered List, an FCC spokesperson confirmed on Tuesday.'), 'Ombra Modems', 'listed');
    expect(b).toMatchObject({ modality: 'reported', polarity: 'denied', speaker: 'FCC spokesperson' });
  });

  it('names the registered actor when a speaker phrase uses one of its names', () => {
    const known = [{ name: 'Fenwick Institute for Security', aliases: ['Fenwick Institute'] }, { name: 'Dana Whitcombe', aliases: ['Dr. Dana Whitcombe'] }];
    const a = only(run('According to the Fenwick Institute, Ombra modules contain a backdoor.', { knownActors: known }), 'Ombra Modems', 'backdoor');
    expect(a.speaker).toBe('Fenwick Institute for Security');
    const b = only(run('Whitcombe wrote that Quillon answers to Beijing.', { knownActors: known }), 'Quillon Systems', 'state-control');
    expect(b.speaker).toBe('Dana Whitcombe');
  });

  it('resolves "the laboratory" to the actor named just before', () => {
    const text = 'The audit was run by Brightline Labs.\nThe laboratory also reported that Ombra cannot read customer data.';
    const c = only(run(text, { knownActors: ['Brightline Labs'] }), 'Ombra Modems', 'data-access');
    expect(c).toMatchObject({ speaker: 'Brightline Labs', polarity: 'denied', modality: 'reported' });
  });

  it('keeps the head of a speaker noun phrase: no leading date, no participle clause', () => {
    const a = only(run('A 3 March Federal Register notice explaining the change said Ombra was added to the Entity List.'), 'Ombra Modems', 'listed');
    expect(a.speaker).toBe('Federal Register');
    const b = only(run('According to a notice published Monday in the Federal Register, Quillon was added to the Entity List.'), 'Quillon Systems', 'listed');
    expect(b.speaker).toBe('Federal Register');
  });
});

describe('event dates', () => {
  it('resolves a month named alone against the publication date', () => {
    const dated = run('Larkspur was added to the Entity List in January.', { published: '2025-03-20' });
    expect(only(dated, 'Larkspur Radio', 'listed').eventDate).toBe('2025-01');
    const lastYear = run('Larkspur was added to the Entity List in November.', { published: '2025-03-20' });
    expect(only(lastYear, 'Larkspur Radio', 'listed').eventDate).toBe('2024-11');
  });

  it('dates a status from "since", and state control from the date it is said to hold', () => {
    expect(only(run('Ombra has been on the Entity List since May 2022.'), 'Ombra Modems', 'listed').eventDate).toBe('2022-05');
    expect(only(run('Quillon has been controlled by the Chinese state since 2019.'), 'Quillon Systems', 'state-control').eventDate).toBe('2019');
  });

  it('does not date a flaw by the month it was reported, nor a claim by the day it was told', () => {
    expect(only(run('Researchers said in February 2024 that Ombra modems have a flaw.'), 'Ombra Modems', 'vulnerable').eventDate).toBeNull();
    expect(only(run('Quillon told buyers in March 2024 that Larkspur was on the Covered List.'), 'Larkspur Radio', 'listed').eventDate).toBeNull();
  });

  it('keeps the date of a listing when a later clause of the sentence is about something else', () => {
    const text = 'Ombra has been on the Entity List since October 2022, and agencies have been removing its radios from their fleets.';
    expect(only(run(text), 'Ombra Modems', 'listed').eventDate).toBe('2022-10');
  });
});

describe('speaker phrases with titles', () => {
  it('keeps a title and initials in a speaker named after "according to"', () => {
    const c = only(run('According to Dr. J. Okoye, Quillon answers to Beijing.'), 'Quillon Systems', 'state-control');
    expect(c.speaker).toBe('Dr. J. Okoye');
  });
});
