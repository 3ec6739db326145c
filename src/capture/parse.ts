import type { Limits } from '../config.js';
import { parsePartialDate } from '../domain/dates.js';
import type { DocumentFormat } from '../domain/document.js';
import { AppError } from '../errors.js';
import { htmlToText, parseFeed, type ParsedFeed } from './formats/feed.js';
import { sniffFormat, type SniffedFormat } from './formats/sniff.js';
import type { DocumentPart, ParsedDocument } from './formats/types.js';
import { parseInWorker } from './sandbox/index.js';
import { normalizeText, parseHtml, parseMarkdown, parsePlainText, type ParsedText } from './text.js';

/** What parsing untrusted bytes gives: the stored format and text, and the feed when it was one. */
export interface ParsedBytes {
  format: DocumentFormat;
  /** Media type decided from the bytes, for the document row and the WARC record. */
  mediaType: string;
  parsed: ParsedText;
  /** Set when the bytes are an RSS or Atom feed: its items become documents of their own. */
  feed: ParsedFeed | null;
}

const MEDIA: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
  rss: 'application/rss+xml',
  rdf: 'application/rdf+xml',
  atom: 'application/atom+xml',
};

/** Extensions that promise a binary format; bytes of another kind under such a name are refused. */
const PROMISED: Record<string, SniffedFormat> = { pdf: 'pdf', docx: 'docx', pptx: 'pptx' };

function describeSniffed(f: SniffedFormat): string {
  switch (f) {
    case 'zip':
      return 'a zip archive that is neither a DOCX nor a PPTX';
    case 'unknown':
      return 'binary data of a format claimtrace does not read';
    case 'xml-feed':
      return 'an RSS or Atom feed';
    case 'json':
      return 'JSON text';
    case 'text':
      return 'plain text';
    case 'html':
      return 'an HTML page';
    default:
      return `${f.toUpperCase()} content`;
  }
}

/**
 * Normalises a binary parser's text page by page, so the part spans (pages, slides) still point
 * at the right offsets of the stored text.
 */
function normalizeParts(doc: ParsedDocument): { text: string; parts: DocumentPart[] } {
  if (!doc.parts || doc.parts.length === 0) return { text: normalizeText(doc.text), parts: [] };
  const pieces: string[] = [];
  const parts: DocumentPart[] = [];
  let offset = 0;
  for (const p of doc.parts) {
    const piece = normalizeText(doc.text.slice(p.start, p.end));
    if (piece === '') continue;
    if (pieces.length > 0) offset += 2;
    parts.push({ label: p.label, start: offset, end: offset + piece.length });
    pieces.push(piece);
    offset += piece.length;
  }
  const text = pieces.join('\n\n');
  // Pages that normalise to a different whole (text outside every part) fall back to the plain text.
  if (normalizeText(text) !== text || text.length === 0) return { text: normalizeText(doc.text), parts: [] };
  return { text, parts };
}

/** Maps a sandboxed parser's result into the shape every stored document has. */
export function fromParsedDocument(doc: ParsedDocument): ParsedText {
  const { text, parts } = normalizeParts(doc);
  const metadata: Record<string, string> = { ...doc.metadata };
  if (parts.length > 0) metadata['parts'] = JSON.stringify(parts);
  return {
    text,
    title: doc.title,
    author: doc.author,
    publisher: null,
    published: doc.published ? parsePartialDate(doc.published) : null,
    description: null,
    links: doc.links,
    metadata,
  };
}

