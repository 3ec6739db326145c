import { VERDICT_LABELS } from '../domain/verdict.js';
import type { VerdictLabel } from '../domain/verdict.js';

/** A gold claim as the labelled data gives it. */
export interface GoldClaim {
  quote: string;
  subject: string;
  predicate: string;
  object: string | null;
  polarity: string;
  modality: string;
  attributedTo?: string | null;
  eventDate?: string | null;
  /** A label as of the document's effective date; null for non-factual claims; SKIP when not scored. */
  verdict?: VerdictLabel | 'SKIP' | null;
}

/** A sentence that looks like a claim but is not one (or is not a statement of fact). */
export interface GoldTrap {
  quote: string;
  /** Why it is a trap; "unsure" traps are borderline and not scored. */
  why: string;
}

/** One labelled excerpt. */
export interface GoldDocument {
  file: string;
  text: string;
  actor: string | null;
  published: string | null;
  effectivePublished: string | null;
  claims: GoldClaim[];
  traps: GoldTrap[];
  url?: string | null;
  title?: string | null;
  publisher?: string | null;
}

/** A predicted claim: the extractor's output, optionally with a verdict (a label or `{label, ...}`). */
export interface PredictedClaim {
  subject: string;
  predicate: string;
  object: string | null;
  polarity: string;
  modality: string;
  quote: string;
  speaker?: string | null;
  eventDate?: string | null;
  verdict?: VerdictLabel | { label: VerdictLabel } | null;
}

export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface TrapHit {
  file: string;
  trap: string;
  why: string;
  prediction: PredictedClaim;
}

export interface FileScore extends Prf {
  file: string;
  trapHits: number;
  scorableTraps: number;
  /** Counted predictions that matched no gold claim. */
  unmatched: PredictedClaim[];
  /** Counted gold claims no prediction matched. */
  missed: GoldClaim[];
}

export interface ClaimsScore {
  overall: Prf;
  byPredicate: Record<string, Prf>;
  byModality: Record<string, Prf>;
  modalityAccuracy: { correct: number; total: number; accuracy: number };
  traps: { hit: number; scorable: number; rate: number; unsureHit: number; hits: TrapHit[] };
  verdicts: { scored: number; correct: number; confusion: Record<string, Record<string, number>>; overclaims: number };
  files: FileScore[];
}

/** Options for scoring: how names the predictions use map to the gold's short names. */
export interface ScoreOptions {
  /** Lower-cased alias -> canonical subject name. */
  aliases?: Record<string, string>;
}

const COUNTED = new Set(['asserted', 'reported']);

/** Words of a quote as the matching rules count them: lower-case runs of letters and digits. */
export function quoteWords(s: string): string[] {
  return [...s.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]);
}

/** True when at least half of the words of the shorter quote appear in the other. */
export function quotesOverlap(a: string, b: string): boolean {
  const wa = quoteWords(a);
  const wb = quoteWords(b);
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  if (short.length === 0) return false;
  const set = new Set(long);
  return short.filter((w) => set.has(w)).length * 2 >= short.length;
}

/** Share of a prediction's quote words found in a trap sentence. */
export function trapShare(prediction: string, trap: string): number {
  const wp = quoteWords(prediction);
  if (wp.length === 0) return 0;
  const set = new Set(quoteWords(trap));
  return wp.filter((w) => set.has(w)).length / wp.length;
}

function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/** Maximum one-to-one matching (augmenting paths); returns pred index -> gold index. */
function maxMatching(nPred: number, nGold: number, ok: (p: number, g: number) => boolean): Map<number, number> {
  const goldTo = new Array<number>(nGold).fill(-1);
  const adj: number[][] = [];
  for (let p = 0; p < nPred; p++) {
    adj.push([]);
    for (let g = 0; g < nGold; g++) if (ok(p, g)) adj[p]!.push(g);
  }
  const tryAssign = (p: number, seen: boolean[]): boolean => {
    for (const g of adj[p]!) {
      if (seen[g]) continue;
      seen[g] = true;
      if (goldTo[g] === -1 || tryAssign(goldTo[g]!, seen)) {
        goldTo[g] = p;
        return true;
      }
    }
    return false;
  };
  for (let p = 0; p < nPred; p++) tryAssign(p, new Array<boolean>(nGold).fill(false));
  const out = new Map<number, number>();
  goldTo.forEach((p, g) => {
    if (p >= 0) out.set(p, g);
  });
  return out;
}

function verdictLabel(v: PredictedClaim['verdict']): VerdictLabel | null {
  if (!v) return null;
  return typeof v === 'string' ? v : v.label;
}

/**
 * Scores predicted claims against gold excerpts as ../shared/eval/README.md describes: only
 * asserted/reported claims with a predicate other than `other` count; a match needs equal subject
 * (after alias resolution), predicate, object and polarity and overlapping quotes; matching is
 * one-to-one. Also scores modality accuracy, trap hits and verdicts when predictions carry them.
 */
