import { describe, expect, it } from 'vitest';
import type { ExtractedClaim } from '../domain/claim.js';
import { EXTRACTOR_VERSION, extractClaims } from './index.js';
import type { ExtractOptions } from './index.js';
import { splitSentences } from './text.js';

// Sentences below are written for these tests (fictional wording about the dispute's organisations).
const SUBJECTS: ExtractOptions['subjects'] = [
  { name: 'Quectel', aliases: ['Quectel Wireless Solutions'], products: ['EG25'] },
  { name: 'Fibocom', aliases: ['Fibocom Wireless'] },
  { name: 'Telit Cinterion', aliases: ['Telit', 'Cinterion'] },
  { name: 'DJI', aliases: ['SZ DJI Technology'] },
  { name: 'Huawei', aliases: ['Huawei Technologies'] },
];

function run(text: string, extra: Partial<ExtractOptions> = {}): ExtractedClaim[] {
  return extractClaims(text, { subjects: SUBJECTS, published: '2024-06-12', actor: 'Example Wire', ...extra });
}

function factual(claims: ExtractedClaim[]): ExtractedClaim[] {
  return claims.filter((c) => c.predicate !== 'other' && (c.modality === 'asserted' || c.modality === 'reported'));
}

function one(claims: ExtractedClaim[], subject: string, predicate: string): ExtractedClaim {
  const found = claims.filter((c) => c.subject === subject && c.predicate === predicate);
  expect(found, JSON.stringify(claims, null, 1)).toHaveLength(1);
  return found[0]!;
}

describe('extractClaims: listings and denials', () => {
  it('reads a plain listing with the list id and the document actor as speaker', () => {
    const c = one(run('Fibocom sits on the FCC Covered List, the agency confirmed in its notice.'), 'Fibocom', 'listed');
    expect(c).toMatchObject({ object: 'fcc-covered-list', polarity: 'affirmed' });
  });

  it('reads "are not, and never have been, on" as a denial of each named list', () => {
    const text =
      'A company statement said: “Our EG25 modules are not, and have never been, on the Covered List or on any other U.S. government agency list.”';
    const claims = run(text, { actor: 'Quectel Wireless Solutions (press release)' });
    const objects = claims.filter((c) => c.subject === 'Quectel' && c.predicate === 'listed').map((c) => [c.object, c.polarity]);
    expect(objects).toEqual(expect.arrayContaining([['fcc-covered-list', 'denied'], ['us-any', 'denied']]));
  });

  it('reads a removal from a list as a denial', () => {
    const text = 'The Pentagon keeps a list of Chinese military companies. This year it removed Huawei Technologies from the list.';
    const c = one(run(text), 'Huawei', 'listed');
    expect(c).toMatchObject({ object: 'us-1260h', polarity: 'denied', modality: 'asserted' });
  });

  it('does not flip polarity for a negation in another clause', () => {
    const c = one(run('Telit is on the Entity List, but Fibocom has not commented.'), 'Telit Cinterion', 'listed');
    expect(c).toMatchObject({ object: 'us-entity-list', polarity: 'affirmed' });
  });
});

describe('extractClaims: reported speech', () => {
  it('attributes a "falsely asserts that" claim to the accused party with the claim as they stated it', () => {
    const text = 'A rival slide deck from Acme Chips falsely asserts that Quectel is on a US banned list.';
    const c = one(run(text, { actor: 'Quectel (press release)' }), 'Quectel', 'listed');
    expect(c).toMatchObject({ object: 'us-any', polarity: 'affirmed', modality: 'reported' });
    expect(c.speaker).toContain('Acme Chips');
  });

  it('flips polarity and speaker for a denial quoted inside an accusation', () => {
    const text = 'Critics say Northwind Analytics wrongly claims that Fibocom is not on any export blacklist.';
    const c = one(run(text), 'Fibocom', 'listed');
    expect(c.polarity).toBe('denied');
    expect(c.modality).toBe('reported');
    expect(c.speaker).toContain('Northwind Analytics');
  });

  it('keeps quoted words reported when the attribution follows the quotation', () => {
    const text = '“Cinterion modems carry a flaw that lets an attacker run code over SMS,” said a researcher at Example Labs.';
    const c = one(run(text), 'Telit Cinterion', 'vulnerable');
    expect(c.modality).toBe('reported');
    expect(c.speaker).toContain('Example Labs');
  });

  it('treats "according to" as reported speech', () => {
    const c = one(run('According to a filing seen by Example Wire, DJI was placed on the Pentagon’s blacklist.'), 'DJI', 'listed');
    expect(c).toMatchObject({ object: 'us-1260h', modality: 'reported' });
  });

  it('reads a spokesperson denying data access in the first person', () => {
    const text = 'A spokesperson for Quectel said the firm’s clients own their information and "we cannot access any of the data on those devices."';
    const c = one(run(text), 'Quectel', 'data-access');
    expect(c).toMatchObject({ polarity: 'denied', modality: 'reported' });
  });
});

