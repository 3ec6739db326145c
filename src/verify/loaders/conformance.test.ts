import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithShared } from '../../../test/support/shared.js';
import { loadCslCsv } from './csl.js';
import { loadCveJson } from './cve.js';
import { loadDod1260hCsv } from './dod-1260h.js';
import { loadFccCoveredListCsv } from './fcc-covered-list.js';
import { loadFtm, loadFtmGraph } from './ftm.js';
import { loadOfacSdn } from './ofac-sdn.js';
import { loadStatuteCsv } from './statutes.js';

const FILES = [
  'fixtures/lists/fcc-covered-list/table.csv',
  'fixtures/lists/dod-1260h/sanctions.csv',
  'fixtures/lists/trade-gov-csl/consolidated.csv',
  'fixtures/lists/ofac-sdn/sdn.csv',
  'fixtures/lists/ofac-sdn/alt.csv',
  'fixtures/lists/ofac-sdn/add.csv',
  'fixtures/lists/opensanctions-ftm/entities.ftm.json',
  'fixtures/lists/us-statutes/section_889.csv',
  'fixtures/cve/CVE-2022-26147.json',
  'fixtures/cve/CVE-2023-47610.json',
];

describeWithShared('list loaders on the real files', FILES, (p) => {
  const read = (i: number): string => readFileSync(p[i]!, 'utf8');

  it('reads the FCC Covered List scrape with dates, updates and category rows', () => {
    const d = loadFccCoveredListCsv(read(0));
    const names = d.records.filter((r) => !r.category).map((r) => r.name);
    expect(names).toContain('Huawei Technologies Company');
    expect(names).toContain('Kaspersky Lab, Inc.');
    expect(d.records.find((r) => r.name === 'ComNet (USA) LLC')?.parentName).toBe('Pacific Networks Corp');
    const uas = d.records.find((r) => r.category && r.listedFrom === '2025-12-22');
    expect(uas?.raw['updated']).toEqual(['2026-01-07', '2026-03-18', '2026-06-15', '2026-07-21']);
    expect(d.records.filter((r) => r.category)).toHaveLength(4);
  });

  it('reads 1260H editions: Quectel from 2025-01-07, Megvii removed, the Hesai gap visible', () => {
    const d = loadDod1260hCsv(read(1));
    const q = d.records.filter((r) => r.name.startsWith('Quectel'));
    expect(q.map((r) => [r.listedFrom, r.listedUntil])).toEqual([['2025-01-07', null]]);
    expect(d.records.find((r) => r.name.includes('Megvii'))?.listedUntil).toBe('2025-01-07');
    expect(d.warnings.some((w) => w.startsWith('Hesai'))).toBe(true);
  });

  it('routes CSL rows by source and reads OFAC SDN with aliases and split programs', () => {
    const csl = loadCslCsv(read(2));
    expect(csl.records.find((r) => r.listId === 'us-entity-list')?.name).toContain('CETC 13');
    expect(csl.warnings).toEqual([]);
    const sdn = loadOfacSdn({ sdn: read(3), alt: read(4), add: read(5) });
    const iran = sdn.records.find((r) => r.recordKey === '11195')!;
    expect(iran.programs).toEqual(['NPWMD', 'IFSR', 'IRAN-CON-ARMS-EO']);
    expect(iran.aliases).toContain('HESA TRADE CENTER');
    expect(iran.country).toBe('Iran');
  });

  it('reads FtM sanctions and relationships, statutes and CVE records', () => {
    const ftm = loadFtm(read(6));
    expect(ftm.records.length).toBe(41);
    expect(ftm.records.some((r) => r.listId === 'ofac-sdn')).toBe(true);
    const g = loadFtmGraph(read(6));
    expect(g.relationships.filter((r) => r.type === 'ownership').length).toBe(14);
    const s = loadStatuteCsv(read(7), 'section_889.csv');
    expect(s.sourceId).toBe('ndaa-889');
    expect(s.records.every((r) => r.coversSubsidiaries)).toBe(true);
    const a = loadCveJson(read(8)).cves![0]!;
    expect(a).toMatchObject({ cveId: 'CVE-2022-26147', vendor: 'Quectel', cwes: ['CWE-78'], published: null });
    expect(loadCveJson(read(9)).cves![0]).toMatchObject({ vendor: 'Telit Cinterion', published: '2023-11-09' });
  });
});
