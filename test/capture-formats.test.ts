import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.js';
import { parseDocx } from '../src/capture/formats/docx.js';
import { parseFeed } from '../src/capture/formats/feed.js';
import { parsePdf, pdfDateToIso } from '../src/capture/formats/pdf.js';
import { parsePptx } from '../src/capture/formats/pptx.js';
import { sniffFormat } from '../src/capture/formats/sniff.js';
import { DEFAULT_LIMITS } from '../src/capture/formats/types.js';
import { inspectZip } from '../src/capture/formats/zip-guard.js';
import { PROJECT_ROOT } from './support/shared.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'formats', name)));

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError, got a result');
}

describe('sniffFormat', () => {
  it('decides by content, never by the file name', () => {
    expect(sniffFormat(fixture('report.pdf'), 'report.pdf')).toBe('pdf');
    expect(sniffFormat(fixture('letter.docx'), 'letter.pdf')).toBe('docx');
    expect(sniffFormat(fixture('deck.pptx'), 'deck.docx')).toBe('pptx');
    expect(sniffFormat(fixture('not-a-zip.pptx'), 'not-a-zip.pptx')).toBe('text');
    expect(sniffFormat(fixture('feed.rss'), 'feed.html')).toBe('xml-feed');
    expect(sniffFormat(fixture('feed.atom'))).toBe('xml-feed');
  });

  it('tells a plain zip from OOXML by the parts in its central directory', () => {
    const zip = zipSync({ 'notes/readme.txt': strToU8('hello') });
    expect(sniffFormat(zip, 'x.docx')).toBe('zip');
  });

  it('recognises html, json, text and binary junk', () => {
    expect(sniffFormat(strToU8('<!DOCTYPE html><html><body>x</body></html>'))).toBe('html');
    expect(sniffFormat(strToU8('<p>Just a fragment</p>'))).toBe('html');
    expect(sniffFormat(strToU8('{"a": [1, 2]}'))).toBe('json');
    expect(sniffFormat(strToU8('{not json'))).toBe('text');
    expect(sniffFormat(strToU8('Plain words, with accents: é.\n'))).toBe('text');
    expect(sniffFormat(new Uint8Array([0x00, 0x01, 0x02, 0xff, 0x10]))).toBe('unknown');
    expect(sniffFormat(new Uint8Array())).toBe('unknown');
  });

  it('finds a PDF header after leading junk, as PDF readers do', () => {
    const bytes = new Uint8Array([...strToU8('junk junk\n'), ...fixture('report.pdf')]);
    expect(sniffFormat(bytes)).toBe('pdf');
  });
});

describe('parsePdf', () => {
  it('extracts page text in order with page spans, info metadata and link annotations', async () => {
    const doc = await parsePdf(fixture('report.pdf'), DEFAULT_LIMITS);
    expect(doc.title).toBe('Supply Chain Review 2024');
    expect(doc.author).toBe('Northwind Lighting Ltd');
    expect(doc.published).toBe('2024-02-15T09:30:00.000Z');
    expect(doc.metadata['Subject']).toBe('Fictional test report');
    expect(doc.links).toContain('https://registry.example.org/northwind');
    expect(doc.parts?.map((p) => p.label)).toEqual(['page 1', 'page 2', 'page 3']);
    const pages = (doc.parts ?? []).map((p) => doc.text.slice(p.start, p.end));
    expect(pages[0]).toMatch(/^Supply Chain Review 2024 \(fictional\)\nPage one:/);
    expect(pages[1]).toContain('audited 14 suppliers in January 2024');
    expect(pages[2]).toBe('Page three: conclusions and next steps.');
  });

  it('rejects a corrupt PDF with parse_failed', async () => {
    const err = await errorOf(parsePdf(fixture('corrupt.pdf'), DEFAULT_LIMITS));
    expect(err.code).toBe('parse_failed');
    expect(err.message).toMatch(/PDF could not be read/);
  });

  it('reads PDF dates with time zones', () => {
    expect(pdfDateToIso("D:20240215103000+01'00'")).toBe('2024-02-15T09:30:00.000Z');
    expect(pdfDateToIso('D:2024')).toBe('2024-01-01T00:00:00.000Z');
    expect(pdfDateToIso('yesterday')).toBeNull();
  });
});

