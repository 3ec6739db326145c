import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.js';
import { DEFAULT_LIMITS, parseInWorker, runInWorker } from '../src/capture/sandbox/index.js';
import { sniffFormat } from '../src/capture/formats/sniff.js';
import { PROJECT_ROOT } from './support/shared.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'formats');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
const HOSTILE = pathToFileURL(join(FIXTURES, 'hostile-tasks.ts')).href;
const tmp = mkdtempSync(join(tmpdir(), 'claimtrace-sandbox-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  return 'ok';
}

describe('parseInWorker', () => {
  it('parses each format in a worker with text, metadata and part order intact', async () => {
    const pdf = await parseInWorker(fixture('report.pdf'), 'pdf');
    expect(pdf.title).toBe('Supply Chain Review 2024');
    expect(pdf.parts).toHaveLength(3);
    const docx = await parseInWorker(fixture('letter.docx'), 'docx');
    expect(docx.author).toBe('Dana Whitfield');
    expect(docx.text).toContain('It is not, as the official list shows.');
    const pptx = await parseInWorker(fixture('deck.pptx'), 'pptx');
    expect(pptx.parts?.map((p) => pptx.text.slice(p.start, p.end).split('\n')[0])).toEqual([
      'Briefing: Northwind Lighting (fictional)',
      'Claim: Northwind is on a sanctions list',
      'Next steps',
    ]);
  });

  it('leaves the caller buffer usable (the worker gets a copy)', async () => {
    const bytes = fixture('deck.pptx');
    await parseInWorker(bytes, 'pptx');
    expect(bytes.length).toBeGreaterThan(0);
    expect(sniffFormat(bytes)).toBe('pptx');
  });

  it('records each hostile file as failed with a clear code while the rest of the batch parses', async () => {
    const big = join(tmp, 'oversized.pdf');
    // One byte over the cap: the header says PDF, the size decides.
    const oversized = new Uint8Array(DEFAULT_LIMITS.maxFileBytes + 1);
    oversized.set(new TextEncoder().encode('%PDF-1.7\n'));
    writeFileSync(big, oversized);
    const batch: [string, Uint8Array][] = [
      ['report.pdf', fixture('report.pdf')],
      ['bomb.docx', fixture('bomb.docx')],
      ['oversized.pdf', new Uint8Array(readFileSync(big))],
      ['corrupt.pdf', fixture('corrupt.pdf')],
      ['not-a-zip.pptx', fixture('not-a-zip.pptx')],
      ['xxe.docx', fixture('xxe.docx')],
      ['letter.docx', fixture('letter.docx')],
      ['deck.pptx', fixture('deck.pptx')],
    ];
    const outcome: Record<string, string> = {};
    for (const [name, bytes] of batch) {
      // The extension is only a claim; the bytes pick the parser, and a mismatch is the parser's to reject.
      const claimed = name.split('.').pop() ?? '';
      const sniffed = sniffFormat(bytes, name);
      const format = sniffed === 'pdf' || sniffed === 'docx' || sniffed === 'pptx' ? sniffed : claimed;
      outcome[name] = await codeOf(parseInWorker(bytes, format));
    }
    expect(outcome).toEqual({
      'report.pdf': 'ok',
      'bomb.docx': 'zip_bomb',
      'oversized.pdf': 'too_large',
      'corrupt.pdf': 'parse_failed',
      'not-a-zip.pptx': 'unsupported_format',
      'xxe.docx': 'parse_failed',
      'letter.docx': 'ok',
      'deck.pptx': 'ok',
    });
  });

  it('rejects a format it has no parser for', async () => {
    expect(await codeOf(parseInWorker(fixture('feed.rss'), 'html'))).toBe('unsupported_format');
  });

  it('honours a lower size cap from the caller', async () => {
    expect(await codeOf(parseInWorker(fixture('report.pdf'), 'pdf', { maxFileBytes: 1000 }))).toBe('too_large');
  });
});

describe('runInWorker containment', () => {
  const limits = { heapMb: 64, timeoutMs: 2000 };

  it('round-trips a value', async () => {
    expect(await runInWorker(HOSTILE, 'echo', { a: [1, 2] }, limits)).toEqual({ a: [1, 2] });
  });

  it('stops an infinite loop at the wall-clock limit', async () => {
    const started = Date.now();
    const err = await runInWorker(HOSTILE, 'spin', null, { heapMb: 64, timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('parse_timeout');
    expect((err as AppError).message).toMatch(/longer than 500 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('survives a worker that exhausts its heap', async () => {
    const err = await runInWorker(HOSTILE, 'hoard', null, { heapMb: 64, timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('too_large');
    expect((err as AppError).message).toMatch(/64 MB worker heap/);
  });

  it('maps a plain throw to parse_failed and a silent exit to parse_failed', async () => {
    const thrown = await runInWorker(HOSTILE, 'explode', null, limits).catch((e: unknown) => e);
    expect((thrown as AppError).code).toBe('parse_failed');
    expect((thrown as AppError).message).toMatch(/parser bug/);
    const exited = await runInWorker(HOSTILE, 'quit', null, limits).catch((e: unknown) => e);
    expect((exited as AppError).code).toBe('parse_failed');
    expect((exited as AppError).message).toMatch(/exited \(code 3\)/);
  });

  it('still parses after all of that', async () => {
    const doc = await parseInWorker(fixture('letter.docx'), 'docx');
    expect(doc.title).toBe('Letter to the Editor');
  });
});
