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
