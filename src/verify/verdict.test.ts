import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../test/support/shared.js';
import { loadDod1260hCsv } from './loaders/dod-1260h.js';
import { loadFccCoveredListHtml } from './loaders/fcc-covered-list.js';
import { loadStatuteCsv } from './loaders/statutes.js';
import type { LoadedDataset } from './types.js';
import { buildScreenIndex, screen, screenDetailed } from './screen.js';
import type { ClaimToJudge, DatasetVersionInfo, VerdictData } from './verdict.js';
import { judgeClaim } from './verdict.js';

const lists = join(PROJECT_ROOT, 'data', 'lists');
const read = (f: string): string => readFileSync(join(lists, f), 'utf8');
const fcc = loadFccCoveredListHtml(read('fcc-covered-list.html'));
const ndaa = loadStatuteCsv(read('ndaa-889.csv'), 'ndaa-889.csv');
const dodPartial = loadDod1260hCsv(read('us-1260h-partial.csv'), undefined, false);

function version(d: LoadedDataset, id: string, over: Partial<DatasetVersionInfo> = {}): DatasetVersionInfo {
  return { id, sourceId: d.sourceId, listIds: [...new Set(d.records.map((r) => r.listId))], coverageFrom: d.coverageFrom, coverageTo: d.coverageTo, complete: d.complete, sourceUrl: d.sourceUrl, ...over };
}

const bundled: VerdictData = {
  versions: [version(fcc, 'fcc-v1'), version(ndaa, 'ndaa-v1', { coverageFrom: '2018-08-13' }), version(dodPartial, 'dod-partial')],
  index: buildScreenIndex([...fcc.records, ...ndaa.records, ...dodPartial.records]),
  cves: [],
};
// The same 1260H entries presented as a complete edition file, to test closed-world answers.
const dodComplete = loadDod1260hCsv(read('us-1260h-partial.csv'));
const closed: VerdictData = { ...bundled, versions: [version(fcc, 'fcc-v1'), version(ndaa, 'ndaa-v1', { coverageFrom: '2018-08-13' }), version(dodComplete, 'dod-full')], index: buildScreenIndex([...fcc.records, ...ndaa.records, ...dodComplete.records]) };

function claim(over: Partial<ClaimToJudge>): ClaimToJudge {
  return { subject: { name: 'Quectel' }, predicate: 'listed', object: 'fcc-covered-list', polarity: 'affirmed', modality: 'asserted', eventDate: null, published: '2023-11-01', publishedPrecision: 'day', capturedAt: '2026-01-10T10:00:00Z', ...over };
}

describe('screening', () => {
  it('finds Quectel on the 1260H list from 2025-01-07 but not on 2024-06-01', () => {
    const before = screen(bundled.index, 'Quectel Wireless Solutions', { on: '2024-06-01', listIds: ['fcc-covered-list', 'us-1260h'] });
    expect(before.filter((m) => m.basis !== 'name-similar')).toEqual([]);
    const after = screen(bundled.index, 'Quectel Wireless Solutions', { on: '2025-02-01', listIds: ['fcc-covered-list', 'us-1260h'] });
    expect(after[0]).toMatchObject({ listId: 'us-1260h', basis: 'name', listedFrom: '2025-01-07' });
  });

  it('finds Huawei on the Covered List from 2021-03-12', () => {
    const m = screen(bundled.index, 'Huawei', { listIds: ['fcc-covered-list'] });
    expect(m[0]).toMatchObject({ listedName: 'Huawei Technologies Company', listedFrom: '2021-03-12', basis: 'name' });
    expect(screen(bundled.index, 'Huawei', { listIds: ['fcc-covered-list'], on: '2021-03-11' })).toEqual([]);
  });

  it('reaches a listed parent from a subsidiary only through the list terms or an ownership link', () => {
    const fccHit = screen(bundled.index, 'Hikvision USA Inc.', { listIds: ['fcc-covered-list'] });
    expect(fccHit[0]).toMatchObject({ basis: 'subsidiary-terms', listedName: 'Hangzhou Hikvision Digital Technology Company' });
    // The 1260H list does not extend to subsidiaries: without a link only a low-confidence resemblance.
    const dodHit = screen(bundled.index, 'Hikvision USA Inc.', { listIds: ['us-1260h'] });
    expect(dodHit.every((m) => m.basis === 'name-similar' && m.confidence === 'low')).toBe(true);
    const linked = screen(bundled.index, 'Hikvision USA Inc.', {
      listIds: ['us-1260h'],
      ownership: (n) => (n === 'Hikvision USA Inc.' ? ['Hangzhou Hikvision Digital Technology Co., Ltd.'] : []),
    });
    expect(linked[0]).toMatchObject({ basis: 'ownership', confidence: 'high' });
    expect(linked[0]!.explanation).toContain('ownership link');
  });

  it('uses the index: a query over 100,000 names scores only a few candidates', () => {
    const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'qu', 'br', 'an', 'el', 'or', 'ix'];
    const word = (n: number): string => Array.from({ length: 3 }, (_, k) => syllables[Math.floor(n / syllables.length ** k) % syllables.length]).join('');
    const records = Array.from({ length: 100_000 }, (_, i) => ({
      ...fcc.records[0]!, listId: 'synthetic', recordKey: `r${i}`, name: `${word(i)} ${word(i * 7 + 3)} Trading Co., Ltd.`, aliases: [], coversSubsidiaries: false,
    }));
    const index = buildScreenIndex([...records, ...fcc.records]);
    const res = screenDetailed(index, 'Huawei Technologies');
    expect(res.matches[0]?.listedName).toBe('Huawei Technologies Company');
    expect(res.candidates).toBeLessThan(500);
  });
});

