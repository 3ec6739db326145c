import { buildSimilarIndex, searchSimilar, type SimilarIndex } from './similar.js';

/** What a claim says, reduced to the parts that make two claims "the same thing". */
export interface Frame {
  subjectId: string | null;
  predicate: string;
  object: string | null;
  polarity: string;
}

export interface NarrativeCandidate extends Frame {
  id: string;
  representative: string;
  lastSeen: string | null;
}

export interface MatchOptions {
  /** Text similarity (0..1) at or above which a claim joins a narrative without an analyst. */
  autoMatch: number;
  /** Text similarity at or above which the match is proposed to an analyst. */
  suggest: number;
  /** Shorter quotes never join by wording alone: too little text to tell. */
  minWords: number;
  /** A narrative last seen longer ago than this is only suggested, never joined automatically. */
  maxAgeDays: number;
}

export type MatchDecision =
  | { kind: 'join'; narrativeId: string; score: number; why: string }
  | { kind: 'new'; suggest: { narrativeId: string; score: number; why: string } | null };

export function frameKey(f: Frame): string {
  return [f.subjectId ?? '', f.predicate, f.object ?? '', f.polarity].join('\u0000');
}

function daysBetween(a: string, b: string): number {
  return Math.abs(Date.parse(a.slice(0, 10)) - Date.parse(b.slice(0, 10))) / 86_400_000;
}

/** Builds the wording index over open narratives (no frame weight: frames are matched exactly first). */
export function narrativeIndex(narratives: readonly NarrativeCandidate[]): SimilarIndex {
  return buildSimilarIndex(narratives.map((n) => ({ id: n.id, text: n.representative })));
}

const WEIGHTS = { bm25: 0.5, chars: 0.35, entities: 0.15, frame: 0 };

/**
 * Places one claim: the narrative with the same frame when there is one; otherwise a narrative
 * of the same subject and polarity whose wording is close enough, unless the claim is too short
 * or the narrative too old (then it is only suggested); otherwise a new narrative.
 */
export function decideNarrative(
  claim: Frame & { quote: string; date: string | null },
  byFrame: ReadonlyMap<string, NarrativeCandidate>,
  index: SimilarIndex | null,
  byId: ReadonlyMap<string, NarrativeCandidate>,
  opts: MatchOptions,
): MatchDecision {
  const same = byFrame.get(frameKey(claim));
  if (same) return { kind: 'join', narrativeId: same.id, score: 1, why: 'same subject, predicate, object and polarity' };
  if (!index || index.candidates.length === 0) return { kind: 'new', suggest: null };
  const hits = searchSimilar(index, claim.quote, 5, WEIGHTS);
  for (const hit of hits) {
    const n = byId.get(hit.id);
    // Wording never joins claims about different subjects or of opposite polarity: "is" and "is not" read alike.
    if (!n || n.subjectId !== claim.subjectId || n.polarity !== claim.polarity) continue;
    const score = Math.min(1, hit.score);
    if (score < opts.suggest) break;
    const words = claim.quote.split(/\s+/).filter(Boolean).length;
    const tooShort = words < opts.minWords;
    const tooOld = n.lastSeen !== null && claim.date !== null && daysBetween(n.lastSeen, claim.date) > opts.maxAgeDays;
    const why = `similar wording (${score.toFixed(2)}) to "${n.representative.slice(0, 80)}"`;
    if (score >= opts.autoMatch && !tooShort && !tooOld) return { kind: 'join', narrativeId: n.id, score, why };
    const guard = tooShort ? `; only ${words} words` : tooOld ? `; narrative last seen ${n.lastSeen}` : '';
    return { kind: 'new', suggest: { narrativeId: n.id, score, why: why + guard } };
  }
  return { kind: 'new', suggest: null };
}
