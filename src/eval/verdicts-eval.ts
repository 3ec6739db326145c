import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../capture/ingest.js';
import { importRegistryFile } from '../capture/registry-file.js';
import { loadConfig } from '../config.js';
import type { DatePrecision } from '../domain/dates.js';
import { extractClaims } from '../extract/index.js';
import { runPipeline } from '../pipeline/run.js';
import { ClaimsRepo, type StoredClaim } from '../store/claims-repo.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { initWorkspace, type Workspace } from '../store/workspace.js';
import { ensureBundledDatasets, importDataset } from '../verify/service.js';
import { isJudgeable, loadVerdictData, subjectToJudge } from '../verify/verdict-data.js';
import { judgeClaim } from '../verify/verdict.js';
import { aliasIndex, loadGold, SUBJECT_TABLE, subjectsFor } from './claims-eval.js';
import { buildExampleWorkspace, exampleGoldAndPredictions } from './example-case.js';
import { quotesOverlap, scoreClaims } from './claims-score.js';
import type { ClaimsScore, GoldClaim, GoldDocument, PredictedClaim } from './claims-score.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'example-case');

/** What the verdicts must reach (issue 5): accuracy on matched claims, and no overclaim at all. */
export const VERDICT_FLOORS = { accuracy: 0.95, maxOverclaims: 0 } as const;

/** A gold claim whose matched prediction got a different label. */
export interface VerdictMiss {
  file: string;
  quote: string;
  claim: string;
  gold: string;
  predicted: string;
  explanation: string;
}

export interface VerdictsPart {
  name: string;
  documents: number;
  scored: number;
  correct: number;
  accuracy: number;
  overclaims: number;
  confusion: ClaimsScore['verdicts']['confusion'];
  misses: VerdictMiss[];
  failures: string[];
}

export interface VerdictsReport {
  example: VerdictsPart;
  dev: VerdictsPart | { skipped: string };
}

type Predicted = PredictedClaim & { explanation?: string };

function tempHome(): string {
  return join(mkdtempSync(join(tmpdir(), 'claimtrace-verdicts-eval-')), 'ws');
}

/** Labels of matched claims that differ from the gold, found the way the scorer matches. */
function misses(gold: GoldDocument[], predictions: Record<string, Predicted[]>): VerdictMiss[] {
  const aliases = aliasIndex();
  const canon = (s: string): string => aliases[s.toLowerCase()] ?? s.toLowerCase();
  const out: VerdictMiss[] = [];
  for (const doc of gold) {
    for (const g of doc.claims) {
      if (!g.verdict || g.verdict === 'SKIP') continue;
      const p = (predictions[doc.file] ?? []).find(
        (x) => canon(x.subject) === canon(g.subject) && x.predicate === g.predicate && (x.object ?? null) === (g.object ?? null) && x.polarity === g.polarity && quotesOverlap(x.quote, g.quote),
      );
      const label = p?.verdict ? (typeof p.verdict === 'string' ? p.verdict : p.verdict.label) : null;
      if (p && label && label !== g.verdict) {
        out.push({ file: doc.file, quote: g.quote, claim: `${g.subject} ${g.predicate} ${g.object ?? '-'} ${g.polarity} ${g.modality}`, gold: g.verdict, predicted: label, explanation: p.explanation ?? '' });
      }
    }
  }
  return out;
}

function part(name: string, gold: GoldDocument[], predictions: Record<string, Predicted[]>): VerdictsPart {
  const v = scoreClaims(gold, predictions, { aliases: aliasIndex() }).verdicts;
  const accuracy = v.scored === 0 ? 0 : v.correct / v.scored;
  const failures: string[] = [];
  if (accuracy < VERDICT_FLOORS.accuracy) failures.push(`${name}: verdict accuracy ${accuracy.toFixed(3)} is below ${VERDICT_FLOORS.accuracy}`);
  if (v.overclaims > VERDICT_FLOORS.maxOverclaims) failures.push(`${name}: ${v.overclaims} overclaims (SUPPORTED/REFUTED where the gold says NOT_ENOUGH_INFO)`);
  return { name, documents: gold.length, scored: v.scored, correct: v.correct, accuracy, overclaims: v.overclaims, confusion: v.confusion, misses: misses(gold, predictions), failures };
}

/** Verdicts on the example case through the real pipeline, against the answer key. */
export async function evaluateExampleVerdicts(given?: Workspace): Promise<VerdictsPart> {
  const ws = given ?? (await buildExampleWorkspace());
  try {
    const { gold, predictions } = await exampleGoldAndPredictions(ws);
    return part('example case', gold, predictions);
  } finally {
    if (!given) await ws.close();
  }
}

/** Files of ../shared the dev-set evaluation imports whole. */
export const DEV_LIST_FILES = {
  fcc: join('fixtures', 'lists', 'fcc-covered-list', 'table.csv'),
  dod: join('fixtures', 'lists', 'dod-1260h', 'sanctions.csv'),
  cve: join('fixtures', 'cve'),
  gold: join('eval', 'claims-dev.jsonl'),
} as const;