/** The feed as a reader of it sees it: its title, then each item's title, date and summary. */
export function feedAsText(feed: ParsedFeed): ParsedText {
  const blocks: string[] = [];
  if (feed.title) blocks.push(feed.title);
  for (const item of feed.items) {
    const lines = [item.title, item.published ? item.published.slice(0, 10) : null, item.summaryText].filter((x): x is string => x !== null && x !== '');
    if (lines.length > 0) blocks.push(lines.join('\n'));
  }
  const links = feed.items.map((i) => i.url).filter((u): u is string => u !== null);
  const metadata: Record<string, string> = { 'feed:kind': feed.kind, 'feed:items': String(feed.items.length) };
  if (feed.url) metadata['feed:link'] = feed.url;
  return {
    text: normalizeText(blocks.join('\n\n')),
    title: feed.title,
    author: null,
    publisher: feed.title,
    published: null,
    description: null,
    links: [...new Set(links)],
    metadata,
  };
}

/** Text of one feed item: the full content when the feed carries it, else the summary. */
export function feedItemText(item: ParsedFeed['items'][number]): ParsedText {
  const body = item.contentHtml !== null ? htmlToText(item.contentHtml) : (item.summaryText ?? '');
  const text = normalizeText(body);
  const links = item.contentHtml !== null ? parseHtml(`<html><body>${item.contentHtml}</body></html>`, item.url).links : [];
  return {
    text,
    title: item.title,
    author: item.author,
    publisher: null,
    published: item.published ? parsePartialDate(item.published) : null,
    description: item.summaryText,
    links,
    metadata: item.id ? { 'feed:id': item.id } : {},
  };
}

/**
 * Parses untrusted bytes into the text we store and quote from. The bytes decide the format (the
 * name only separates Markdown from plain text, and a name promising PDF, DOCX or PPTX must be
 * kept by the bytes); PDF, DOCX and PPTX are parsed in a worker with memory and time limits.
 * Throws AppError `too_large`, `zip_bomb`, `unsupported_format`, `parse_failed` or `parse_timeout`.
 */
export async function parseDocumentBytes(bytes: Buffer, nameHint: string, baseUrl: string | null, limits: Limits): Promise<ParsedBytes> {
  if (bytes.byteLength > limits.maxFileBytes) throw new AppError('too_large', `${nameHint} is ${bytes.byteLength} bytes, over the ${limits.maxFileBytes}-byte limit per file`);
  const sniffed = sniffFormat(bytes, nameHint);
  const ext = /\.([a-z0-9]+)$/i.exec(nameHint)?.[1]?.toLowerCase() ?? '';
  const promised = PROMISED[ext];
  if (promised !== undefined && sniffed !== promised) {
    throw new AppError('unsupported_format', `${nameHint} is named as a ${promised.toUpperCase()} file but its bytes are ${describeSniffed(sniffed)}; it was not parsed`);
  }
  const text = (): string => bytes.toString('utf8');
  switch (sniffed) {
    case 'pdf':
    case 'docx':
    case 'pptx': {
      const doc = await parseInWorker(bytes, sniffed, {
        maxFileBytes: limits.maxFileBytes,
        maxInflatedBytes: limits.maxInflatedBytes,
        workerHeapMb: limits.workerHeapMb,
        workerTimeoutMs: limits.workerTimeoutMs,
      });
      return { format: sniffed, mediaType: MEDIA[sniffed]!, parsed: fromParsedDocument(doc), feed: null };
    }
    case 'html':
      return { format: 'html', mediaType: MEDIA['html']!, parsed: parseHtml(text(), baseUrl), feed: null };
    case 'xml-feed': {
      const feed = parseFeed(bytes, baseUrl ?? undefined);
      return { format: 'feed', mediaType: MEDIA[feed.kind]!, parsed: feedAsText(feed), feed };
    }
    case 'text':
    case 'json':
      if (/\.(md|markdown|mdown)$/i.test(nameHint)) return { format: 'markdown', mediaType: MEDIA['markdown']!, parsed: parseMarkdown(text()), feed: null };
      return { format: 'text', mediaType: MEDIA['text']!, parsed: parsePlainText(text()), feed: null };
    case 'zip':
    case 'unknown':
      throw new AppError('unsupported_format', `${nameHint} is ${describeSniffed(sniffed)}`);
  }
}
