import type { Limits } from '../config.js';
import type { DocumentFormat } from '../domain/document.js';
import { AppError } from '../errors.js';
import { parseHtml, parseMarkdown, parsePlainText, type ParsedText } from './text.js';

/** Decides the parser from the bytes; the extension only separates Markdown from plain text. */
function detectFormat(bytes: Buffer, name: string): DocumentFormat {
  const head = bytes.subarray(0, 8);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'docx';
  if (bytes.includes(0)) throw new AppError('unsupported_format', `${name} is binary data of a format claimtrace does not read`);
  const start = bytes.subarray(0, 2048).toString('utf8').trimStart().toLowerCase();
  if (/^(<!doctype html|<html|<head|<body)|<(p|div|article)[\s>]/.test(start)) return 'html';
  if (/\.(md|markdown|mdown)$/i.test(name)) return 'markdown';
  return 'text';
}

/**
 * Parses untrusted bytes into the text we store and quote from. The bytes decide the format;
 * binary formats are parsed in a worker with memory and time limits.
 */
export async function parseDocumentBytes(bytes: Buffer, nameHint: string, baseUrl: string | null, limits: Limits): Promise<{ format: DocumentFormat; parsed: ParsedText }> {
  if (bytes.byteLength > limits.maxFileBytes) throw new AppError('too_large', `${nameHint} is ${bytes.byteLength} bytes, over the ${limits.maxFileBytes}-byte limit`);
  const format = detectFormat(bytes, nameHint);
  const text = (): string => bytes.toString('utf8');
  switch (format) {
    case 'html':
      return { format, parsed: parseHtml(text(), baseUrl) };
    case 'markdown':
      return { format, parsed: parseMarkdown(text()) };
    case 'text':
      return { format, parsed: parsePlainText(text()) };
    default:
      throw new AppError('unsupported_format', `${nameHint}: documents in ${format} format are not supported yet`);
  }
}
