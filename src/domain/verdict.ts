export const VERDICT_LABELS = ['SUPPORTED', 'REFUTED', 'NOT_ENOUGH_INFO'] as const;
export type VerdictLabel = (typeof VERDICT_LABELS)[number];

/** Which date a claim was judged at, and why that one. */
export type AsOfBasis = 'event-date' | 'published' | 'captured';

export interface EvidenceRef {
  /** 'record' for a row of an official dataset, 'document' for a captured document, 'cve' for a vulnerability record. */
  type: 'record' | 'document' | 'cve';
  datasetId: string | null;
  datasetVersionId: string | null;
  recordId: string | null;
  documentId: string | null;
  sourceUrl: string | null;
  /** What this piece of evidence shows, in one line. */
  note: string;
}

export interface Verdict {
  label: VerdictLabel;
  asOf: string;
  asOfBasis: AsOfBasis;
  explanation: string;
  evidence: EvidenceRef[];
}
