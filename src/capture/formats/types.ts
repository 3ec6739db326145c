/** A page or slide of a parsed document, as a span of offsets into `ParsedDocument.text`. */
export interface DocumentPart {
  label: string;
  start: number;
  end: number;
}

/** What every binary-format parser returns: plain text plus the metadata that matters in court. */
export interface ParsedDocument {
  text: string;
  title: string | null;
  author: string | null;
  /** ISO 8601 date-time (or date) the document says it was created, when it says so. */
  published: string | null;
  metadata: Record<string, string>;
  links: string[];
  parts?: DocumentPart[];
}

/** Caps applied to every untrusted file (domain.md section 11). */
export interface ParseLimits {
  /** Largest input file accepted, in bytes. */
  maxFileBytes: number;
  /** Largest total inflated size of a zip container, in bytes, counted while really inflating. */
  maxInflatedBytes: number;
  /** Old-generation heap of a parse worker, in MB. */
  workerHeapMb: number;
  /** Wall-clock time a parse worker may run before it is terminated, in ms. */
  workerTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxFileBytes: 50_000_000,
  maxInflatedBytes: 50 * 1024 * 1024,
  workerHeapMb: 512,
  workerTimeoutMs: 30_000,
});

/** Formats the sandboxed parsers handle. */
export type BinaryFormat = 'pdf' | 'docx' | 'pptx';
