import type { Limits } from '../config.js';
import { parsePartialDate } from '../domain/dates.js';
import { AppError } from '../errors.js';
import { sniffFormat, type SniffedFormat } from './formats/sniff.js';
import type { DocumentPart, ParsedDocument } from './formats/types.js';
import { feedAsText, feedItemText, type MarkupInput, type ParsedMarkup } from './parse-markup.js';
import { parseInWorker } from './sandbox/index.js';
import { sharedPool } from './sandbox/pool.js';
import { siblingModuleUrl } from './sandbox/worker.js';
import { normalizeText, type ParsedText } from './text.js';

export { feedAsText, feedItemText };

/** What parsing untrusted bytes gives: the stored format and text, and the feed when it was one. */
export type ParsedBytes = ParsedMarkup;

const MEDIA: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
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

const MARKUP_MODULE = siblingModuleUrl(import.meta.url, 'parse-markup');

/** Markup and text go to the long-lived sandbox workers: a fresh thread per page would cost more than the page. */
function parseMarkupInPool(input: MarkupInput, limits: Limits): Promise<ParsedMarkup> {
  // A private copy is moved to the worker, so the caller's buffer stays usable.
  const bytes = new Uint8Array(input.bytes);
  return sharedPool({ heapMb: limits.workerHeapMb }, [MARKUP_MODULE]).run<ParsedMarkup>(MARKUP_MODULE, 'parseMarkup', { ...input, bytes }, limits.workerTimeoutMs, [bytes.buffer as ArrayBuffer]);
}

/**
 * Parses untrusted bytes into the text we store and quote from. The bytes decide the format (the
 * name only separates Markdown from plain text, and a name promising PDF, DOCX or PPTX must be
 * kept by the bytes). Every format is parsed in a sandbox worker with memory and time limits:
 * PDF, DOCX and PPTX in a fresh worker each, HTML, feeds and text in long-lived pool workers.
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
      return { format: sniffed, mediaType: MEDIA[sniffed]!, parsed: fromParsedDocument(doc), feed: null, feedItems: null };
    }
    case 'html':
    case 'xml-feed':
    case 'text':
    case 'json':
      return parseMarkupInPool({ bytes, sniffed, nameHint, baseUrl }, limits);
    case 'zip':
    case 'unknown':
      throw new AppError('unsupported_format', `${nameHint} is ${describeSniffed(sniffed)}`);
  }
}
