import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { tempDir } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

const FIX = join(PROJECT_ROOT, 'test', 'fixtures', 'ingest');

interface DocJson {
  id: string;
  location: string;
  url: string | null;
  title: string | null;
  publisher: string | null;
  actor: string | null;
  published: string | null;
  publishedPrecision: string | null;
  capturedAt: string;
  sha256: string;
  format: string;
  status: string;
  error: string | null;
  kind: string;
  links: string[];
}

interface Report {
  ok: boolean;
  problems: { kind: string; message: string; documentId: string | null; recordId: string | null; leafIndex: number | null; table: string | null; field: string | null }[];
  amendments: { documentId: string; fields: string[] }[];
}

describe('claimtrace ingest and evidence (built CLI)', () => {
  let home: string;
  const run = (...args: string[]) => cli(['--workspace', home, ...args]);

  beforeEach(() => {
    home = join(tempDir(), 'ws');
    expect(run('init').code).toBe(0);
    expect(run('actor', 'add', 'Larkfield Sensors', '--kind', 'company').code).toBe(0);
  });

  it('ingests text, Markdown, HTML, a folder, a manifest and a posts file with metadata and sha256', () => {
    const r = run('ingest', '--json', '--manifest', join(FIX, 'manifest.jsonl'), join(FIX, 'notes.txt'), join(FIX, 'folder'), join(FIX, 'posts.jsonl'));
    expect(r.code, r.stderr).toBe(0);
    const docs = run('documents', '--json').json<DocJson[]>();
    expect(docs).toHaveLength(8);
    for (const d of docs) {
      expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
      for (const k of ['id', 'location', 'url', 'title', 'publisher', 'actor', 'published', 'capturedAt', 'format', 'status', 'error']) expect(d).toHaveProperty(k);
    }
    const byUrl = (u: string) => docs.find((d) => d.url === u);
    const original = byUrl('https://larkfield.example.test/news/statement');
    const mirror = byUrl('https://mirror.example.test/larkfield-statement');
    // Syndicated copies: same bytes, two documents.
    expect(original && mirror).toBeTruthy();
    expect(original?.id).not.toBe(mirror?.id);
    expect(original?.sha256).toBe(mirror?.sha256);
    // Metadata read from the page (OpenGraph, JSON-LD) unless the manifest overrides it.
    expect(original?.title).toBe('Larkfield Sensors responds to supplier rumours');
    expect(mirror?.title).toBe('Syndicated copy');
    expect(original?.publisher).toBe('Larkfield Sensors Newsroom');
    expect(original?.published).toBe('2024-02-14');
    expect(original?.publishedPrecision).toBe('day');
    expect(original?.actor).toBe('Larkfield Sensors');
    expect(original?.kind).toBe('press-release');
    expect(original?.links).toContain('https://news.example.test/corrections/44');
    const briefing = docs.find((d) => d.location.endsWith('briefing.md'));
    expect(briefing?.published).toBe('2023-10');
    expect(briefing?.publishedPrecision).toBe('month');
    expect(briefing?.format).toBe('markdown');
    expect(docs.filter((d) => d.format === 'post').map((d) => d.actor).sort()).toEqual(['@harbor_watch', '@quiet_reader']);
    expect(docs.some((d) => d.location.endsWith('nested/b.md'))).toBe(true);

    const shown = run('documents', 'show', original!.id, '--json').json<{ text: string }>();
    expect(shown.text).toContain('Larkfield Sensors is not on any government restriction list, and it never has been.');
    expect(shown.text).not.toContain('tracking');
    expect(shown.text).not.toContain('Careers');
    const notes = run('documents', 'show', docs.find((d) => d.location.endsWith('notes.txt'))!.id, '--json').json<{ text: string }>();
    expect(notes.text).toBe('Field notes\nThe plant visit happened on a Tuesday.\n\nNothing else to report.');

    // Re-ingesting the same bytes from the same places is idempotent.
    const again = run('ingest', '--json', '--manifest', join(FIX, 'manifest.jsonl'), join(FIX, 'notes.txt'));
    expect(again.json<{ results: { status: string }[] }>().results.map((x) => x.status)).toEqual(['exists', 'exists', 'exists', 'exists']);
    expect(run('documents', '--json').json<DocJson[]>()).toHaveLength(8);
  });

  it('rejects a .jsonl of neither shape with a clear error and keeps the rest of the batch', () => {
    const r = run('ingest', '--json', join(FIX, 'not-posts.jsonl'), join(FIX, 'notes.txt'));
    expect(r.code).toBe(1);
    const out = r.json<{ results: { status: string; code: string; error: string }[] }>();
    expect(out.results[0]?.status).toBe('failed');
    expect(out.results[0]?.error).toMatch(/is not a post .*Posts need \{id, author, text, created_at\}/);
    expect(out.results[1]?.status).toBe('stored');
  });

  it('reports errors with a stable code, as JSON on stderr with --json', () => {
    const r = run('documents', 'show', 'doc_missing', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toEqual({ error: { code: 'not_found', message: expect.stringContaining('doc_missing') } });
    const none = cli(['--workspace', join(tempDir(), 'nope'), 'documents']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/run `claimtrace init` first/);
  });

  describe('evidence verify', () => {
    let docs: DocJson[];
    beforeEach(() => {
      expect(run('ingest', '--manifest', join(FIX, 'manifest.jsonl'), join(FIX, 'notes.txt'), join(FIX, 'posts.jsonl')).code).toBe(0);
      docs = run('documents', '--json').json<DocJson[]>();
    });
    const verify = () => {
      const r = run('evidence', 'verify', '--json');
      return { code: r.code, report: r.json<Report>() };
    };

    it('passes on an untouched workspace', () => {
      const { code, report } = verify();
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
      expect(report.problems).toEqual([]);
    });

    it('names the WARC record when one byte of a WARC file changes', () => {
      const notes = docs.find((d) => d.location.endsWith('notes.txt'))!;
      const warcDir = join(home, 'warc');
      const file = join(warcDir, readdirSync(warcDir)[0]!);
      const buf = readFileSync(file);
      const at = buf.indexOf('The plant visit');
      buf[at] = buf[at]! ^ 0x20;
      writeFileSync(file, buf);
      const { code, report } = verify();
      expect(code).toBe(2);
      expect(report.ok).toBe(false);
      const hits = report.problems.filter((p) => p.kind === 'warc');
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((p) => p.documentId === null || p.documentId === notes.id)).toBe(true);
      expect(hits.some((p) => p.documentId === notes.id && p.recordId !== null)).toBe(true);
    });

    it('names the database row when a row is changed behind its back', () => {
      const target = docs.find((d) => d.url === 'https://larkfield.example.test/news/statement')!;
      const db = new Database(join(home, 'claimtrace.db'));
      db.prepare('UPDATE documents SET title = ? WHERE id = ?').run('A forged title', target.id);
      db.close();
      const { report } = verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatchObject({ kind: 'database', documentId: target.id, table: 'documents', field: 'title' });
    });

    it('names the log entry when an entry is altered', () => {
      const db = new Database(join(home, 'claimtrace.db'));
      const row = db.prepare('SELECT leaf_json FROM log_entries WHERE leaf_index = 2').get() as { leaf_json: string };
      db.prepare('UPDATE log_entries SET leaf_json = ? WHERE leaf_index = 2').run(row.leaf_json.replace('"capturedAt":"2', '"capturedAt":"1'));
      db.close();
      const { report } = verify();
      expect(report.ok).toBe(false);
      expect(report.problems.some((p) => p.kind === 'log' && p.leafIndex === 2)).toBe(true);
    });

    it('tells an amendment made through the CLI from tampering', () => {
      const target = docs.find((d) => d.url === 'https://larkfield.example.test/news/statement')!;
      const a = run('documents', 'amend', target.id, '--title', 'Corrected title', '--published', '2024-02-15', '--reason', 'publisher confirmed the date');
      expect(a.code, a.stderr).toBe(0);
      const { code, report } = verify();
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
      expect(report.amendments).toHaveLength(1);
      expect(report.amendments[0]?.documentId).toBe(target.id);
      expect(report.amendments[0]?.fields.sort()).toEqual(['published', 'title']);
      expect(run('documents', 'show', target.id, '--json').json<DocJson>().title).toBe('Corrected title');
    });
  });
});
