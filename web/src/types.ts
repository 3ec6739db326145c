/** Shapes of the API responses the dashboard reads (see /api/v1/openapi.json). */

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface EvidenceRef {
  type: 'record' | 'document' | 'cve';
  datasetId: string | null;
  recordId: string | null;
  documentId: string | null;
  sourceUrl: string | null;
  note: string;
}

export interface Verdict {
  id: string;
  label: string;
  asOf: string;
  asOfBasis: string;
  explanation: string;
  evidence: EvidenceRef[];
  createdAt: string;
  current?: boolean;
}

export interface Review {
  id: string;
  action: 'confirm' | 'override';
  label: string;
  reason: string;
  user: string;
  evidenceDocumentId: string | null;
  createdAt: string;
  current?: boolean;
  human: true;
}

export interface Claim {
  id: string;
  documentId: string;
  url: string | null;
  location: string;
  published: string | null;
  capturedAt: string;
  actor: string | null;
  subject: string;
  predicate: string;
  object: string | null;
  polarity: string;
  modality: string;
  speaker: string | null;
  eventDate: string | null;
  quote: string;
  start: number;
  end: number;
  why: string;
  score: number;
  verdict: Verdict | null;
  review: Review | null;
  narrativeId: string | null;
  effectiveVerdict: { label: string; human: boolean; by: string | null } | null;
}

export interface ClaimDetail extends Claim {
  verdicts: Verdict[];
  reviews: Review[];
}

export interface Capture {
  id: string;
  capturedAt: string;
  sha256: string;
  warcFile: string;
  recordId: string;
  blockDigest: string;
  payloadDigest: string | null;
  textSha256: string | null;
  leafIndex: number | null;
}

export interface DocumentInfo {
  id: string;
  location: string;
  url: string | null;
  title: string | null;
  publisher: string | null;
  actor: string | null;
  published: string | null;
  kind: string;
  format: string;
  capturedAt: string;
  sha256: string;
  size: number;
  status: string;
  error: string | null;
}

export interface DocumentDetail extends DocumentInfo {
  text: string | null;
  captures: Capture[];
  stages: { stage: string; status: string; version: string | null; error: string | null }[];
  claims: { id: string; start: number; end: number; predicate: string; quote: string }[];
}

export interface Narrative {
  id: string;
  predicate: string;
  object: string | null;
  polarity: string;
  representative: string;
  firstSeen: string | null;
  lastSeen: string | null;
  status: string;
  claims: number;
  documents: number;
}

export interface Campaign {
  id: string;
  label: string;
  explanation: string;
  scores: Record<string, unknown>;
  createdAt: string;
  members: { actorId: string; name: string; kind: string; role: string | null }[];
  data?: Record<string, unknown>;
}

export interface CaseRecord {
  id: string;
  respondentName: string;
  status: string;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface CaseStatement {
  claimId: string;
  documentId: string;
  quote: string;
  url: string;
  published: string | null;
  author: string | null;
  speaker: string | null;
  predicate: string;
  object: string | null;
  meaning: string;
  verdict: { label: string; asOf: string | null; explanation: string; human: boolean; reviewer: string | null; reviewReason: string | null; automaticLabel: string | null };
  kind: 'own' | 'reported';
}

/** GET /cases/:id: the case file as the respond stage assembles it. */
export interface CaseFile {
  id: string;
  status: string;
  respondent: { id: string; name: string; kind: string | null };
  subject: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
  statements: CaseStatement[];
  reported: CaseStatement[];
  narratives: { id: string; representative: string }[];
  campaigns: { campaignId: string; label: string; role: string | null; explanation: string }[];
  affiliations: { description: string; competitor: string; path: { from: string; to: string; type: string; role: string | null }[] }[];
  missingClaimIds: string[];
  history: { at: string; user: string; action: string; from: string | null; to: string | null; note: string | null }[];
}

export interface Overview {
  counts: { documents: number; claims: number; narratives: number; campaigns: number; openCases: number; humanReviewed: number };
  byVerdict: Record<string, number>;
  claimsOverTime: { month: string; counts: Record<string, number> }[];
  topNarratives: Narrative[];
  campaigns: { id: string; label: string; members: number; createdAt: string }[];
}

export interface Me {
  token: { id: string; name: string; role: 'viewer' | 'analyst' | 'counsel' | 'admin' };
  workspace: { id: string; name: string };
}