function precisionOf(d: string): DatePrecision {
  return d.length === 4 ? 'year' : d.length === 7 ? 'month' : 'day';
}

/**
 * Verdicts on ../shared/eval/claims-dev.jsonl: the FCC table and the 1260H edition file are
 * imported whole (complete) and the CVE records beside them; each excerpt is extracted and its
 * factual claims judged at the excerpt's effective publication day (as captured now when null).
 */
export async function evaluateDevVerdicts(sharedRoot: string): Promise<VerdictsPart | { skipped: string }> {
  const missing = Object.values(DEV_LIST_FILES).filter((f) => !existsSync(join(sharedRoot, f)));
  if (missing.length > 0) return { skipped: `needs ${missing.map((f) => join(sharedRoot, f)).join(', ')} (absent)` };
  const { workspace: ws } = await initWorkspace(loadConfig({}, { home: tempHome() }), 'claims-dev (verdicts eval)');
  try {
    await importDataset(ws, 'fcc-covered-list', join(sharedRoot, DEV_LIST_FILES.fcc), { complete: true, rejudge: false });
    await importDataset(ws, 'us-1260h', join(sharedRoot, DEV_LIST_FILES.dod), { complete: true, rejudge: false });
    await importDataset(ws, 'cve', join(sharedRoot, DEV_LIST_FILES.cve), { rejudge: false });
    const data = await loadVerdictData(ws);
    const gold = loadGold(join(sharedRoot, DEV_LIST_FILES.gold));
    const capturedAt = new Date().toISOString();
    const predictions: Record<string, Predicted[]> = {};
    for (const doc of gold) {
      const published = doc.effectivePublished ?? null;
      const extracted = extractClaims(doc.text, { subjects: subjectsFor(doc.claims.map((c) => c.subject)), published, actor: doc.actor });
      predictions[doc.file] = extracted.map((c) => {
        const ref = SUBJECT_TABLE[c.subject] ?? {};
        const v = isJudgeable(c)
          ? judgeClaim(
              {
                subject: subjectToJudge(data, c.subject, ref),
                predicate: c.predicate,
                object: c.object,
                polarity: c.polarity,
                modality: c.modality,
                eventDate: c.eventDate,
                published,
                publishedPrecision: published ? precisionOf(published) : null,
                capturedAt,
              },
              data,
            )
          : null;
        return { ...c, verdict: v ? { label: v.label } : null, explanation: v?.explanation ?? '' };
      });
    }
    return part('claims-dev', gold, predictions);
  } finally {
    await ws.close();
  }
}

/** Both parts: the example case always, the shared dev set when ../shared is there. */
export async function runVerdictsEval(sharedRoot = resolve(ROOT, '..', 'shared')): Promise<VerdictsReport> {
  return { example: await evaluateExampleVerdicts(), dev: await evaluateDevVerdicts(sharedRoot) };
}

function formatPart(p: VerdictsPart | { skipped: string }, title: string, verbose: boolean): string[] {
  if ('skipped' in p) return [`${title}: [skipped] ${p.skipped}`];
  const lines = [`${title}: ${p.correct}/${p.scored} matched claims judged right (accuracy ${p.accuracy.toFixed(3)}); overclaims ${p.overclaims}; ${p.documents} documents`];
  const labels = ['SUPPORTED', 'REFUTED', 'NOT_ENOUGH_INFO'];
  lines.push(`    ${'gold \\ predicted'.padEnd(18)}${labels.map((l) => l.padStart(16)).join('')}`);
  for (const g of labels) lines.push(`    ${g.padEnd(18)}${labels.map((l) => String(p.confusion[g]?.[l] ?? 0).padStart(16)).join('')}`);
  for (const m of p.misses) {
    lines.push(`    miss ${m.file}: ${m.claim}: gold ${m.gold}, got ${m.predicted}: "${m.quote.slice(0, 90)}"`);
    if (verbose) lines.push(`         ${m.explanation}`);
  }
  return lines;
}

/** A plain-text report: confusion matrices, accuracy, overclaims, misses and floors. */
export function formatVerdictsReport(r: VerdictsReport, options: { verbose?: boolean } = {}): string {
  const verbose = options.verbose === true;
  const failures = [...r.example.failures, ...('skipped' in r.dev ? [] : r.dev.failures)];
  return [
    'Verdicts (labels on claims the extractor matched to the gold)',
    ...formatPart(r.example, 'Example case (bundled lists + fictional dataset, through the pipeline)', verbose),
    ...formatPart(r.dev, 'claims-dev (FCC table + 1260H editions imported whole, CVE records)', verbose),
    failures.length === 0 ? `Floors met (accuracy >= ${VERDICT_FLOORS.accuracy}, overclaims <= ${VERDICT_FLOORS.maxOverclaims}).` : `BELOW FLOORS: ${failures.join('; ')}`,
  ].join('\n');
}

/** Floors the report misses, as readable lines (empty when all are met). */
export function verdictsFailures(r: VerdictsReport): string[] {
  return [...r.example.failures, ...('skipped' in r.dev ? [] : r.dev.failures)];
}
