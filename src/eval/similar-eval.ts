import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSimilarIndex, DEFAULT_WEIGHTS, parseIdTextTsv, searchBm25, searchSimilar } from '../coordinate/similar.js';
import type { SimilarHit, SimilarIndex, SimilarWeights } from '../coordinate/similar.js';

/** Claim-retrieval figures on data/similar-eval. */
export interface SimilarEvalReport {
  candidates: number;
  queries: number;
  bm25: { map5: number; dev: number; test: number };
  combined: { map5: number; dev: number; test: number; weights: SimilarWeights };
  /** Best weights a grid search finds on the dev half, and what they score on the test half. */
  tunedOnDev: { weights: SimilarWeights; dev: number; test: number };
}

/** Average precision at k for one ranking against the set of relevant ids. */
export function averagePrecisionAt(ranked: readonly string[], relevant: ReadonlySet<string>, k = 5): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / Math.min(relevant.size, k);
}

function readQrels(content: string): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const line of content.split(/\r?\n/)) {
    const [q, , c, rel] = line.split('\t');
    if (q === undefined || c === undefined || rel === undefined || Number(rel) <= 0) continue;
    m.set(q, (m.get(q) ?? new Set()).add(c));
  }
  return m;
}

function mapAt5(
  queries: readonly { id: string; text: string }[],
  qrels: Map<string, Set<string>>,
  search: (text: string) => SimilarHit[],
): number {
  if (queries.length === 0) return 0;
  let sum = 0;
  for (const q of queries) sum += averagePrecisionAt(search(q.text).map((h) => h.id), qrels.get(q.id) ?? new Set(), 5);
  return sum / queries.length;
}

/**
 * Evaluate plain BM25 and the combined ranking on the set in `dir` (candidates.tsv,
 * queries.tsv, qrels.tsv). Queries are split by position into dev (even) and test (odd); the
 * shipped weights were chosen on dev, and a fresh grid search on dev is reported with its test
 * score so overfitting would show as a dev/test gap.
 */
export function runSimilarEval(dir: string): SimilarEvalReport {
  const candidates = parseIdTextTsv(readFileSync(join(dir, 'candidates.tsv'), 'utf8'), 'candidates');
  const queries = parseIdTextTsv(readFileSync(join(dir, 'queries.tsv'), 'utf8'), 'queries');
  const qrels = readQrels(readFileSync(join(dir, 'qrels.tsv'), 'utf8'));
  const index: SimilarIndex = buildSimilarIndex(candidates);
  const dev = queries.filter((_, i) => i % 2 === 0);
  const test = queries.filter((_, i) => i % 2 === 1);
  const bm = (qs: typeof queries): number => mapAt5(qs, qrels, (t) => searchBm25(index, t, 5));
  const comb = (qs: typeof queries, w: SimilarWeights): number => mapAt5(qs, qrels, (t) => searchSimilar(index, t, 5, w));
  let best = { weights: DEFAULT_WEIGHTS, dev: -1 };
  for (const bm25 of [0.3, 0.5, 0.7]) {
    for (const chars of [0.15, 0.35, 0.55]) {
      for (const ents of [0, 0.15, 0.3]) {
        const w = { bm25, chars, entities: ents, frame: DEFAULT_WEIGHTS.frame };
        const d = comb(dev, w);
        if (d > best.dev + 1e-9) best = { weights: w, dev: d };
      }
    }
  }
  return {
    candidates: candidates.length,
    queries: queries.length,
    bm25: { map5: bm(queries), dev: bm(dev), test: bm(test) },
    combined: { map5: comb(queries, DEFAULT_WEIGHTS), dev: comb(dev, DEFAULT_WEIGHTS), test: comb(test, DEFAULT_WEIGHTS), weights: DEFAULT_WEIGHTS },
    tunedOnDev: { weights: best.weights, dev: best.dev, test: comb(test, best.weights) },
  };
}

/** Human-readable summary of a report. */
export function formatSimilarReport(r: SimilarEvalReport): string {
  const f = (x: number): string => x.toFixed(3);
  return [
    `claim retrieval: ${r.queries} posts against ${r.candidates} fact-checked claims (data/similar-eval)`,
    `  MAP@5 plain BM25      all ${f(r.bm25.map5)}  dev ${f(r.bm25.dev)}  test ${f(r.bm25.test)}`,
    `  MAP@5 combined        all ${f(r.combined.map5)}  dev ${f(r.combined.dev)}  test ${f(r.combined.test)}  weights ${JSON.stringify(r.combined.weights)}`,
    `  grid search on dev    dev ${f(r.tunedOnDev.dev)}  test ${f(r.tunedOnDev.test)}  weights ${JSON.stringify(r.tunedOnDev.weights)}`,
  ].join('\n');
}
