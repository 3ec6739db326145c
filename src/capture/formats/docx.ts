import mammoth from 'mammoth';
import { AppError } from '../../errors.js';
import { externalLinks, openOoxml, readCoreProperties } from './ooxml.js';
import type { ParsedDocument, ParseLimits } from './types.js';
import { DEFAULT_LIMITS } from './types.js';

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"')\]]+/g;

/**
 * Extracts raw text (mammoth), external hyperlinks and core properties from a DOCX.
 * The zip guard and the DOCTYPE/ENTITY refusal run before mammoth sees the bytes.
 * Throws AppError `too_large`, `zip_bomb`, `unsupported_format` (not a zip) or `parse_failed`.
 */
export async function parseDocx(bytes: Uint8Array, limits: ParseLimits = DEFAULT_LIMITS): Promise<ParsedDocument> {
  const pkg = openOoxml(bytes, limits, 'docx');
  if (!pkg.parts.has('word/document.xml')) {
    throw new AppError('parse_failed', 'DOCX has no word/document.xml part');
  }
  const core = readCoreProperties(pkg);
  let raw: string;
  try {
    raw = (await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
  } catch (err) {
    throw new AppError('parse_failed', `DOCX could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  // mammoth ends every paragraph with a blank line; collapse runs of them and trailing spaces.
  const text = raw.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  const links = new Set(externalLinks(pkg, 'word/document.xml'));
  for (const m of text.matchAll(URL_IN_TEXT)) links.add(m[0].replace(/[.,;:]+$/, ''));
  return {
    text,
    title: core.title,
    author: core.author,
    published: core.published,
    metadata: core.metadata,
    links: [...links],
  };
}
