import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTRACTOR_VERSION } from '../extract/index.js';
import { aliasIndex, formatReport, runClaimsEval, type Report } from './claims-eval.js';
import { scoreClaims } from './claims-score.js';
import { evaluateExampleCampaigns, formatCampaignsReport, type CampaignsReport } from './campaigns-eval.js';
import { buildExampleWorkspace, exampleGoldAndPredictions } from './example-case.js';
import { evaluateNames, formatNamesReport, readNameCases } from './names-eval.js';
import { formatSimilarReport, runSimilarEval } from './similar-eval.js';
import { evaluateDevVerdicts, evaluateExampleVerdicts, formatVerdictsReport, type VerdictsReport } from './verdicts-eval.js';

/**
 * `npm run eval`: every quality figure over labelled data, checked against eval/floors.json.
 * Data from ../shared is used when present and reported as skipped otherwise (a failure under CI).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = resolve(root, '..', 'shared');
const floors = JSON.parse(readFileSync(join(root, 'eval', 'floors.json'), 'utf8')) as {
  claimsDev: { f1: number; maxTrapRate: number };
  exampleCase: { f1: number; maxTrapRate: number };
  names: { f1AtShippedThreshold: number; f1CrossValidated: number };
  verdicts: { accuracy: number; maxOverclaims: number };
  similar: { map5: number };
  campaigns: { precision: number; recall: number; maxIndependents: number };
};
const ci = process.env['CI'] === 'true';
const failures: string[] = [];
const skipped: string[] = [];
const summary: Record<string, unknown> = {};

function floor(name: string, value: number, min: number): void {
  if (value < min) failures.push(`${name} ${value.toFixed(3)} is below its floor ${min}`);
}
function ceiling(name: string, value: number, max: number): void {
  if (value > max) failures.push(`${name} ${value.toFixed(3)} is above its ceiling ${max}`);
}
function section(title: string): void {
  console.log(`\n=== ${title} ===`);
}

// 1. The bundled example case, through the real pipeline (lists, ingest, extraction, verdicts).
section('Claim extraction on the example case (answer key, through the pipeline)');
const exampleWs = await buildExampleWorkspace();
let exampleVerdicts: VerdictsReport['example'];
let exampleCampaigns: CampaignsReport;
{
  const ws = exampleWs;
  try {
    const { gold, predictions } = await exampleGoldAndPredictions(ws);
    const score = scoreClaims(gold, predictions, { aliases: aliasIndex() });
    const report: Report = {
      goldPath: 'examples/example-case/answer-key.jsonl',
      extractorVersion: EXTRACTOR_VERSION,
      subjects: 'per-file',
      documents: gold.length,
      score,
      predictions: {},
      failures: [],
    };
    console.log(formatReport(report));
    floor('example case F1', score.overall.f1, floors.exampleCase.f1);
    ceiling('example case trap-hit rate', score.traps.rate, floors.exampleCase.maxTrapRate);
    summary['exampleCase'] = { ...score.overall, modalityAccuracy: score.modalityAccuracy.accuracy, traps: { hit: score.traps.hit, scorable: score.traps.scorable } };
    exampleVerdicts = await evaluateExampleVerdicts(ws);
    exampleCampaigns = await evaluateExampleCampaigns(ws);
  } finally {
    await ws.close();
  }
}

// 2. The shared development set of real excerpts.
section('Claim extraction on ../shared/eval/claims-dev.jsonl');
{
  const devPath = join(shared, 'eval', 'claims-dev.jsonl');
  if (!existsSync(devPath)) skipped.push(`claims-dev: ${devPath} is absent`);
  else {
    const report = runClaimsEval(devPath);
    console.log(formatReport(report));
    floor('claims-dev F1', report.score.overall.f1, floors.claimsDev.f1);
    ceiling('claims-dev trap-hit rate', report.score.traps.rate, floors.claimsDev.maxTrapRate);
    summary['claimsDev'] = { ...report.score.overall, traps: { hit: report.score.traps.hit, scorable: report.score.traps.scorable } };
  }
}

// 3. Name matching on the labelled pairs.
section('Name matching on ../shared/fixtures/name-matching/cases.csv');
{
  const casesPath = join(shared, 'fixtures', 'name-matching', 'cases.csv');
  if (!existsSync(casesPath)) skipped.push(`names: ${casesPath} is absent`);
  else {
    const report = evaluateNames(readNameCases(readFileSync(casesPath, 'utf8')));
    console.log(formatNamesReport(report));
    floor('name matching F1 at the shipped threshold', report.shipped.f1, floors.names.f1AtShippedThreshold);
    floor('name matching F1 under 5-fold CV', report.crossValidated.f1, floors.names.f1CrossValidated);
    summary['names'] = { shipped: report.shipped, crossValidated: report.crossValidated };
  }
}

// 4. Verdicts: the example case (same workspace) and claims-dev with the shared list files imported whole.
section('Verdicts');
{
  const dev = await evaluateDevVerdicts(shared);
  const report: VerdictsReport = { example: exampleVerdicts, dev };
  console.log(formatVerdictsReport(report));
  if ('skipped' in dev) skipped.push(`verdicts on claims-dev: ${dev.skipped}`);
  for (const part of [report.example, ...('skipped' in dev ? [] : [dev])]) {
    floor(`${part.name} verdict accuracy`, part.accuracy, floors.verdicts.accuracy);
    ceiling(`${part.name} overclaims`, part.overclaims, floors.verdicts.maxOverclaims);
  }
  summary['verdicts'] = {
    example: { accuracy: report.example.accuracy, scored: report.example.scored, overclaims: report.example.overclaims },
    dev: 'skipped' in dev ? dev : { accuracy: dev.accuracy, scored: dev.scored, overclaims: dev.overclaims },
  };
}

// 5. Claim retrieval: social posts against many fact-checked claims (our own set of the public benchmark's shape).
section('Claim retrieval (similar --batch) on data/similar-eval');
{
  const report = runSimilarEval(join(root, 'data', 'similar-eval'));
  console.log(formatSimilarReport(report));
  floor('claim retrieval MAP@5', report.combined.map5, floors.similar.map5);
  summary['similar'] = { bm25: report.bm25.map5, combined: report.combined.map5 };
}

// 6. Campaigns on the example case (same workspace), against the campaign answer key.
section('Coordinated campaigns on the example case (answer-key-campaigns.json)');
{
  const r = exampleCampaigns;
  console.log(formatCampaignsReport(r));
  floor('campaign member precision', r.precision, floors.campaigns.precision);
  floor('campaign member recall', r.recall, floors.campaigns.recall);
  ceiling('independent actors in campaigns', r.independentsInCampaigns.length, floors.campaigns.maxIndependents);
  summary['campaigns'] = { precision: r.precision, recall: r.recall, independentsInCampaigns: r.independentsInCampaigns.length, matches: r.matches };
}

section('Summary');
for (const s of skipped) console.log(`[skipped] ${s}`);
writeFileSync(join(root, 'eval', 'results.json'), JSON.stringify({ measuredAt: new Date().toISOString(), ...summary }, null, 2) + '\n');
console.log('figures written to eval/results.json');
if (ci && skipped.length > 0) failures.push(`under CI nothing may be skipped (${skipped.length} skipped)`);
if (failures.length > 0) {
  console.log(`EVAL FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('all floors met');
