import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { tempDir } from './support/databases.js';
import { EXAMPLE_DIR } from './respond-setup.js';

// Runs the built CLI (npm run build first), as a user would.
const dir = tempDir('claimtrace-respond-cli-');
const home = join(dir, 'ws');
const run = (...args: string[]) =>
  cli(['--workspace', home, ...args], { env: { CLAIMTRACE_USER: 'cli-user' } });
let caseId: string;
let quote: string;

beforeAll(() => {
  expect(existsSync(join(EXAMPLE_DIR, 'case.json'))).toBe(true);
  expect(run('init').code).toBe(0);
  expect(run('actor', 'import-registry', join(EXAMPLE_DIR, 'case.json')).code).toBe(0);
  const ing = run(
    'ingest',
    join(EXAMPLE_DIR, 'posts.jsonl'),
    '--manifest',
    join(EXAMPLE_DIR, 'manifest.jsonl'),
  );
  expect(ing.code, ing.stderr).toBe(0);
});

describe('case commands (built CLI)', () => {
  it('creates, lists and moves a case, with --json output', () => {
    const created = run('case', 'create', '--respondent', 'Graham Tolliver', '--json');
    expect(created.code, created.stderr).toBe(0);
    const c = created.json<{ id: string; status: string; statements: { quote: string }[] }>();
    caseId = c.id;
    quote = c.statements[0]!.quote;
    expect(c.status).toBe('draft');
    expect(c.statements.length).toBeGreaterThan(0);
    const list = run('case', 'list', '--json').json<{ id: string; respondent: { name: string } }[]>();
    expect(list.map((x) => [x.id, x.respondent.name])).toEqual([[caseId, 'Graham Tolliver']]);
    const bad = run('case', 'status', caseId, 'retracted', '--json');
    expect(bad.code).not.toBe(0);
    expect(JSON.parse(bad.stderr).error.code).toBe('conflict');
    const sent = run('case', 'status', caseId, 'sent', '--note', 'by courier');
    expect(sent.code, sent.stderr).toBe(0);
    const shown = run('case', 'show', caseId);
    expect(shown.stdout).toMatch(/cli-user case\.status draft -> sent: by courier/);
  });

  it('writes letters in every format, each marked as a draft', () => {
    for (const format of ['md', 'docx', 'pdf']) {
      const file = join(dir, `letter.${format}`);
      const r = run('case', 'letter', caseId, '--kind', 'retraction', '--format', format, '--out', file);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('DRAFT for counsel');
      expect(readFileSync(file).byteLength).toBeGreaterThan(1000);
    }
    expect(readFileSync(join(dir, 'letter.md'), 'utf8')).toContain('DRAFT FOR COUNSEL - NOT SENT');
  });

  it('writes a pack that verify-pack accepts, and rejects it loudly after one byte changes', () => {
    const file = join(dir, 'case.wacz');
    expect(run('case', 'pack', caseId, '--out', file).code).toBe(0);
    const ok = cli(['evidence', 'verify-pack', file]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('verify-pack: OK');
    const bytes = readFileSync(file);
    // One byte of a statement's words inside a WARC record block.
    const at = bytes.indexOf(Buffer.from(quote.slice(0, 30)));
    expect(at).toBeGreaterThan(0);
    bytes[at + 3] = bytes[at + 3]! ^ 0x20;
    writeFileSync(file, bytes);
    const bad = cli(['evidence', 'verify-pack', file]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('verify-pack: FAILED');
    expect(bad.stdout).toMatch(
      /\[archive\/data\.warc <urn:uuid:[0-9a-f-]+>\] record <urn:uuid:[0-9a-f-]+> at byte \d+: block digest/,
    );
  });

  it('exports ClaimReview JSON-LD', () => {
    const file = join(dir, 'claimreview.jsonld');
    expect(
      run('export', 'claimreview', '--out', file, '--org', 'Norvane Wireless', '--label', 'refuted').code,
    ).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      '@context': string;
      '@graph': { reviewRating: { alternateName: string } }[];
    };
    expect(doc['@context']).toBe('https://schema.org');
    expect(doc['@graph'].length).toBeGreaterThan(0);
    expect(new Set(doc['@graph'].map((g) => g.reviewRating.alternateName))).toEqual(new Set(['REFUTED']));
  });

  it('monitor --once reports the open case; its example pages were captured from files, so they are skipped', () => {
    const r = run('monitor', '--once', '--json');
    expect(r.code, r.stderr).toBe(0);
    const reports = r.json<{ caseId: string; statusAfter: string; documents: { outcome: string }[] }[]>();
    expect(reports.map((x) => [x.caseId, x.statusAfter])).toEqual([[caseId, 'sent']]);
    expect(new Set(reports[0]!.documents.map((d) => d.outcome))).toEqual(new Set(['skipped']));
  });
});
