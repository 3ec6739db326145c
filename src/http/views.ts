import type { StoredClaim } from '../store/claims-repo.js';

/** The verdict a reader should see: the analyst's when there is one, marked human, else the automatic one. */
export interface EffectiveVerdict {
  label: string;
  human: boolean;
  by: string | null;
}

export function effectiveVerdict(c: StoredClaim): EffectiveVerdict | null {
  if (c.review) return { label: c.review.label, human: true, by: c.review.user };
  if (c.verdict) return { label: c.verdict.label, human: false, by: null };
  return null;
}

/** A claim as the API returns it: everything stored, plus the verdict to display. */
export function claimView(c: StoredClaim): StoredClaim & { effectiveVerdict: EffectiveVerdict | null } {
  return { ...c, effectiveVerdict: effectiveVerdict(c) };
}