describe('extractClaims: statements that are not statements of fact', () => {
  it('marks a call to add a company as demanded, never asserted', () => {
    const claims = run('Two senators urged the FCC to add Fibocom Wireless to the Covered List.');
    expect(factual(claims)).toHaveLength(0);
    expect(one(claims, 'Fibocom', 'listed')).toMatchObject({ modality: 'demanded', object: 'fcc-covered-list' });
  });

  it('marks "should be placed on" as demanded', () => {
    const claims = run('The think tank argues Quectel should be placed on the Entity List.');
    expect(one(claims, 'Quectel', 'listed').modality).toBe('demanded');
  });

  it('marks "could be placed on" as hypothetical', () => {
    const claims = run('Analysts say Telit Cinterion could be placed on the entity list next year.');
    expect(factual(claims)).toHaveLength(0);
    expect(one(claims, 'Telit Cinterion', 'listed').modality).toBe('hypothetical');
  });

  it('marks "whether X may meet the requirements" as questioned', () => {
    const claims = run('The letter asks whether DJI may meet the criteria to be added to the 1260H list.');
    expect(factual(claims)).toHaveLength(0);
    expect(one(claims, 'DJI', 'listed')).toMatchObject({ modality: 'questioned', object: 'us-1260h' });
  });

  it('marks a conditional as hypothetical', () => {
    const claims = run('If Quectel were added to the Covered List, buyers would need new suppliers.');
    expect(factual(claims)).toHaveLength(0);
  });
});

describe('extractClaims: loose wording', () => {
  it('maps "sanctioned" to a listing on some US list', () => {
    const c = one(run('Huawei, a sanctioned Chinese vendor, sold fewer phones this year.'), 'Huawei', 'listed');
    expect(c).toMatchObject({ object: 'us-any', polarity: 'affirmed', modality: 'asserted' });
  });

  it('maps "blacklisted" to us-any', () => {
    const c = one(run('Investors shunned blacklisted firms such as DJI after the notice.'), 'DJI', 'listed');
    expect(c.object).toBe('us-any');
  });

  it('reads "banned list" as a listing, not a ban', () => {
    const claims = run('The brochure says Quectel is on a banned list in America.');
    expect(one(claims, 'Quectel', 'listed').object).toBe('us-any');
    expect(claims.filter((c) => c.predicate === 'banned')).toHaveLength(0);
  });

  it('reads a ban with its authority', () => {
    const c = one(run('In 2022 the FCC banned new Huawei equipment approvals.'), 'Huawei', 'banned');
    expect(c).toMatchObject({ object: 'fcc', polarity: 'affirmed' });
  });

  it('does not read a company policy that prohibits something as a government ban', () => {
    const claims = run('DJI says its terms of use prohibit military deployments of its drones.');
    expect(claims.filter((c) => c.predicate === 'banned')).toHaveLength(0);
  });
});

describe('extractClaims: dates', () => {
  it('dates a change from "in <month> <year>"', () => {
    const c = one(run('Quectel was added to the 1260H list in January 2025.'), 'Quectel', 'listed');
    expect(c.eventDate).toBe('2025-01');
  });

  it('resolves "on Monday" against the published day', () => {
    // 2025-01-09 was a Thursday: the Monday before is 2025-01-06.
    const claims = run('The Pentagon said on Monday it had added Fibocom to its list of Chinese military companies.', { published: '2025-01-09' });
    expect(one(claims, 'Fibocom', 'listed').eventDate).toBe('2025-01-06');
  });

  it('does not give a listing the date of another event in the sentence', () => {
    const claims = run('In March 2024, DJI sued the Pentagon after it was placed on the 1260H list.');
    expect(one(claims, 'DJI', 'listed').eventDate).toBeNull();
  });
});

