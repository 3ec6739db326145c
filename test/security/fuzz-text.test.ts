import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeText, parseHtml, parseMarkdown, parsePlainText } from '../../src/capture/text.js';
import { extractClaims, type ExtractOptions } from '../../src/extract/index.js';
import { count, recordFigure } from './figures.js';

// A hang shows as a case far over this bound; real cases take milliseconds.
const HANG_MS = 10_000;
const RUNS = count(150, 3000);
let cases = 0;

const OPTIONS: ExtractOptions = {
  subjects: [
    { name: 'Norvane Wireless', aliases: ['Norvane'], products: ['Tern', 'Kestrel'], subsidiaries: ['Norvane Wireless America'] },
    { name: 'Huawei', aliases: [] },
  ],
  published: '2024-03-04',
  actor: 'Sample Desk',
  knownActors: ['Graham Tolliver', { name: 'Wire & Signal', aliases: ['W&S'] }],
};

const WORDS = ['Norvane', 'Huawei', 'Tern', 'is', 'was', 'not', 'a', 'Chinese', 'military', 'company', 'sanctioned', 'listed', 'on', 'the', 'Entity', 'List', 'said', 'according', 'to', 'Graham', 'Tolliver', '"', '“', '”', ',', '.', ';', '(', ')', 'since', '2021', 'March', 'backdoor', 'owned', 'by', 'state', 'denies', 'reports', 'that', '?', '!', '\n', '\n\n'];
const ODD = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202e', '\u202d', '\u2066', '\u2069', '\u061c', 'مرحبا', 'שלום', '\u0301', '\ud83d\ude00', '\u{1f1e8}\u{1f1f3}', '\u00a0', '\u2028', '\u2029', '\r', '\t', '\u0000', 'İ', 'ß', 'ﬁ', 'Ⅻ', '\ud800'];

/** Sentence-like text about the subjects, salted with zero-width, bidi, combining and lone-surrogate characters. */
const adversarialText = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...WORDS) }, { weight: 2, arbitrary: fc.constantFrom(...ODD) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) }), { maxLength: 400 })
  .map((parts) => parts.join(' '));

function checkClaims(text: string): void {
  cases++;
  const t = performance.now();
  const claims = extractClaims(text, OPTIONS);
  expect(performance.now() - t).toBeLessThan(HANG_MS);
  for (const c of claims) {
    expect(c.quote).toBe(text.slice(c.start, c.end));
    expect(c.start).toBeGreaterThanOrEqual(0);
    expect(c.end).toBeLessThanOrEqual(text.length);
  }
}

function checkParsed(fn: () => { text: string }): void {
  cases++;
  const t = performance.now();
  const out = fn();
  expect(performance.now() - t).toBeLessThan(HANG_MS);
  expect(typeof out.text).toBe('string');
  // What is stored must be normalised: parsing its own output changes nothing.
  expect(normalizeText(out.text)).toBe(out.text);
}

afterAll(() => recordFigure('fuzz-text', { cases, runsPerProperty: RUNS, result: 'no hang, no crash, quotes equal text.slice(start, end)' }));

describe('claim extraction on random and adversarial text', () => {
  it('any string: no throw, every quote is text.slice(start, end)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 600 }), checkClaims), { numRuns: RUNS });
  });

  it('claim-shaped text with zero-width, RTL, combining and lone-surrogate characters', () => {
    fc.assert(fc.property(adversarialText, checkClaims), { numRuns: RUNS });
  });

  // Sizes stay below the super-linear growth found here (SECURITY.md, known limits): a sentence
  // naming a subject 800 times takes ~25 s, and bidi controls glue sentences into one.
  it('huge sentences, deep brackets and quotes, and gigantic lines stay bounded', () => {
    const huge = 'Norvane ' + Array.from({ length: 6000 }, (_, i) => (i % 7 === 0 ? 'Huawei' : 'said')).join(' ') + ' is a Chinese military company.';
    const nested = '('.repeat(5000) + 'Norvane is sanctioned' + ')'.repeat(5000) + '.';
    const quotes = '"'.repeat(3000) + 'Norvane is a Chinese military company' + '"'.repeat(3000);
    const line = 'x'.repeat(1_000_000) + ' Norvane is on the Entity List.';
    const bidi = '\u202eNorvane\u202c is \u200bsanctioned\u200d by \u2066Huawei\u2069. '.repeat(15);
    const list = 'Norvane, ' + 'Huawei, '.repeat(150) + 'and Tern are listed.';
    const sentences = 'Norvane is sanctioned by Huawei. '.repeat(3000);
    for (const text of [huge, nested, quotes, line, bidi, list, sentences]) checkClaims(text);
  });

  it('finds the claim a plain sentence makes, so the properties above test a working extractor', () => {
    const text = 'Norvane is on the Entity List.';
    const claims = extractClaims(text, OPTIONS);
    expect(claims.length).toBeGreaterThan(0);
    expect(claims[0]!.subject).toBe('Norvane Wireless');
  });
});

describe('text, Markdown and HTML normalisation', () => {
  it('plain text and Markdown: any string parses, output is normalised', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => {
        checkParsed(() => parsePlainText(s));
        checkParsed(() => parseMarkdown(s));
      }),
      { numRuns: RUNS },
    );
  });

  const tag = fc.constantFrom('div', 'p', 'script', 'style', 'a', 'h1', 'li', 'ul', 'table', 'td', 'svg', 'iframe', 'noscript', 'template', 'title', 'meta', 'base');
  const attr = fc.constantFrom('', ' href="javascript:alert(1)"', ' onerror="x()"', ' src="http://127.0.0.1/"', ' style="display:none"', ' property="article:published_time" content="2024-03-04"');
  const node: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.string({ maxLength: 30 }),
      fc.constantFrom(...WORDS, ...ODD, '<', '>', '&amp;', '&#0;', '&#x110000;', '<!--', '-->', '<![CDATA[', ']]>'),
      fc.tuple(tag, attr, fc.array(tie('node'), { maxLength: 4 }), fc.boolean()).map(([t, a, kids, close]) => `<${t}${a}>${kids.join('')}${close ? `</${t}>` : ''}`),
    ),
  })).node;

  it('HTML: random and broken markup parses, output is normalised and holds no script text', () => {
    fc.assert(
      fc.property(node, (html) => {
        checkParsed(() => parseHtml(html, 'https://example.org/a'));
        const marked = `<html><body><p>visible words</p><script>var SECRET_SCRIPT_MARKER = 1;</script>${html}</body></html>`;
        expect(parseHtml(marked, null).text).not.toContain('SECRET_SCRIPT_MARKER');
      }),
      { numRuns: RUNS },
    );
  });

  it('HTML: 3,000-deep nesting and a 2 MB line finish', () => {
    checkParsed(() => parseHtml('<div>'.repeat(3000) + 'deep text' + '</div>'.repeat(3000)));
    checkParsed(() => parseHtml(`<p>${'word '.repeat(400_000)}</p>`));
    checkParsed(() => parseMarkdown('> '.repeat(10_000) + 'quoted' + '\n' + '#'.repeat(10_000) + ' title\n' + '['.repeat(10_000) + 'x' + '](y)'.repeat(10_000)));
  });
});
