import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/capture/formats/feed.js';
import { readManifest, readPosts } from '../../src/capture/inputs.js';
import { parseRecordAt, scanRecords, serializeRecord } from '../../src/capture/warc.js';
import { isAppError } from '../../src/errors.js';
import { loadCslCsv, loadCslJson } from '../../src/verify/loaders/csl.js';
import { parseCsv, parseCsvObjects } from '../../src/verify/loaders/csv.js';
import { loadCveJson } from '../../src/verify/loaders/cve.js';
import { loadDod1260hCsv } from '../../src/verify/loaders/dod-1260h.js';
import { loadFccCoveredListCsv, loadFccCoveredListHtml } from '../../src/verify/loaders/fcc-covered-list.js';
import { loadFtm, loadFtmGraph } from '../../src/verify/loaders/ftm.js';
import { loadOfacSdn } from '../../src/verify/loaders/ofac-sdn.js';
import { loadStatuteCsv } from '../../src/verify/loaders/statutes.js';
import { loadUflpaHtml } from '../../src/verify/loaders/uflpa.js';
import { tempDir } from '../support/databases.js';
import { PROJECT_ROOT } from '../support/shared.js';
import { count, recordFigure } from './figures.js';

const RUNS = count(100, 2000);
const HANG_MS = 10_000;
const FIX = join(PROJECT_ROOT, 'test', 'fixtures');
let cases = 0;
const failures: string[] = [];