describe('extractClaims: other predicates', () => {
  it('reads a CVE as the object of a vulnerability claim', () => {
    const c = one(run('Researchers found CVE-2023-47610 in Telit Cinterion modules.'), 'Telit Cinterion', 'vulnerable');
    expect(c.object).toBe('CVE-2023-47610');
  });

  it('reads a denial of state ownership', () => {
    const c = one(run('DJI insists it is neither owned nor controlled by the Chinese government.'), 'DJI', 'state-control');
    expect(c).toMatchObject({ polarity: 'denied', modality: 'reported' });
  });

  it('reads a backdoor accusation', () => {
    const c = one(run('The report alleges that Fibocom modules contain a hidden backdoor.'), 'Fibocom', 'backdoor');
    expect(c).toMatchObject({ polarity: 'affirmed', modality: 'reported' });
  });

  it('keeps market-share statements as `other` with a check-worthiness score', () => {
    const claims = run('Quectel ships more than 30% of the world’s cellular IoT modules.');
    const c = one(claims, 'Quectel', 'other');
    expect(c.score).toBeGreaterThan(0.3);
    expect(c.why).toMatch(/percentage|proportion/);
    expect(factual(claims)).toHaveLength(0);
  });

  it('says nothing about generic statements that name no subject', () => {
    expect(run('Chinese modules must be banned from critical infrastructure, the coalition warned.')).toHaveLength(0);
  });
});

describe('extractClaims: linking subjects', () => {
  it('links aliases, products and possessives to the registered name', () => {
    const claims = run('Quectel Wireless Solutions’ EG25 modules are on the Entity List.');
    expect(claims.map((c) => c.subject)).toEqual(['Quectel']);
  });

  it('resolves "both companies" to the two subjects of the previous sentence', () => {
    const text = 'Lawmakers wrote about Quectel and Fibocom in August.\nThe FCC said both companies are on the Covered List.';
    const claims = factual(run(text));
    expect(claims.map((c) => c.subject).sort()).toEqual(['Fibocom', 'Quectel']);
    expect(claims[0]!.why).toContain('anaphor');
  });

  it('does not take "firms that the DoD listed" as a claim about the supplier', () => {
    const claims = run('Quectel is a supplier to several firms that the Pentagon has listed as Chinese military companies.');
    expect(factual(claims)).toHaveLength(0);
  });
});

describe('extractClaims: quotes and offsets', () => {
  it('always returns quotes that are the exact text at their offsets, with a why', () => {
    const text = [
      'Headline: Quectel on US banned list?',
      '',
      '  WASHINGTON – The Pentagon added Quectel Wireless Solutions to its 1260H list on Monday.  A spokesperson for Quectel said: “We are not a Chinese military company and we are not controlled by the state.”',
      '• Telit Cinterion modules have a critical vulnerability (CVE-2023-47610), researchers warned.',
    ].join('\n');
    const claims = run(text, { published: '2025-01-07' });
    expect(claims.length).toBeGreaterThan(2);
    for (const c of claims) {
      expect(text.slice(c.start, c.end)).toBe(c.quote);
      expect(c.why.length).toBeGreaterThan(10);
      expect(c.score).toBeGreaterThan(0);
      expect(c.score).toBeLessThanOrEqual(1);
    }
  });

  it('splits sentences with exact offsets and keeps abbreviations together', () => {
    const text = 'The U.S. Commerce Dept. added Telit. It was Jan. 5.\nNew line here';
    const s = splitSentences(text);
    expect(s.map((x) => x.text)).toEqual(['The U.S. Commerce Dept. added Telit.', 'It was Jan. 5.', 'New line here']);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
  });

  it('exposes a version string for re-running stored documents', () => {
    expect(EXTRACTOR_VERSION).toMatch(/\S+/);
  });
});
