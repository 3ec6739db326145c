import { AppError } from '../../errors.js';
import { parseDocx } from '../formats/docx.js';
import { parsePdf } from '../formats/pdf.js';
import { parsePptx } from '../formats/pptx.js';
import type { BinaryFormat, ParsedDocument, ParseLimits } from '../formats/types.js';

export interface ParseTaskInput {
  bytes: Uint8Array;
  format: string;
  limits: ParseLimits;
}

/** Runs the parser for one format in the current thread; the worker calls this. */
export async function parseTask(input: ParseTaskInput): Promise<ParsedDocument> {
  const format = input.format as BinaryFormat;
  switch (format) {
    case 'pdf':
      return parsePdf(input.bytes, input.limits);
    case 'docx':
      return parseDocx(input.bytes, input.limits);
    case 'pptx':
      return parsePptx(input.bytes, input.limits);
    default:
      throw new AppError('unsupported_format', `No sandboxed parser for format ${JSON.stringify(input.format)}`);
  }
}