describe('parseDocx', () => {
  it('extracts text, core properties and external hyperlinks', async () => {
    const doc = await parseDocx(fixture('letter.docx'), DEFAULT_LIMITS);
    expect(doc.text.split('\n\n')).toEqual([
      'Request for correction',
      'Dear Editor,',
      'Your article of 3 March 2024 says Northwind Lighting Ltd is on the sanctions list. It is not, as the official list shows.',
      'Yours faithfully, Dana Whitfield',
    ]);
    expect(doc.title).toBe('Letter to the Editor');
    expect(doc.author).toBe('Dana Whitfield');
    expect(doc.published).toBe('2024-03-05T10:00:00.000Z');
    expect(doc.metadata['keywords']).toBe('correction, letter');
    expect(doc.links).toEqual(['https://lists.example.gov/consolidated']);
  });

  it('refuses DOCTYPE/ENTITY declarations (XXE, billion laughs) before mammoth runs', async () => {
    const err = await errorOf(parseDocx(fixture('xxe.docx'), DEFAULT_LIMITS));
    expect(err.code).toBe('parse_failed');
    expect(err.message).toMatch(/word\/document\.xml declares a DOCTYPE.*XXE or entity-expansion/);
  });

  it('rejects a zip bomb quickly with zip_bomb', async () => {
    const started = performance.now();
    const err = await errorOf(parseDocx(fixture('bomb.docx'), DEFAULT_LIMITS));
    expect(err.code).toBe('zip_bomb');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('says a DOCX that is not a zip is unsupported', async () => {
    const err = await errorOf(parseDocx(fixture('feed.rss'), DEFAULT_LIMITS));
    expect(err.code).toBe('unsupported_format');
  });
});

describe('parsePptx', () => {
  it('keeps presentation order (slide10 after slide2) with slide spans and core properties', async () => {
    const doc = await parsePptx(fixture('deck.pptx'), DEFAULT_LIMITS);
    expect(doc.parts?.map((p) => p.label)).toEqual(['slide 1', 'slide 2', 'slide 3']);
    const slides = (doc.parts ?? []).map((p) => doc.text.slice(p.start, p.end));
    expect(slides).toEqual([
      'Briefing: Northwind Lighting (fictional)\nPrepared for the board',
      'Claim: Northwind is on a sanctions list\nVerdict: false as of March 2024',
      'Next steps\nSend the correction letter & keep the evidence',
    ]);
    expect(doc.title).toBe('Board Briefing on Northwind');
    expect(doc.author).toBe('Policy Team');
    expect(doc.published).toBe('2024-03-10T08:00:00.000Z');
    expect(doc.links).toEqual(['https://lists.example.gov/consolidated']);
  });

  it('rejects a .pptx that is not a zip with unsupported_format', async () => {
    const err = await errorOf(parsePptx(fixture('not-a-zip.pptx'), DEFAULT_LIMITS));
    expect(err.code).toBe('unsupported_format');
    expect(err.message).toMatch(/not a zip/);
  });
});

describe('inspectZip', () => {
  it('counts real inflated bytes, not the sizes the zip declares', () => {
    // The bomb's central directory claims 4 KiB for a 60 MiB entry; with the ratio check off,
    // only the count of really inflated bytes can stop it.
    const err = (() => {
      try {
        inspectZip(fixture('bomb.docx'), { maxInflatedBytes: DEFAULT_LIMITS.maxInflatedBytes, maxRatio: Number.POSITIVE_INFINITY });
      } catch (e) {
        return e as AppError;
      }
      throw new Error('bomb accepted');
    })();
    expect(err.code).toBe('zip_bomb');
    expect(err.message).toMatch(/past the (per-entry )?cap/);
    expect(err.details?.['inflatedSoFar']).toBeGreaterThan(DEFAULT_LIMITS.maxInflatedBytes);
    expect(err.details?.['inflatedSoFar']).toBeLessThan(DEFAULT_LIMITS.maxInflatedBytes + 8 * 1024 * 1024);
  });

  it('passes a normal document and returns the parts asked for', () => {
    const zip = inspectZip(fixture('letter.docx'), { maxInflatedBytes: DEFAULT_LIMITS.maxInflatedBytes, keep: (n) => n.endsWith('.xml') });
    expect(zip.contents.has('word/document.xml')).toBe(true);
    expect(zip.totalInflated).toBeGreaterThan(fixture('letter.docx').length);
  });

  it('enforces the entry-count cap', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 50; i++) files[`f${i}.txt`] = strToU8('x');
    expect(() => inspectZip(zipSync(files), { maxInflatedBytes: 1e6, maxEntries: 10 })).toThrow(/50 entries, more than the cap of 10/);
  });
});

describe('parseFeed', () => {
  it('reads RSS 2.0 items with CDATA content, escaped HTML and RFC 822 dates', () => {
    const feed = parseFeed(fixture('feed.rss'));
    expect(feed.kind).toBe('rss');
    expect(feed.title).toBe('Harbour Gazette (fictional)');
    expect(feed.items).toHaveLength(2);
    const [first, second] = feed.items;
    expect(first).toEqual({
      id: 'gazette-1001',
      url: 'https://gazette.example.net/2024/03/northwind',
      title: 'Northwind & the sanctions list',
      published: '2024-03-03T13:20:00.000Z',
      author: 'Sam Okoro',
      summaryText: 'Northwind Lighting Ltd is on the list, sources say.',
      contentHtml: '<p>Northwind Lighting Ltd <b>is</b> on the list, sources say. <a href="/2024/02/background">Background</a></p>',
    });
    expect(second?.url).toBe('https://gazette.example.net/2024/03/second');
    expect(second?.author).toBe('News Desk');
    expect(second?.summaryText).toBe('Plain summary with é and — characters.');
  });

  it('reads Atom entries: alternate link, html and xhtml content, relative links against the fetch URL', () => {
    const feed = parseFeed(fixture('feed.atom'), 'https://watch.example.org/feeds/all.atom');
    expect(feed.kind).toBe('atom');
    const [first, second] = feed.items;
    expect(first?.url).toBe('https://watch.example.org/posts/42');
    expect(first?.author).toBe('Lee Marsh');
    expect(first?.published).toBe('2024-03-06T11:00:00.000Z');
    expect(first?.contentHtml).toBe('<p>Northwind asked for a <em>correction</em> of the claim.</p>');
    expect(first?.summaryText).toBe('Northwind asked for a correction.');
    expect(second?.title).toBe('Update & notes');
    expect(second?.url).toBe('https://watch.example.org/feeds/posts/43');
    expect(second?.published).toBe('2024-03-07T08:00:00.000Z');
    expect(second?.contentHtml).toContain('<strong>xhtml</strong>');
  });

  it('refuses a feed that declares entities', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>';
    const err = await errorOf(() => parseFeed(xml));
    expect(err.code).toBe('parse_failed');
    expect(err.message).toMatch(/DOCTYPE/);
  });

  it('says other XML is not a feed', async () => {
    const err = await errorOf(() => parseFeed('<note><to>x</to></note>'));
    expect(err.code).toBe('unsupported_format');
  });
});
