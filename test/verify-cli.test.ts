import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { tempDir } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

const FIX = join(PROJECT_ROOT, 'test', 'fixtures', 'lists');

interface Match {
  list: string;
  recordId: string;
  listedName: string;
  score: number;
  basis: string;
  confidence: string;
  listedFrom: string | null;
  listedUntil: string | null;
  sourceUrl: string;
  dataset: string | null;
  fictional: boolean;
  explanation: string;
}
interface ScreenOut {
  matches: Match[];
}
interface VersionOut {
  id: string;
  sourceId: string;
  complete: boolean;
  lists: string[];
  records: number;
  fictional: boolean;
  coverage: { from: string | null; to: string | null };
  warnings: string[];
  current: boolean;
}

function workspace(): (...args: string[]) => ReturnType<typeof cli> {
  const home = join(tempDir(), 'ws');
  return (...args: string[]) => cli(['--workspace', home, ...args]);
}

/** The built CLI in a child process without blocking this one, so a loopback server here can answer it. */
function cliAsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'claimtrace.js'), ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TZ: 'UTC' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('claimtrace lists and screen on the bundled snapshot', () => {
  const run = workspace();
  beforeAll(() => {
    expect(run('init').code).toBe(0);
  });

  it('init imports the bundled US lists: FCC and NDAA 889 complete, the 1260H snapshot partial', () => {
    const versions = run('lists', '--json').json<VersionOut[]>();
    const by = (id: string): VersionOut | undefined => versions.find((v) => v.sourceId === id);
    expect(by('fcc-covered-list')).toMatchObject({ complete: true, fictional: false, coverage: { from: '2021-03-12' } });
    expect(by('ndaa-889')?.complete).toBe(true);
    expect(by('us-1260h')).toMatchObject({ complete: false, lists: ['us-1260h'] });
    // Running init again imports nothing twice.
    expect(run('init').code).toBe(0);
    expect(run('lists', '--json').json<VersionOut[]>()).toHaveLength(versions.length);
  });

  it('Quectel Wireless Solutions: nothing on 2024-06-01, the 1260H entry from 2025-01-07 on 2025-02-01', () => {
    const lists = ['--list', 'fcc-covered-list', '--list', 'us-1260h'];
    const before = run('screen', 'Quectel Wireless Solutions', '--on', '2024-06-01', ...lists, '--json').json<ScreenOut>();
    expect(before.matches.filter((m) => m.basis !== 'name-similar')).toEqual([]);
    const after = run('screen', 'Quectel Wireless Solutions', '--on', '2025-02-01', ...lists, '--json').json<ScreenOut>();
    expect(after.matches[0]).toMatchObject({ list: 'us-1260h', basis: 'name', listedFrom: '2025-01-07', dataset: 'us-1260h' });
    expect(after.matches[0]!.sourceUrl).toMatch(/^https:\/\/media\.defense\.gov\//);
    expect(after.matches[0]!.explanation).toContain('quectel');
  });

  it('Huawei is on the Covered List from 2021-03-12, not the day before', () => {
    const m = run('screen', 'Huawei', '--list', 'fcc-covered-list', '--json').json<ScreenOut>().matches;
    expect(m[0]).toMatchObject({ listedName: 'Huawei Technologies Company', listedFrom: '2021-03-12', basis: 'name' });
    expect(run('screen', 'Huawei', '--list', 'fcc-covered-list', '--on', '2021-03-11', '--json').json<ScreenOut>().matches).toEqual([]);
  });

  it('Hikvision USA Inc. reaches its listed parent only through list terms or a registered ownership link', () => {
    const fcc = run('screen', 'Hikvision USA Inc.', '--list', 'fcc-covered-list', '--json').json<ScreenOut>().matches;
    expect(fcc[0]).toMatchObject({ basis: 'subsidiary-terms', listedName: 'Hangzhou Hikvision Digital Technology Company' });
    const unlinked = run('screen', 'Hikvision USA Inc.', '--list', 'us-1260h', '--json').json<ScreenOut>().matches;
    expect(unlinked.length).toBeGreaterThan(0);
    expect(unlinked.every((m) => m.basis === 'name-similar' && m.confidence === 'low')).toBe(true);
    // Registering the link (here from FollowTheMoney JSON lines) makes the parent's listing reach it.
    expect(run('actor', 'import', join(FIX, 'sample-entities.ftm.jsonl')).code).toBe(0);
    const linked = run('screen', 'Hikvision USA Inc.', '--list', 'us-1260h', '--json').json<ScreenOut>().matches;
    expect(linked[0]).toMatchObject({ basis: 'ownership', confidence: 'high', listedName: 'Hangzhou Hikvision Digital Technology Co., Ltd.' });
    expect(linked[0]!.explanation).toContain('registered ownership link');
  });

  it('rejects a screening day that is not a day', () => {
    const r = run('screen', 'Huawei', '--on', '2025-02', '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid_input');
  });
});

describe('claimtrace lists import', () => {
  const run = workspace();
  beforeAll(() => {
    expect(run('init').code).toBe(0);
  });

  it('routes CSL rows to their lists (CSV and JSON) and keeps unknown-to-the-brief sources apart', () => {
    const r = run('lists', 'import', 'csl', join(FIX, 'csl.csv'), '--json').json<{ created: boolean; listIds: string[]; records: number }>();
    expect(r).toMatchObject({ created: true, records: 4 });
    expect(r.listIds).toEqual(['ofac-ns-cmic', 'ofac-sdn', 'us-entity-list', 'us-meu']);
    const el = run('screen', 'Quorvex Microsystems', '--list', 'us-entity-list', '--json').json<ScreenOut>().matches;
    expect(el[0]).toMatchObject({ list: 'us-entity-list', listedFrom: '2024-05-09', dataset: 'csl' });
    const j = run('lists', 'import', 'csl', join(FIX, 'csl.json'), '--json').json<{ listIds: string[] }>();
    expect(j.listIds).toEqual(['ofac-ns-cmic', 'us-entity-list']);
  });

  it('is idempotent by source and sha256', () => {
    const again = run('lists', 'import', 'csl', join(FIX, 'csl.csv'), '--json').json<{ created: boolean }>();
    expect(again.created).toBe(false);
  });

  it('reads an OFAC folder with aliases from alt.csv, UFLPA HTML, FtM sanctions and CVE folders', () => {
    // OFAC publishes sdn.csv, alt.csv and add.csv side by side; our sample files take those names in a temp folder.
    const ofac = tempDir();
    for (const f of ['sdn', 'alt', 'add']) copyFileSync(join(FIX, 'ofac', `sample-${f}.csv`), join(ofac, `${f}.csv`));
    const sdn = run('lists', 'import', 'ofac-sdn', ofac, '--json').json<{ records: number; listIds: string[] }>();
    expect(sdn).toMatchObject({ records: 2, listIds: ['ofac-sdn'] });
    const alias = run('screen', 'Example Test Maritime', '--list', 'ofac-sdn', '--json').json<ScreenOut>().matches;
    expect(alias[0]).toMatchObject({ recordId: '9002', basis: 'name' });
    const uflpa = run('lists', 'import', 'uflpa', join(FIX, 'uflpa.html'), '--json').json<{ records: number }>();
    expect(uflpa.records).toBe(2);
    expect(run('screen', 'ETC Mills', '--list', 'uflpa', '--json').json<ScreenOut>().matches[0]).toMatchObject({ listedFrom: '2022-06-21' });
    const ftm = run('lists', 'import', 'ftm', join(FIX, 'sample-entities.ftm.jsonl'), '--actors', '--json').json<{ listIds: string[]; actors: { actors: number; relationships: number } }>();
    expect(ftm.listIds).toEqual(['ofac-sdn']);
    expect(ftm.actors).toMatchObject({ actors: 4, relationships: 2 });
    const cve = run('lists', 'import', 'cve', join(FIX, 'cve'), '--json').json<{ cves: number }>();
    expect(cve.cves).toBe(1);
  });

  it('a direct list import keeps only its own rows and says what it left out', () => {
    const r = run('lists', 'import', 'us-entity-list', join(FIX, 'csl.csv'), '--json').json<{ listIds: string[]; warnings: string[] }>();
    expect(r.listIds).toEqual(['us-entity-list']);
    expect(r.warnings.join(' ')).toContain('3 rows for other lists');
  });

  it('stores example-* sources as fictional and partial, even when called complete', () => {
    const r = run('lists', 'import', 'example-test-1260h', join(FIX, 'dod-1260h-editions.csv'), '--complete', '--json').json<{ version: VersionOut }>();
    expect(r.version).toMatchObject({ fictional: true, complete: false, lists: ['us-1260h'] });
    const m = run('screen', 'Tessaly Optics', '--list', 'us-1260h', '--json').json<ScreenOut>().matches;
    expect(m[0]).toMatchObject({ fictional: true, dataset: 'example-test-1260h', listedUntil: '2025-01-07' });
  });

  it('refuses unknown sources, PDFs and missing files with a clear message', () => {
    const unknown = run('lists', 'import', 'nope', join(FIX, 'csl.csv'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown source');
    const missing = run('lists', 'import', 'csl', join(FIX, 'absent.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('claimtrace verify: verdicts, re-judging and history', () => {
  const run = workspace();
  let claimId = '';
  beforeAll(() => {
    expect(run('init').code).toBe(0);
    expect(run('subject', 'add', 'Quectel', '--alias', 'Quectel Wireless Solutions').code).toBe(0);
    expect(run('subject', 'add', 'Huawei', '--alias', 'Huawei Technologies Company').code).toBe(0);
    expect(run('ingest', join(FIX, 'docs', 'quectel-denial-2023.txt'), '--published', '2023-11-01').code).toBe(0);
    expect(run('ingest', join(FIX, 'docs', 'huawei-2020.txt'), '--published', '2020-05-01').code).toBe(0);
  });

  interface ClaimOut {
    id: string;
    subject: string;
    predicate: string;
    object: string | null;
    polarity: string;
    verdict: { label: string; asOf: string; explanation: string; evidence: { datasetId: string | null; datasetVersionId: string | null; sourceUrl: string | null }[] } | null;
  }
  const claims = (): ClaimOut[] => run('claims', '--json').json<ClaimOut[]>();

  it('a claim dated before any covering version is NOT_ENOUGH_INFO', () => {
    const c = claims().find((x) => x.subject === 'Huawei')!;
    expect(c.verdict).toMatchObject({ label: 'NOT_ENOUGH_INFO', asOf: '2020-05-01' });
    expect(c.verdict!.explanation).toContain('no version of the FCC Covered List held covers 2020-05-01');
  });

  it('a denial judged against a partial 1260H snapshot is not decided by absence', () => {
    const c = claims().find((x) => x.subject === 'Quectel')!;
    claimId = c.id;
    expect(c).toMatchObject({ predicate: 'listed', object: 'us-any', polarity: 'denied' });
    expect(c.verdict!.label).toBe('NOT_ENOUGH_INFO');
    expect(c.verdict!.explanation).toContain('cannot show absence');
  });

  it('importing a complete 1260H edition file re-judges the claim and keeps the old verdict as history', () => {
    const imp = run('lists', 'import', 'us-1260h', join(FIX, 'dod-1260h-editions.csv'), '--complete', '--json').json<{ rejudged: { changed: number } }>();
    expect(imp.rejudged.changed).toBeGreaterThanOrEqual(1);
    const v = run('verify', '--claim', claimId, '--json').json<{ verdict: { label: string; evidence: { datasetId: string }[] }; history: { label: string; current: boolean }[] }>();
    expect(v.verdict.label).toBe('SUPPORTED');
    expect(v.verdict.evidence.map((e) => e.datasetId)).toEqual(expect.arrayContaining(['fcc-covered-list', 'us-1260h', 'ndaa-889']));
    expect(v.history.map((h) => [h.label, h.current])).toEqual([
      ['NOT_ENOUGH_INFO', false],
      ['SUPPORTED', true],
    ]);
    // Nothing changed since: judging again adds no history.
    expect(run('verify', '--json').json<{ changed: number }>().changed).toBe(0);
    expect(run('verify', '--claim', claimId, '--json').json<{ history: unknown[] }>().history).toHaveLength(2);
  });

  it('an unknown claim id is a clear error', () => {
    const r = run('verify', '--claim', 'clm_nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no claim clm_nope');
  });
});

describe('claimtrace lists update', () => {
  const run = workspace();
  let server: Server;
  let port = 0;
  const html = readFileSync(join(PROJECT_ROOT, 'data', 'lists', 'fcc-covered-list.html'));
  beforeAll(async () => {
    expect(run('init').code).toBe(0);
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html.toString('utf8').replace('</tbody>', '<tr><td>Telecommunications equipment produced by Example Test Radio Company.</td><td>June 1, 2026</td></tr></tbody>'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('skips an unresolvable host as offline and exits 0', () => {
    const r = run('lists', 'update', '--source', 'fcc-covered-list', '--url', 'fcc-covered-list=http://covered-list.invalid/');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fcc-covered-list: skipped: offline/);
  });

  it('skips a refused connection as offline and says why the DoD list is not fetched', () => {
    const r = run('lists', 'update', '--source', 'fcc-covered-list', '--source', 'us-1260h', '--allow-private-network', '--url', 'fcc-covered-list=http://127.0.0.1:1/', '--json');
    expect(r.code).toBe(0);
    const out = r.json<{ sourceId: string; status: string; message: string }[]>();
    expect(out[0]).toMatchObject({ sourceId: 'fcc-covered-list', status: 'skipped' });
    expect(out[0]!.message).toContain('offline');
    expect(out[1]).toMatchObject({ sourceId: 'us-1260h', status: 'skipped' });
    expect(out[1]!.message).toContain('PDF');
  });

  it('refuses a loopback URL without --allow-private-network', () => {
    const r = run('lists', 'update', '--source', 'fcc-covered-list', '--url', `fcc-covered-list=http://127.0.0.1:${port}/`, '--json');
    expect(r.code).toBe(1);
    expect(r.json<{ status: string }[]>()[0]!.status).toBe('failed');
  });

  it('fetches the page and imports it as a new version', async () => {
    const home = (run('init', '--json').json<{ path: string }>()).path;
    const up = await cliAsync(['--workspace', home, 'lists', 'update', '--source', 'fcc-covered-list', '--allow-private-network', '--url', `fcc-covered-list=http://127.0.0.1:${port}/covered`, '--json']);
    expect(up.code).toBe(0);
    expect((JSON.parse(up.stdout) as { status: string }[])[0]!.status).toBe('imported');
    const m = run('screen', 'Example Test Radio Company', '--list', 'fcc-covered-list', '--json').json<ScreenOut>().matches;
    expect(m[0]).toMatchObject({ listedFrom: '2026-06-01', sourceUrl: `http://127.0.0.1:${port}/covered` });
  });
});
