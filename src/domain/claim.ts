export const PREDICATES = ['listed', 'banned', 'vulnerable', 'backdoor', 'data-access', 'state-control', 'other'] as const;
export type Predicate = (typeof PREDICATES)[number];

export const LIST_IDS = [
  'fcc-covered-list',
  'us-1260h',
  'us-entity-list',
  'ofac-sdn',
  'ofac-ns-cmic',
  'uflpa',
  'ndaa-889',
  'us-any',
] as const;
export type ListId = (typeof LIST_IDS)[number];

export type Polarity = 'affirmed' | 'denied';
export const MODALITIES = ['asserted', 'reported', 'demanded', 'hypothetical', 'questioned'] as const;
export type Modality = (typeof MODALITIES)[number];

/** Modalities that state a fact and so can be verified. */
export function isFactual(modality: Modality): boolean {
  return modality === 'asserted' || modality === 'reported';
}

/** A claim as the extractor finds it in one text, before it is stored. */
export interface ExtractedClaim {
  /** Registered name of the subject the claim is about. */
  subject: string;
  predicate: Predicate;
  /** List id, authority id, CVE id, or null. */
  object: string | null;
  polarity: Polarity;
  modality: Modality;
  /** Who makes the statement: the document's actor, or the quoted party for reported speech. */
  speaker: string | null;
  /** ISO date (day, month or year precision) the sentence gives to the fact, if any. */
  eventDate: string | null;
  quote: string;
  /** Character offsets into the stored text: text.slice(start, end) === quote. */
  start: number;
  end: number;
  /** The rule or feature that produced the claim, for an analyst. */
  why: string;
  /** Confidence for factual predicates; check-worthiness for `other`. 0..1. */
  score: number;
}
