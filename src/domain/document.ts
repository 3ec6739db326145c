import type { DatePrecision } from './dates.js';

export const DOCUMENT_KINDS = [
  'article',
  'press-release',
  'post',
  'report',
  'presentation',
  'letter',
  'filing',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_FORMATS = ['text', 'markdown', 'html', 'post', 'pdf', 'docx', 'pptx', 'feed', 'feed-item'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export type DocumentStatus = 'stored' | 'processed' | 'failed';

/** One captured item with its provenance. */
export interface DocumentInfo {
  id: string;
  /** Where it came from: a URL, or a file path relative to where it was ingested. */
  location: string;
  url: string | null;
  title: string | null;
  publisher: string | null;
  /** Name of the actor who speaks in it (author or publishing organisation). */
  actor: string | null;
  actorId: string | null;
  published: string | null;
  publishedPrecision: DatePrecision | null;
  kind: DocumentKind;
  format: DocumentFormat;
  capturedAt: string;
  sha256: string;
  size: number;
  status: DocumentStatus;
  error: string | null;
  /** Links found in the document (href targets), kept for co-link analysis. */
  links: string[];
  parentId: string | null;
}
