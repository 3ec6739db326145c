import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { tempDir } from './support/databases.js';
import { PROJECT_ROOT } from './support/shared.js';

const FORMATS = join(PROJECT_ROOT, 'test', 'fixtures', 'formats');

interface Result {
  location: string;
  status: string;
  documentId: string | null;
  code: string | null;
  error: string | null;
  parentId?: string | null;
}

interface Doc {
  id: string;
  location: string;
  url: string | null;
  title: string | null;
  published: string | null;
  format: string;
  status: string;
  error: string | null;
  kind: string;
  parentId: string | null;
  links: string[];
  text: string | null;
  metadata: Record<string, string>;
  errorCode: string | null;
  mediaType: string | null;
  author: string | null;
}

function workspace(env: Record<string, string> = {}): { run: (...args: string[]) => ReturnType<typeof cli>; home: string } {
  const home = join(tempDir(), 'ws');
  const run = (...args: string[]) => cli(['--workspace', home, ...args], { env });
  expect(run('init').code).toBe(0);
  return { run, home };
}

describe('ingest of every document format, and hostile inputs, through the built CLI', () => {
  let results: Result[];
  let docs: Doc[];
  let run: ReturnType<typeof workspace>['run'];
  let exitCode: number;

  beforeAll(() => {
    ({ run } = workspace());
    const r = run(
      'ingest', '--json', '--no-process',
      join(FORMATS, 'report.pdf'),
      join(FORMATS, 'bomb.docx'),
      join(FORMATS, 'letter.docx'),
      join(FORMATS, 'corrupt.pdf'),
      join(FORMATS, 'deck.pptx'),
      join(FORMATS, 'not-a-zip.pptx'),
      join(FORMATS, 'xxe.docx'),
      join(FORMATS, 'feed.rss'),
      'file:///etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost:9/',
      join(FORMATS, 'feed.atom'),
    );
    exitCode = r.code;
    results = r.json<Result[]>();
    const list = run('documents', '--json').json<{ id: string }[]>();
    docs = list.map((d) => run('documents', 'show', d.id, '--json').json<Doc>());
  }, 120_000);

  const byName = (name: string) => results.find((r) => r.location.endsWith(name));
  const doc = (name: string) => docs.find((d) => d.location.endsWith(name));

  it('stores a PDF with its info dictionary, its pages as parts and its text', () => {
    const pdf = doc('report.pdf')!;
    expect(pdf).toMatchObject({ format: 'pdf', status: 'stored', title: 'Supply Chain Review 2024', author: 'Northwind Lighting Ltd', mediaType: 'application/pdf' });
    expect(pdf.published?.startsWith('2024-02-15')).toBe(true);
    expect(pdf.text).toContain('Northwind Lighting Ltd states that it has no ties to any listed entity.');
    const parts = JSON.parse(pdf.metadata['parts'] ?? '[]') as { label: string; start: number; end: number }[];
    expect(parts.map((p) => p.label)).toEqual(['page 1', 'page 2', 'page 3']);
    // Page spans point into the stored text, so a quote can be located on its page.
    expect(pdf.text!.slice(parts[1]!.start, parts[1]!.end)).toContain('audited 14 suppliers');
    expect(pdf.links).toContain('https://registry.example.org/northwind');
  });

  it('stores a DOCX and a PPTX with core properties, slides in order', () => {
    const letter = doc('letter.docx')!;
    expect(letter).toMatchObject({ format: 'docx', status: 'stored', title: 'Letter to the Editor' });
    expect(letter.text!.length).toBeGreaterThan(50);
    const deck = doc('deck.pptx')!;
    expect(deck).toMatchObject({ format: 'pptx', status: 'stored', title: 'Board Briefing on Northwind' });
    const slides = JSON.parse(deck.metadata['parts'] ?? '[]') as { label: string; start: number }[];
    expect(slides.length).toBeGreaterThanOrEqual(2);
    expect(slides.map((s) => s.start)).toEqual([...slides.map((s) => s.start)].sort((a, b) => a - b));
  });

  it('stores an RSS and an Atom feed, and each item as a document of its own under the feed', () => {
    for (const name of ['feed.rss', 'feed.atom']) {
      const feed = doc(name)!;
      expect(feed.status, name).toBe('stored');
      const items = docs.filter((d) => d.parentId === feed.id);
      expect(items.length, name).toBe(2);
      for (const item of items) {
        expect(item.format).toBe('feed-item');
        expect(item.url).toMatch(/^https:\/\//);
        expect(item.location).toBe(item.url);
      }
    }
    const rssItem = docs.find((d) => d.url === 'https://gazette.example.net/2024/03/northwind')!;
    expect(rssItem).toMatchObject({ title: 'Northwind & the sanctions list', author: 'Sam Okoro', published: '2024-03-03T13:20:00.000Z', kind: 'article' });
    expect(rssItem.text).toContain('Northwind Lighting Ltd is on the list, sources say.');
    // A relative RSS link resolves against the channel link.
    expect(docs.some((d) => d.url === 'https://gazette.example.net/2024/03/second')).toBe(true);
  });

  it('rejects each hostile input with a clear error and still stores the rest of the batch', () => {
    expect(exitCode).toBe(1);
    const expectFailed = (name: string, code: string, message: RegExp) => {
      const r = byName(name);
      expect(r, name).toBeDefined();
      expect(r!.status, name).toBe('failed');
      expect(r!.code, name).toBe(code);
      expect(r!.error, name).toMatch(message);
    };
    expectFailed('bomb.docx', 'zip_bomb', /zip bomb/);
    expectFailed('corrupt.pdf', 'parse_failed', /PDF/);
    expectFailed('not-a-zip.pptx', 'unsupported_format', /named as a PPTX file but its bytes are plain text/);
    expectFailed('xxe.docx', 'parse_failed', /DOCTYPE/);
    expectFailed('file:///etc/passwd', 'blocked_address', /only http and https/);
    expectFailed('http://169.254.169.254/latest/meta-data/', 'blocked_address', /cloud-metadata address.*--allow-private-network/);
    expectFailed('http://localhost:9/', 'blocked_address', /resolves to (127\.0\.0\.1|::1).*loopback/);
    // The raw bytes of a file that failed to parse are still captured as evidence, marked failed.
    for (const name of ['bomb.docx', 'corrupt.pdf', 'not-a-zip.pptx', 'xxe.docx']) {
      expect(doc(name), name).toMatchObject({ status: 'failed', text: null });
      expect(doc(name)!.errorCode, name).toBe(byName(name)!.code);
    }
    expect(doc('corrupt.pdf')!.format).toBe('pdf');
    for (const name of ['report.pdf', 'letter.docx', 'deck.pptx', 'feed.rss', 'feed.atom']) expect(byName(name)!.status, name).toBe('stored');
  });

  it('keeps the evidence log consistent with everything stored', () => {
    const r = run('evidence', 'verify', '--json');
    expect(r.code, r.stdout).toBe(0);
    expect(r.json<{ ok: boolean; checked: { captures: number } }>().checked.captures).toBe(docs.length);
  });
});

describe('file size cap', () => {
  it('refuses a file over CLAIMTRACE_MAX_FILE_BYTES before reading it, and stores the small one', () => {
    const dir = tempDir();
    const big = join(dir, 'big.txt');
    writeFileSync(big, 'Norvane '.repeat(40_000));
    const small = join(dir, 'small.txt');
    writeFileSync(small, 'A short note.');
    const { run } = workspace({ CLAIMTRACE_MAX_FILE_BYTES: '100000' });
    const r = run('ingest', '--json', '--no-process', big, small);
    expect(r.code).toBe(1);
    const [bigResult, smallResult] = r.json<Result[]>();
    expect(bigResult).toMatchObject({ status: 'failed', code: 'too_large', documentId: null });
    expect(bigResult!.error).toMatch(/320000 bytes, over the 100000-byte limit/);
    expect(smallResult).toMatchObject({ status: 'stored' });
  });
});
