import { AppError } from '../../errors.js';
import type { BinaryFormat, ParsedDocument, ParseLimits } from '../formats/types.js';
import { DEFAULT_LIMITS } from '../formats/types.js';
import type { ParseTaskInput } from './parse-task.js';
import { runInWorker, siblingModuleUrl } from './worker.js';

export { DEFAULT_LIMITS } from '../formats/types.js';
export type { ParseLimits, ParsedDocument, BinaryFormat, DocumentPart } from '../formats/types.js';
export { runInWorker } from './worker.js';
export type { WorkerLimits } from './worker.js';

const FORMATS: readonly string[] = ['pdf', 'docx', 'pptx'] satisfies BinaryFormat[];

/**
 * Parses a PDF, DOCX or PPTX in a worker thread with a heap cap and a wall-clock timeout, so a
 * hostile file can never take the calling process down. `limits` fields default to DEFAULT_LIMITS.
 * Throws AppError `too_large` (file over maxFileBytes, or heap exhausted), `zip_bomb`,
 * `unsupported_format`, `parse_timeout` or `parse_failed`.
 */
export async function parseInWorker(
  bytes: Uint8Array,
  format: BinaryFormat | string,
  limits: Partial<ParseLimits> = {},
): Promise<ParsedDocument> {
  const effective: ParseLimits = { ...DEFAULT_LIMITS, ...limits };
  if (!FORMATS.includes(format)) {
    throw new AppError('unsupported_format', `No sandboxed parser for format ${JSON.stringify(format)}`);
  }
  if (bytes.length > effective.maxFileBytes) {
    throw new AppError('too_large', `File is ${bytes.length} bytes, over the ${effective.maxFileBytes}-byte cap`, {
      size: bytes.length,
      maxFileBytes: effective.maxFileBytes,
    });
  }
  // A private copy is moved to the worker, so the caller's buffer stays usable.
  const copy = new Uint8Array(bytes);
  const input: ParseTaskInput = { bytes: copy, format, limits: effective };
  return runInWorker<ParsedDocument>(
    siblingModuleUrl(import.meta.url, 'parse-task'),
    'parseTask',
    input,
    { heapMb: effective.workerHeapMb, timeoutMs: effective.workerTimeoutMs },
    [copy.buffer as ArrayBuffer],
  );
}
