import { compareNames, NAME_MATCH_THRESHOLD } from '../domain/name-match.js';
import { parseCsvObjects } from '../verify/loaders/csv.js';

/** One labelled pair of names. */
export interface NameCase {
  group: string;
  schema: string;
  a: string;
  b: string;
  isMatch: boolean;
}

/** Precision, recall and F1 with the counts behind them. */
export interface Scores {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface FoldResult {
  fold: number;
  chosenThreshold: number;
  test: Scores;
}

export interface NamesReport {
  cases: number;
  shipped: Scores;
  folds: FoldResult[];
  /** Confusion pooled over the five held-out folds, each scored at the threshold chosen without it. */
  crossValidated: Scores;
  bySchema: Record<string, Scores>;
  /** The worst errors at the shipped threshold, for a reader to see what fails. */
  worstErrors: { a: string; b: string; isMatch: boolean; score: number }[];
}

/** Reads cases.csv (nomenklatura's layout: case_group, schema, name1, name2, is_match, ...). */
export function readNameCases(csvText: string): NameCase[] {
  return parseCsvObjects(csvText).map((r) => ({
    group: r['case_group'] ?? '',
    schema: r['schema'] ?? '',
    a: r['name1'] ?? '',
    b: r['name2'] ?? '',
    isMatch: (r['is_match'] ?? '').toLowerCase() === 'true',
  }));
}

function scoresAt(scored: { score: number; isMatch: boolean }[], threshold: number): Scores {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const s of scored) {
    const predicted = s.score >= threshold;
    if (predicted && s.isMatch) tp++;
    else if (predicted) fp++;
    else if (s.isMatch) fn++;
    else tn++;
  }
  return withRates({ threshold, tp, fp, fn, tn });
}

function withRates(c: { threshold: number; tp: number; fp: number; fn: number; tn: number }): Scores {
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { ...c, precision, recall, f1 };
}

/** The threshold with the best F1 on these pairs; ties go to the middle of the best range. */
export function bestThreshold(scored: { score: number; isMatch: boolean }[]): number {
  const candidates = [...new Set(scored.map((s) => s.score))].sort((x, y) => x - y);
  let best = -1;
  let bestIdx: number[] = [];
  candidates.forEach((t, i) => {
    const f = scoresAt(scored, t).f1;
    if (f > best + 1e-12) {
      best = f;
      bestIdx = [i];
    } else if (Math.abs(f - best) <= 1e-12) bestIdx.push(i);
  });
  const mid = bestIdx[Math.floor(bestIdx.length / 2)] ?? 0;
  return candidates[mid] ?? NAME_MATCH_THRESHOLD;
}

/** Deterministic fold of a case, so the report is reproducible run to run. */
function foldOf(i: number, k: number): number {
  // Multiplicative hash spreads neighbouring rows (which share a case group) over all folds.
  return ((i * 2654435761) >>> 0) % k;
}

/**
 * Precision, recall and F1 of compareNames on labelled pairs, at the shipped threshold and
 * with the threshold chosen by k-fold cross-validation (chosen on k-1 folds, scored on the rest).
 */
export function evaluateNames(cases: NameCase[], k = 5): NamesReport {
  const scored = cases.map((c) => ({ ...c, score: compareNames(c.a, c.b) }));
  const shipped = scoresAt(scored, NAME_MATCH_THRESHOLD);
  const folds: FoldResult[] = [];
  const pooled = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let f = 0; f < k; f++) {
    const train = scored.filter((_, i) => foldOf(i, k) !== f);
    const test = scored.filter((_, i) => foldOf(i, k) === f);
    const chosenThreshold = bestThreshold(train);
    const s = scoresAt(test, chosenThreshold);
    folds.push({ fold: f + 1, chosenThreshold, test: s });
    pooled.tp += s.tp;
    pooled.fp += s.fp;
    pooled.fn += s.fn;
    pooled.tn += s.tn;
  }
  const meanThreshold = folds.reduce((s, f) => s + f.chosenThreshold, 0) / k;
  const bySchema: Record<string, Scores> = {};
  for (const schema of [...new Set(scored.map((s) => s.schema))].sort()) {
    bySchema[schema] = scoresAt(scored.filter((s) => s.schema === schema), NAME_MATCH_THRESHOLD);
  }
  const worstErrors = scored
    .filter((s) => (s.score >= NAME_MATCH_THRESHOLD) !== s.isMatch)
    .sort((x, y) => Math.abs(y.score - NAME_MATCH_THRESHOLD) - Math.abs(x.score - NAME_MATCH_THRESHOLD))
    .slice(0, 15)
    .map((s) => ({ a: s.a, b: s.b, isMatch: s.isMatch, score: s.score }));
  return {
    cases: cases.length,
    shipped,
    folds,
    crossValidated: withRates({ threshold: meanThreshold, ...pooled }),
    bySchema,
    worstErrors,
  };
}

function line(label: string, s: Scores): string {
  return `${label.padEnd(26)} t=${s.threshold.toFixed(3)}  P=${s.precision.toFixed(3)}  R=${s.recall.toFixed(3)}  F1=${s.f1.toFixed(3)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn}, tn ${s.tn})`;
}

/** The report as text for a terminal. */
export function formatNamesReport(r: NamesReport): string {
  const out = [`Name matching on ${r.cases} labelled pairs`, line('shipped threshold', r.shipped)];
  for (const f of r.folds) out.push(line(`  fold ${f.fold} (held out)`, f.test));
  out.push(line('5-fold cross-validated', r.crossValidated));
  for (const [schema, s] of Object.entries(r.bySchema)) out.push(line(`  ${schema}`, s));
  out.push('Largest errors at the shipped threshold:');
  for (const e of r.worstErrors) out.push(`  ${e.score.toFixed(3)} ${e.isMatch ? 'missed' : 'false hit'}: "${e.a}" / "${e.b}"`);
  return out.join('\n');
}
