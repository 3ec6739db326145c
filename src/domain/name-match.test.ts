import { describe, expect, it } from 'vitest';
import { compareNames, explainMatch, NAME_MATCH_THRESHOLD, normaliseName } from './name-match.js';

describe('compareNames', () => {
  it('ignores legal forms, accents, punctuation and word order', () => {
    expect(compareNames('Siemens AG', 'Siemens Aktiengesellschaft')).toBeGreaterThanOrEqual(0.95);
    expect(compareNames('François Hollande', 'Francois Hollande')).toBe(1);
    expect(compareNames('Telecom Group Alpha', 'Alpha Telecom Group')).toBeGreaterThanOrEqual(0.95);
    expect(normaliseName('Сергей Лавров')).toBe('sergey lavrov');
  });

  it('expands abbreviations used on lists', () => {
    expect(compareNames('Zenbright COMM GRP', 'Zenbright Communications Group')).toBe(1);
    expect(compareNames('Orvalo Intl SRVCES', 'Orvalo International Services Ltd')).toBe(1);
  });

  it('does not let generic words carry a match', () => {
    expect(compareNames('Alpha Technology Group Co., Ltd.', 'Omega Technology Group Co., Ltd.')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('Quectel', 'Quectel Wireless Solutions Co., Ltd.')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
  });

  it('ranks near misses below exact names instead of piling up at 1', () => {
    const exact = compareNames('Samsung Electronics', 'Samsung Electronics Co., Ltd.');
    const typo = compareNames('Samsong Electronics', 'Samsung Electronics Co., Ltd.');
    expect(exact).toBe(1);
    expect(typo).toBeLessThan(exact);
    expect(typo).toBeGreaterThan(0.5);
  });

  it('treats a different family name as a different person and explains why', () => {
    const a = 'Barzan Ibrahim Hassan Al-Mosuli';
    const b = 'Barzan Ibrahim Hassan Al-Tikriti';
    expect(compareNames(a, b)).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(explainMatch(a, b).summary).toContain('replaced');
  });
});

describe('name rules', () => {
  it('counts a different country in alike company names as a different registration', () => {
    expect(compareNames('Quorvant Freight (Norway) AS', 'Quorvant Freight (Finland) AS')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('Banco Velmira S.A.', 'Banco Velmira Brazil S.A.')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('Banco Velmira S.A.', 'Banco Velmira, S.A.')).toBe(1);
  });

  it('lowers the score more when the legal forms are of different kinds', () => {
    expect(compareNames('Tarnholt Werke AG', 'Tarnholt Werke GmbH')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('Tarnholt Werke AG', 'Tarnholt Werke Aktiengesellschaft')).toBe(1);
  });

  it('reads ordinals as numbers and look-alike digits inside words as letters', () => {
    expect(compareNames('2nd Harbour Savings Bank', 'Second Harbour Savings Bank')).toBe(1);
    expect(compareNames('Dm1tr0v Kal1nsky', 'Dmitrov Kalinsky')).toBe(1);
    // Plain numbers and codes at the end of a word stay as they are.
    expect(compareNames('Orbel Trust 2007-AHL1', 'Orbel Trust 2007-AHL2')).toBeLessThan(1);
  });

  it('lets titles hardly count', () => {
    expect(compareNames('Dr Teodor Valkanov', 'Teodor Valkanov')).toBeGreaterThanOrEqual(0.9);
    expect(compareNames('Sheikh Harun Dalbasi', 'Harun Dalbasi')).toBeGreaterThanOrEqual(0.9);
  });

  it('matches an acronym to the words it abbreviates', () => {
    expect(compareNames('NRF', 'Northern Resistance Front')).toBe(1);
    expect(compareNames('JP Morvane', 'Jean-Pierre Morvane')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
    expect(compareNames('U.K. Office of Trade', 'United Kingdom Office of Trade')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
    // Two bare initials are a placeholder, not a name.
    expect(compareNames('N.N.', 'Nadir Nurlanov')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('NRF', 'Northern Liberation Front')).toBeLessThan(NAME_MATCH_THRESHOLD);
  });
});

describe('scripts', () => {
  it('romanises Brahmic scripts with the inherent vowel and a silent final one', () => {
    expect(normaliseName('राम')).toBe('ram');
    expect(normaliseName('सुरेन्द्र')).toBe('surendra');
    expect(compareNames('सुनील कपूर', 'Sunil Kapur')).toBe(1);
    // Bengali shares the layout.
    expect(normaliseName('কমল')).toBe('kamal');
  });

  it('romanises kana, joining small kana and doubling before a small tsu', () => {
    expect(normaliseName('タナカ・ヒロシ')).toBe('tanaka hiroshi');
    expect(normaliseName('しょうた')).toBe('shouta');
    expect(normaliseName('キャッツ')).toBe('kyattsu');
    expect(compareNames('ケンジ・モリタ', 'Kenji Morita')).toBe(1);
  });

  it('compares Chinese and Korean names syllable by syllable', () => {
    // One different syllable in a three-syllable name is a different person.
    expect(compareNames('박민수', '박민호')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('王小明', '王小强')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('박민수', '박 민수')).toBe(1);
  });
});

describe('spelling variants', () => {
  it('gives a one-letter slip more credit than several edits of the same length', () => {
    const slip = compareNames('Tomas Verhaegen', 'Tomas Verhagen');
    const twoEdits = compareNames('Tomas Verhaegen', 'Tomas Verhoeven');
    const threeEdits = compareNames('Tomas Verhaegen', 'Tomas Verheyden');
    expect(slip).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
    expect(twoEdits).toBeLessThan(slip);
    expect(threeEdits).toBeLessThan(NAME_MATCH_THRESHOLD);
  });

  it('counts a swap of two neighbouring letters as one slip', () => {
    expect(compareNames('Elina Markovna Sadvoskaya', 'Elina Markovna Sadovskaya')).toBeGreaterThanOrEqual(0.85);
  });

  it('removes the Polish limited company form however it is dotted', () => {
    expect(compareNames('Korvex Sp. z o.o.', 'Korvex')).toBe(1);
    expect(compareNames('Korvex Sp. z o. o.', 'KORVEX SP Z OO')).toBe(1);
  });
});

describe('list conventions', () => {
  it('reads a slash between words as a name and its alias', () => {
    expect(compareNames('Harakat Nur', 'Harakat al-Nur/Light Movement')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
    expect(compareNames('Light Movement', 'Harakat al-Nur/Light Movement')).toBe(1);
    // A/S is a Danish legal form, not two names.
    expect(compareNames('Fjordvik Shipping A/S', 'Fjordvik Shipping')).toBe(1);
  });

  it('recognises a long legal form with a slip in it', () => {
    expect(compareNames('Tarnholt Aktiengeselschaft', 'Tarnholt AG')).toBe(1);
    expect(compareNames('Tarnholt Incorprated', 'Tarnholt Inc.')).toBe(1);
  });

  it('lets a patronymic missing on one side hardly count, but not a different one', () => {
    expect(compareNames('Pavel Igorevich Strelkov', 'Pavel Strelkov')).toBeGreaterThanOrEqual(0.9);
    expect(compareNames('Pavel Igorevich Strelkov', 'Pavel Antonovich Strelkov')).toBeLessThan(NAME_MATCH_THRESHOLD);
  });
});

describe('Arabic script', () => {
  it('reads waw and ya inside a word as long vowels and splits off the article', () => {
    expect(normaliseName('محمود السوداني')).toBe('mhmud al sudani');
    expect(compareNames('كريم السوداني', 'Karim al-Sudani')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
  });

  it('lets Latin p and v sound like the b and f Arabic writes for them', () => {
    expect(compareNames('بيدرو لوبيز', 'Pedro Lopez')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
    expect(compareNames('فيكتور', 'Victor')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
  });
});

describe('split words', () => {
  it('joins two words that the other name writes as one, and says so', () => {
    expect(compareNames('Anatoly Vasil yevsky', 'Anatoly Vasilyevsky')).toBeGreaterThanOrEqual(0.9);
    expect(explainMatch('Anatoly Vasil yevsky', 'Anatoly Vasilyevsky').summary).toContain('written as one word');
    expect(explainMatch('NRF', 'Northern Resistance Front').summary).toContain('acronym of "northern resistance front"');
  });

  it('does not join words into a different name', () => {
    expect(compareNames('Anatoly Vasil Petrov', 'Anatoly Vasilpetrenko')).toBeLessThan(NAME_MATCH_THRESHOLD);
  });
});

describe('acronyms as written', () => {
  it('takes only words written as acronyms for acronyms', () => {
    // In an all-capitals entry a short word is just a word.
    expect(compareNames('ALI HASSAN', 'Ahmad Latif Ibrahim Hassan')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('Ali', 'Ahmad Latif Ibrahim')).toBeLessThan(NAME_MATCH_THRESHOLD);
    expect(compareNames('A.L.I.', 'Arctic Logistics International')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
    expect(compareNames('NRF Command', 'Northern Resistance Front Command')).toBeGreaterThanOrEqual(NAME_MATCH_THRESHOLD);
  });
});
