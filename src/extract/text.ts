/** A span of the document text; `text` is always `source.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
  text: string;
}

/** One sentence, with the paragraph (non-empty line block) it belongs to. */
export interface Sentence extends Span {
  index: number;
  paragraph: number;
}

/** A quotation in the text and, when the text says so, who it is attributed to. */
export interface Quotation extends Span {
  /** Offsets of the quoted words, without the quote marks. */
  innerStart: number;
  innerEnd: number;
  speaker: string | null;
  /** The attribution cue that named the speaker ("said", "according to", ...), if any. */
  cue: string | null;
}

// Words that end with a period without ending a sentence. Legal forms (Inc., Ltd.) are left out on
// purpose: in news text they end sentences more often than not.
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'st', 'sen', 'rep', 'gov', 'gen', 'col', 'lt', 'sgt', 'jr', 'sr', 'prof', 'hon',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'no', 'nos', 'vs', 'etc', 'approx', 'dept', 'fig', 'para', 'art', 'sec', 'ch', 'vol', 'pp', 'cf', 'ca',
]);

const OPENERS = '“"‘\'([«';
const CLOSERS = '”"’\')]»';

function isUpperStart(ch: string): boolean {
  return /[\p{Lu}\p{N}]/u.test(ch) || OPENERS.includes(ch) || ch === '•' || ch === '-' || ch === '–';
}

/** True when the period at `dot` closes an abbreviation or an initial rather than a sentence. */
function isAbbreviation(line: string, dot: number): boolean {
  let i = dot - 1;
  while (i >= 0 && /[\p{L}.]/u.test(line[i]!)) i--;
  const word = line.slice(i + 1, dot);
  if (word.length === 0) return false;
  // Initials and dotted acronyms: "U.S.", "J.", "e.g."
  if (/^(?:\p{L}\.)*\p{L}$/u.test(word) && (word.length === 1 || word.includes('.'))) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Trims whitespace and list bullets from both ends of [start, end) and returns the span. */
function trimSpan(text: string, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  while (s < e && /[\s•·▪*]/u.test(text[s]!)) s++;
  // A leading "- " bullet, but not a negative number or a dash inside words.
  if (s + 1 < e && (text[s] === '-' || text[s] === '–') && /\s/.test(text[s + 1]!)) {
    s++;
    while (s < e && /\s/.test(text[s]!)) s++;
  }
  while (e > s && /\s/u.test(text[e - 1]!)) e--;
  if (e <= s) return null;
  return { start: s, end: e, text: text.slice(s, e) };
}

/**
 * Splits text into sentences with exact offsets. Every non-empty line is a paragraph (headlines,
 * bullets and datelines stand alone), and within a line sentences end at . ! ? or an ellipsis
 * followed by a capital, a digit or an opening quote, except after abbreviations and initials.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let paragraph = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (line.trim().length > 0) {
      paragraph++;
      let segStart = 0;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i]!;
        if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') continue;
        let j = i;
        while (j + 1 < line.length && /[.!?…]/.test(line[j + 1]!)) j++;
        let k = j + 1;
        while (k < line.length && CLOSERS.includes(line[k]!)) k++;
        if (k >= line.length || !/\s/.test(line[k]!)) {
          i = j;
          continue;
        }
        let n = k;
        while (n < line.length && /\s/.test(line[n]!)) n++;
        if (n >= line.length) break;
        const single = j === i && ch === '.';
        if (!isUpperStart(line[n]!) || (single && isAbbreviation(line, i))) {
          i = j;
          continue;
        }
        const span = trimSpan(text, lineStart + segStart, lineStart + k);
        if (span) out.push({ ...span, index: out.length, paragraph });
        segStart = k;
        i = k - 1;
      }
      const span = trimSpan(text, lineStart + segStart, lineStart + line.length);
      if (span) out.push({ ...span, index: out.length, paragraph });
    }
    lineStart = lineEnd + 1;
  }
  return out;
}

/** A word of the text with its offsets. */
export interface Token extends Span {
  lower: string;
}

/** Word tokens (letters and digits, keeping inner apostrophes, dots and hyphens) with offsets. */
export function tokenize(text: string, base = 0): Token[] {
  const out: Token[] = [];
  const re = /[\p{L}\p{N}]+(?:[.'’\-/][\p{L}\p{N}]+)*\.?/gu;
  for (const m of text.matchAll(re)) {
    let w = m[0];
    // Keep the final dot only for dotted acronyms ("U.S."), not for a sentence end.
    if (w.endsWith('.') && !/^(?:\p{L}\.)+$/u.test(w)) w = w.slice(0, -1);
    const start = base + m.index;
    out.push({ start, end: start + w.length, text: w, lower: w.toLowerCase() });
  }
  return out;
}

/** Number of word tokens in text between two offsets (order-independent). */
export function wordsBetween(text: string, a: number, b: number): number {
  const [s, e] = a <= b ? [a, b] : [b, a];
  return tokenize(text.slice(s, e)).length;
}