export function scoreClaims(
  gold: GoldDocument[],
  predictions: Record<string, PredictedClaim[]>,
  options: ScoreOptions = {},
): ClaimsScore {
  const aliases = options.aliases ?? {};
  const canon = (s: string): string => aliases[s.toLowerCase()] ?? s.toLowerCase();
  const sameFacts = (p: PredictedClaim, g: GoldClaim): boolean =>
    canon(p.subject) === canon(g.subject) &&
    p.predicate === g.predicate &&
    (p.object ?? null) === (g.object ?? null) &&
    p.polarity === g.polarity &&
    quotesOverlap(p.quote, g.quote);

  const totals = { tp: 0, fp: 0, fn: 0 };
  const byPred: Record<string, { tp: number; fp: number; fn: number }> = {};
  const byMod: Record<string, { tp: number; fp: number; fn: number }> = {};
  const bump = (table: typeof byPred, key: string, field: 'tp' | 'fp' | 'fn'): void => {
    table[key] ??= { tp: 0, fp: 0, fn: 0 };
    table[key][field]++;
  };
  const modAcc = { correct: 0, total: 0 };
  const traps = { hit: 0, scorable: 0, unsureHit: 0, hits: [] as TrapHit[] };
  const labels = [...VERDICT_LABELS] as string[];
  const confusion: Record<string, Record<string, number>> = {};
  let verdictScored = 0;
  let verdictCorrect = 0;
  let overclaims = 0;
  const files: FileScore[] = [];

  for (const doc of gold) {
    const preds = (predictions[doc.file] ?? []).filter((p) => p.predicate !== 'other');
    const golds = doc.claims.filter((g) => g.predicate !== 'other');
    const cp = preds.filter((p) => COUNTED.has(p.modality));
    const cg = golds.filter((g) => COUNTED.has(g.modality));
    const match = maxMatching(cp.length, cg.length, (p, g) => sameFacts(cp[p]!, cg[g]!));
    const matchedGold = new Set(match.values());
    for (const [pi, gi] of match) {
      const p = cp[pi]!;
      const g = cg[gi]!;
      bump(byPred, g.predicate, 'tp');
      bump(byMod, g.modality, 'tp');
      const gv = g.verdict ?? null;
      const pv = verdictLabel(p.verdict);
      if (gv && gv !== 'SKIP' && labels.includes(gv) && pv) {
        verdictScored++;
        confusion[gv] ??= {};
        confusion[gv][pv] = (confusion[gv][pv] ?? 0) + 1;
        if (gv === pv) verdictCorrect++;
        if (gv === 'NOT_ENOUGH_INFO' && (pv === 'SUPPORTED' || pv === 'REFUTED')) overclaims++;
      }
    }
    const unmatched = cp.filter((_, i) => !match.has(i));
    const missed = cg.filter((_, i) => !matchedGold.has(i));
    for (const p of unmatched) {
      bump(byPred, p.predicate, 'fp');
      bump(byMod, p.modality, 'fp');
    }
    for (const g of missed) {
      bump(byPred, g.predicate, 'fn');
      bump(byMod, g.modality, 'fn');
    }
    let fileHits = 0;
    const scorable = doc.traps.filter((t) => t.why !== 'unsure');
    traps.scorable += scorable.length;
    for (const t of doc.traps) {
      const hitBy = unmatched.find((p) => trapShare(p.quote, t.quote) >= 0.8);
      if (!hitBy) continue;
      if (t.why === 'unsure') {
        traps.unsureHit++;
        continue;
      }
      traps.hit++;
      fileHits++;
      traps.hits.push({ file: doc.file, trap: t.quote, why: t.why, prediction: hitBy });
    }
    // Modality accuracy: all non-other claims, matched on everything but modality.
    const mm = maxMatching(preds.length, golds.length, (p, g) => sameFacts(preds[p]!, golds[g]!));
    for (const [pi, gi] of mm) {
      modAcc.total++;
      if (preds[pi]!.modality === golds[gi]!.modality) modAcc.correct++;
    }
    totals.tp += match.size;
    totals.fp += unmatched.length;
    totals.fn += missed.length;
    files.push({
      file: doc.file,
      ...prf(match.size, unmatched.length, missed.length),
      trapHits: fileHits,
      scorableTraps: scorable.length,
      unmatched,
      missed,
    });
  }
  const table = (t: typeof byPred): Record<string, Prf> =>
    Object.fromEntries(Object.entries(t).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, prf(v.tp, v.fp, v.fn)]));
  return {
    overall: prf(totals.tp, totals.fp, totals.fn),
    byPredicate: table(byPred),
    byModality: table(byMod),
    modalityAccuracy: { ...modAcc, accuracy: modAcc.total === 0 ? 0 : modAcc.correct / modAcc.total },
    traps: { ...traps, rate: traps.scorable === 0 ? 0 : traps.hit / traps.scorable },
    verdicts: { scored: verdictScored, correct: verdictCorrect, confusion, overclaims },
    files,
  };
}
