import { AppError } from '../../errors.js';
import type { BinaryFormat, ParsedDocument, ParseLimits } from '../formats/types.js';

export interface ParseTaskInput {
  bytes: Uint8Array;
  format: string;
  limits: ParseLimits;
}

/**
 * Runs the parser for one format in the current thread; the worker calls this.
 * Parsers load lazily so a worker only pays for the library its format needs.
 */
export async function parseTask(input: ParseTaskInput): Promise<ParsedDocument> {
  const format = input.format as BinaryFormat;
  switch (format) {
    case 'pdf':
      return (await import('../formats/pdf.js')).parsePdf(input.bytes, input.limits);
    case 'docx':
      return (await import('../formats/docx.js')).parseDocx(input.bytes, input.limits);
    case 'pptx':
      return (await import('../formats/pptx.js')).parsePptx(input.bytes, input.limits);
    default:
      throw new AppError('unsupported_format', `No sandboxed parser for format ${JSON.stringify(input.format)}`);
  }
}