/** A parser may refuse input, but only with an AppError a user can act on; anything else is a bug. */
function survives(name: string, fn: () => unknown): void {
  cases++;
  const t = performance.now();
  try {
    fn();
  } catch (err) {
    if (!isAppError(err)) failures.push(`${name}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  expect(performance.now() - t, `${name} took too long`).toBeLessThan(HANG_MS);
}

/** Mutations of a real file: flipped bytes, cuts, duplicated and deleted ranges, inserted junk. */
function mutated(base: Buffer): fc.Arbitrary<Buffer> {
  const pos = fc.nat({ max: Math.max(0, base.byteLength - 1) });
  return fc.oneof(
    fc.array(fc.tuple(pos, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((flips) => {
      const b = Buffer.from(base);
      for (const [i, v] of flips) b[i] = v;
      return b;
    }),
    pos.map((n) => base.subarray(0, n)),
    fc.tuple(pos, pos).map(([a, b]) => Buffer.concat([base.subarray(0, Math.min(a, b)), base.subarray(Math.max(a, b))])),
    fc.tuple(pos, pos).map(([a, b]) => Buffer.concat([base.subarray(0, Math.max(a, b)), base.subarray(Math.min(a, b))])),
    fc.tuple(pos, fc.uint8Array({ maxLength: 64 })).map(([a, junk]) => Buffer.concat([base.subarray(0, a), Buffer.from(junk), base.subarray(a)])),
  );
}

/** The statute loader has no list fixture of its own: a small CSV of invented companies. */
const STATUTE = '(inline statute csv)';
const text = (file: string): string => readFileSync(join(FIX, file), 'utf8');

afterAll(() => {
  recordFigure('fuzz-loaders', { cases, runsPerProperty: RUNS, failures: failures.length, result: failures.length === 0 ? 'no hang, no crash, only AppErrors' : failures.slice(0, 5) });
});

describe('list loaders on mutated real list files and random input', () => {
  const loaders: [string, string, (s: string) => unknown][] = [
    ['csv', 'lists/csl.csv', (s) => [parseCsv(s), parseCsvObjects(s)]],
    ['csl csv', 'lists/csl.csv', loadCslCsv],
    ['csl json', 'lists/csl.json', loadCslJson],
    ['1260H csv', 'lists/dod-1260h-editions.csv', (s) => loadDod1260hCsv(s)],
    ['fcc csv', 'lists/fcc-covered-list.csv', (s) => loadFccCoveredListCsv(s)],
    ['ftm', 'lists/sample-entities.ftm.jsonl', (s) => [loadFtm(s), loadFtmGraph(s)]],
    ['uflpa html', 'lists/uflpa.html', (s) => loadUflpaHtml(s)],
    ['fcc html', 'lists/uflpa.html', (s) => loadFccCoveredListHtml(s)],
    ['cve json', 'lists/cve/CVE-2099-0001.json', loadCveJson],
    ['ofac sdn', 'lists/ofac/sample-sdn.csv', (s) => loadOfacSdn({ sdn: s, alt: text('lists/ofac/sample-alt.csv'), add: text('lists/ofac/sample-add.csv') })],
    ['statute csv', STATUTE, (s) => loadStatuteCsv(s, 'statute.csv')],
  ];
  for (const [name, file, load] of loaders) {
    it(`${name}: only AppErrors, never a hang`, () => {
      const base = file === STATUTE ? Buffer.from('schema,name,aliases,program,start-date,country\nCompany,Example Telecom Ltd,ETL;Example,NDAA 889,2019-08-13,CN\nCompany,Sample Camera Co,,NDAA 889,2019-08-13,CN\n') : readFileSync(join(FIX, file));
      // The untouched file must load, so a loader that refuses everything cannot pass.
      expect(() => load(base.toString('utf8'))).not.toThrow();
      fc.assert(fc.property(mutated(base), (b) => survives(name, () => load(b.toString('utf8')))), { numRuns: RUNS });
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (s) => survives(name, () => load(s))), { numRuns: Math.ceil(RUNS / 2) });
      expect(failures.filter((f) => f.startsWith(`${name}:`))).toEqual([]);
    });
  }
});

describe('feed, posts, manifest and WARC readers', () => {
  it('feeds: mutated RSS and Atom and random XML give a feed or an AppError', () => {
    for (const f of ['formats/feed.rss', 'formats/feed.atom']) {
      const base = readFileSync(join(FIX, f));
      expect(parseFeed(base).items.length).toBeGreaterThan(0);
      fc.assert(fc.property(mutated(base), (b) => survives('feed', () => parseFeed(b, 'https://example.org/'))), { numRuns: RUNS });
    }
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><title>&lol3;</title></channel></rss>`;
    expect(() => parseFeed(bomb)).toThrow(expect.objectContaining({ code: 'parse_failed' }));
    const deep = `<rss version="2.0"><channel><title>t</title><item><description>${'<b>'.repeat(20_000)}x</description></item></channel></rss>`;
    survives('feed', () => parseFeed(deep));
    expect(failures.filter((f) => f.startsWith('feed:'))).toEqual([]);
  });

  it('posts and manifests: random lines give items or an AppError', () => {
    const dir = tempDir('claimtrace-fuzz-inputs-');
    const file = join(dir, 'in.jsonl');
    const posts = readFileSync(join(FIX, 'ingest', 'posts.jsonl'));
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ id: fc.string(), author: fc.string(), text: fc.string({ unit: 'binary' }), created_at: fc.string(), url: fc.option(fc.webUrl(), { nil: undefined }), links: fc.option(fc.array(fc.string()), { nil: undefined }) }).map((v) => JSON.stringify(v)),
      fc.record({ path: fc.string(), url: fc.string(), published: fc.string(), kind: fc.string() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(line, { maxLength: 20 }).map((l) => Buffer.from(l.join('\n'))), mutated(posts)), (bytes) => {
        writeFileSync(file, bytes);
        survives('posts', () => readPosts(file));
        survives('manifest', () => readManifest(file));
      }),
      { numRuns: RUNS },
    );
    expect(failures.filter((f) => f.startsWith('posts:') || f.startsWith('manifest:'))).toEqual([]);
  });

  it('WARC: mutated files never crash the reader; scanRecords never throws and keeps the good prefix', () => {
    const records = [0, 1, 2, 3].map((i) => serializeRecord({ type: 'resource', targetUri: `urn:x:${i}`, date: '2024-03-04T00:00:00Z', contentType: 'text/plain', block: Buffer.from(`record ${i} `.repeat(20 + i)) }).bytes);
    const base = Buffer.concat(records);
    expect(scanRecords(base).records).toHaveLength(4);
    fc.assert(
      fc.property(mutated(base), (b) => {
        cases++;
        const scan = scanRecords(b);
        // Whatever parsed is a whole prefix: offsets are contiguous from 0 and the tail starts where they end.
        let at = 0;
        for (const r of scan.records) {
          expect(r.offset).toBe(at);
          at += r.length;
        }
        if (scan.tail) expect(scan.tail.offset).toBe(at);
        else expect(at).toBe(b.byteLength);
        survives('warc', () => parseRecordAt(b, 0));
      }),
      { numRuns: RUNS * 2 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (u) => survives('warc', () => scanRecords(Buffer.from(u)))), { numRuns: RUNS });
    expect(failures.filter((f) => f.startsWith('warc:'))).toEqual([]);
  });
});