describe('judgeClaim', () => {
  it('refutes an FCC listing claim about Quectel in 2023 and supports the denial', () => {
    const v = judgeClaim(claim({}), bundled)!;
    expect(v).toMatchObject({ label: 'REFUTED', asOf: '2023-11-01', asOfBasis: 'published' });
    expect(v.evidence[0]).toMatchObject({ datasetVersionId: 'fcc-v1', recordId: null });
    expect(judgeClaim(claim({ polarity: 'denied' }), bundled)!.label).toBe('SUPPORTED');
    expect(judgeClaim(claim({ predicate: 'banned', object: 'fcc' }), bundled)!.label).toBe('REFUTED');
  });

  it('supports Huawei on the Covered List from 2021-03-12 with the record as evidence', () => {
    const v = judgeClaim(claim({ subject: { name: 'Huawei' }, published: '2021-03-13' }), bundled)!;
    expect(v.label).toBe('SUPPORTED');
    expect(v.evidence[0]).toMatchObject({ datasetId: 'fcc-covered-list', recordId: 'huawei-technologies-company' });
  });

  it('gives NOT_ENOUGH_INFO for a claim dated before any covering version', () => {
    const v = judgeClaim(claim({ subject: { name: 'Huawei' }, published: '2020-05-01' }), bundled)!;
    expect(v.label).toBe('NOT_ENOUGH_INFO');
    expect(v.explanation).toContain('no version');
  });

  it('never refutes by absence from a partial version', () => {
    const v = judgeClaim(claim({ object: 'us-1260h', published: '2024-06-01' }), bundled)!;
    expect(v.label).toBe('NOT_ENOUGH_INFO');
    expect(v.explanation).toContain('partial');
    expect(judgeClaim(claim({ object: 'us-1260h', published: '2024-06-01' }), closed)!.label).toBe('REFUTED');
    expect(judgeClaim(claim({ object: 'us-1260h', published: '2025-02-01' }), bundled)!.label).toBe('SUPPORTED');
  });

  it('answers us-any: supported by any list, refuted only when every list held is complete', () => {
    expect(judgeClaim(claim({ object: 'us-any', published: '2025-02-01' }), bundled)!.label).toBe('SUPPORTED');
    const partial = judgeClaim(claim({ object: 'us-any' }), bundled)!;
    expect(partial.label).toBe('NOT_ENOUGH_INFO');
    expect(partial.explanation).toContain('Lists checked');
    expect(judgeClaim(claim({ object: 'us-any' }), closed)!.label).toBe('REFUTED');
    // "Never on any US list" became false once Quectel was added to 1260H.
    expect(judgeClaim(claim({ object: 'us-any', polarity: 'denied', published: '2026-01-05' }), bundled)!.label).toBe('REFUTED');
  });

  it('judges a month-precision date only when the answer holds for the whole month', () => {
    expect(judgeClaim(claim({ object: 'us-1260h', published: '2025-01', publishedPrecision: 'month' }), closed)!.label).toBe('NOT_ENOUGH_INFO');
    const steady = judgeClaim(claim({ object: 'us-1260h', published: '2025-03', publishedPrecision: 'month' }), closed)!;
    expect(steady).toMatchObject({ label: 'SUPPORTED', asOf: '2025-03-31' });
    const dated = judgeClaim(claim({ object: 'us-1260h', eventDate: '2025-01', published: '2025-06-19' }), closed)!;
    expect(dated).toMatchObject({ label: 'SUPPORTED', asOfBasis: 'event-date' });
  });

  it('says plainly when it falls back to the capture date', () => {
    const v = judgeClaim(claim({ published: null, publishedPrecision: null }), bundled)!;
    expect(v).toMatchObject({ asOfBasis: 'captured', asOf: '2026-01-10' });
    expect(v.explanation).toContain('Publication date unknown');
  });

  it('shows a 1260H listing for state control but leaves it undecided', () => {
    const v = judgeClaim(claim({ subject: { name: 'DJI' }, predicate: 'state-control', object: null, published: '2025-09-27' }), bundled)!;
    expect(v.label).toBe('NOT_ENOUGH_INFO');
    expect(v.evidence.some((e) => e.datasetId === 'us-1260h')).toBe(true);
  });

  it('gives no verdict to demands and hypotheticals', () => {
    expect(judgeClaim(claim({ modality: 'demanded' }), bundled)).toBeNull();
    expect(judgeClaim(claim({ modality: 'hypothetical' }), bundled)).toBeNull();
  });

  it('supports vulnerable via a CVE and backdoor only via CWE-912/798', () => {
    const cve = { cveId: 'CVE-2000-0001', vendor: 'Examplecorp', products: ['X1'], cwes: ['CWE-78'], published: '2023-01-01', description: 'command injection', sourceUrl: 'https://example.invalid/cve' };
    const data = { ...bundled, cves: [cve] };
    const base = { subject: { name: 'Examplecorp' }, object: null, published: '2023-06-01' };
    expect(judgeClaim(claim({ ...base, predicate: 'vulnerable' }), data)!.label).toBe('SUPPORTED');
    expect(judgeClaim(claim({ ...base, predicate: 'vulnerable', published: '2022-06-01' }), data)!.label).toBe('NOT_ENOUGH_INFO');
    expect(judgeClaim(claim({ ...base, predicate: 'backdoor' }), data)!.label).toBe('NOT_ENOUGH_INFO');
    const hidden = { ...data, cves: [{ ...cve, cwes: ['CWE-912'] }] };
    expect(judgeClaim(claim({ ...base, predicate: 'backdoor' }), hidden)!.label).toBe('SUPPORTED');
  });
});
