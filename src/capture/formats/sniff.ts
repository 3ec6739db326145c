import { looksLikeZip, zipEntryNames } from './zip-guard.js';

export type SniffedFormat = 'pdf' | 'docx' | 'pptx' | 'zip' | 'html' | 'xml-feed' | 'text' | 'json' | 'unknown';

const HEAD = 4096;

function startsWith(bytes: Uint8Array, at: number, ascii: string): boolean {
  for (let i = 0; i < ascii.length; i++) if (bytes[at + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

function indexOfAscii(bytes: Uint8Array, ascii: string, limit: number): number {
  const end = Math.min(bytes.length, limit) - ascii.length;
  for (let i = 0; i <= end; i++) if (startsWith(bytes, i, ascii)) return i;
  return -1;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Text a person wrote: valid UTF-8 (or UTF-16 with a BOM) without binary control bytes. */
function asText(bytes: Uint8Array): string | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
  }
  // A multi-byte character may be cut at the sample edge, so allow a short invalid tail.
  const sample = bytes.subarray(0, 64 * 1024);
  let text = decodeUtf8(sample);
  for (let cut = 1; text === null && cut < 4 && sample.length === 64 * 1024; cut++) {
    text = decodeUtf8(sample.subarray(0, sample.length - cut));
  }
  if (text === null) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/.test(text)) return null;
  return text.replace(/^\uFEFF/, '');
}

function ooxmlKind(bytes: Uint8Array): 'docx' | 'pptx' | 'zip' {
  const names = zipEntryNames(bytes);
  if (names === null) return 'zip';
  if (names.includes('word/document.xml')) return 'docx';
  if (names.includes('ppt/presentation.xml')) return 'pptx';
  return 'zip';
}

function markupKind(text: string, nameHint: string | undefined): 'html' | 'xml-feed' | null {
  // Skip the XML declaration, comments and a doctype to find the root element.
  const body = text
    .slice(0, HEAD)
    .replace(/^\s*(<\?xml[^>]*\?>\s*)?/i, '')
    .replace(/^(\s*<!--[\s\S]*?-->)*\s*/, '');
  if (/^<!doctype\s+html/i.test(body) || /^<(html|head|body)[\s>]/i.test(body)) return 'html';
  const root = /^<(?:!doctype\s+[^>]*>\s*<)?([A-Za-z_][\w.:-]*)/i.exec(body)?.[1]?.toLowerCase();
  if (root === 'rss' || root === 'feed' || root === 'rdf:rdf') return 'xml-feed';
  if (/\.(html?|xhtml)$/i.test(nameHint ?? '') && body.startsWith('<')) return 'html';
  // A fragment without <html>: recognised by common block-level tags near the top.
  if (root !== undefined && /^(div|p|article|section|main|h[1-6]|table|ul|ol|span|a|meta|title|script|style|link)$/.test(root)) {
    return 'html';
  }
  return null;
}

/**
 * Decides a format from the bytes alone. The name hint never overrides the bytes: a `.pdf` that is
 * a zip is a zip. It only helps classify HTML fragments that carry no `<html>` tag.
 * OOXML is told apart by the parts listed in the zip central directory.
 */
export function sniffFormat(bytes: Uint8Array, nameHint?: string): SniffedFormat {
  if (bytes.length === 0) return 'unknown';
  if (looksLikeZip(bytes)) return ooxmlKind(bytes);
  // PDF readers accept the header anywhere in the first KiB, so hostile files put junk before it.
  if (indexOfAscii(bytes, '%PDF-', 1024) >= 0) return 'pdf';
  const text = asText(bytes);
  if (text === null) return 'unknown';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    const kind = markupKind(trimmed, nameHint);
    if (kind !== null) return kind;
    return 'text';
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      JSON.parse(bytes.length <= 64 * 1024 ? text : new TextDecoder().decode(bytes));
      return 'json';
    } catch {
      return 'text';
    }
  }
  return 'text';
}
