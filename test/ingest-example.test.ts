import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { tempDir } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

const CASE = join(PROJECT_ROOT, 'examples', 'example-case');
const BINARY = /\.(pdf|docx|pptx|xml)$/;

interface KeyLine {
  file: string;
  claims: { quote: string }[];
  traps: { sentence: string }[];
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('the example case binary documents and feed, as claimtrace stores them', () => {
  const home = join(tempDir(), 'ws');
  const run = (...args: string[]) => cli(['--workspace', home, ...args]);
  const manifest = readFileSync(join(CASE, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { path: string; url?: string; actor?: string; kind: string });
  const key = readFileSync(join(CASE, 'answer-key.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as KeyLine)
    .filter((k) => BINARY.test(k.file));
  let docs: { id: string; location: string; format: string; status: string; parentId: string | null; actor: string | null }[];

  beforeAll(() => {
    expect(run('init').code).toBe(0);
    const r = run('ingest', '--no-process', '--json', '--manifest', join(CASE, 'manifest.jsonl'));
    expect(r.code, r.stdout).toBe(0);
    docs = run('documents', '--json').json<typeof docs>();
  }, 180_000);

  it('has a PDF report, a DOCX letter, a PPTX deck and a feed, each with answer-key claims', () => {
    const binaries = manifest.filter((m) => BINARY.test(m.path));
    expect(binaries.map((m) => m.path.split('.').pop()).sort()).toEqual(['docx', 'pdf', 'pptx', 'xml']);
    expect(key).toHaveLength(4);
    for (const k of key) expect(k.claims.length, k.file).toBeGreaterThan(0);
  });

  it('parses each of them and finds every key quote and trap in the stored text', () => {
    const missing: string[] = [];
    for (const k of key) {
      const m = manifest.find((x) => x.path === k.file)!;
      const doc = docs.find((d) => d.location === (m.url ?? join(CASE, m.path)));
      expect(doc, k.file).toBeDefined();
      expect(doc!.status, k.file).toBe('stored');
      const text = squash(run('documents', 'show', doc!.id, '--json').json<{ text: string | null }>().text ?? '');
      for (const q of [...k.claims.map((c) => c.quote), ...k.traps.map((t) => t.sentence)]) if (!text.includes(q)) missing.push(`${k.file}: ${q}`);
    }
    expect(missing).toEqual([]);
  });

  it('stores the feed items as articles of the outlet under the feed document', () => {
    const feed = docs.find((d) => d.location === 'https://wireandsignal.test/briefs/feed.xml')!;
    const items = docs.filter((d) => d.parentId === feed.id);
    expect(items.map((d) => d.format)).toEqual(['feed-item', 'feed-item']);
    expect(items.every((d) => d.actor === 'Wire & Signal Daily')).toBe(true);
    expect(run('evidence', 'verify').code).toBe(0);
  });
});
