import { readFileSync } from 'node:fs';
import { AppError } from '../errors.js';
import { EXTRACTOR_VERSION, extractClaims } from '../extract/index.js';
import type { SubjectRef } from '../extract/index.js';
import { scoreClaims } from './claims-score.js';
import type { ExtractedClaim } from '../domain/claim.js';
import type { ClaimsScore, GoldDocument } from './claims-score.js';

/** Floors `npm run eval` holds the extractor to (issue 4): F1 on asserted+reported, trap-hit rate. */
export const CLAIMS_FLOORS = { f1: 0.8, maxTrapRate: 0.1 } as const;

/**
 * Names a user would register for the organisations in this dispute: short name -> aliases,
 * products and subsidiaries. Written from public company facts; used to give the extractor the
 * subjects of each excerpt, as a workspace would.
 */
export const SUBJECT_TABLE: Record<string, Omit<SubjectRef, 'name'>> = {
  Quectel: {
    aliases: ['Quectel Wireless Solutions', 'Quectel Wireless', 'Quectel Wireless Solutions Co., Ltd.'],
    products: ['EC25', 'EG25', 'EG91', 'BG95', 'BG96', 'RG500Q', 'RG502Q', 'RM500Q', 'RM502Q'],
  },
  Fibocom: { aliases: ['Fibocom Wireless', 'Fibocom Wireless Inc.'], products: ['FM150', 'FM350', 'L850'] },
  'Telit Cinterion': { aliases: ['Telit', 'Cinterion', 'Telit IoT Solutions'], subsidiaries: ['Thales cellular IoT business'] },
  Thales: { aliases: ['Thales Group'] },
  'DBAY Advisors': { aliases: ['DBAY'] },
  Renesas: { aliases: ['Renesas Electronics', 'Renesas Electronics Corporation'] },
  Huawei: { aliases: ['Huawei Technologies', 'Huawei Technologies Company', 'Huawei Technologies Co., Ltd.'], subsidiaries: ['HiSilicon'] },
  ZTE: { aliases: ['ZTE Corporation', 'ZTE Corp.'] },
  Hytera: { aliases: ['Hytera Communications', 'Hytera Communications Corporation'] },
  Hikvision: { aliases: ['Hangzhou Hikvision Digital Technology', 'Hangzhou Hikvision Digital Technology Company'] },
  Dahua: { aliases: ['Dahua Technology', 'Zhejiang Dahua Technology', 'Dahua Technology Company'] },
  Tencent: { aliases: ['Tencent Holdings', 'Tencent Holdings Ltd.'] },
  CATL: { aliases: ['Contemporary Amperex Technology', 'Contemporary Amperex Technology Co., Limited'] },
  CXMT: { aliases: ['Changxin Memory Technologies', 'ChangXin Memory'] },
  'Autel Robotics': { aliases: ['Autel'] },
  DJI: { aliases: ['SZ DJI Technology', 'Da-Jiang Innovations'] },
  Hesai: { aliases: ['Hesai Technologies', 'Hesai Technology', 'Hesai Group'] },
  Megvii: { aliases: ['Megvii Technology', 'Beijing Megvii Technology'] },
  'China Railway Construction Corporation': { aliases: ['CRCC', 'China Railway Construction Corporation Limited', 'China Railway Construction Corp.'] },
  'China State Construction Group': { aliases: ['China State Construction Engineering', 'China State Construction Group Co.', 'CSCEC'] },
  'China Telecommunications Corporation': { aliases: ['China Telecom', 'China Telecommunications Corp.'] },
  'COSCO Shipping': { aliases: ['COSCO', 'China COSCO Shipping', 'Cosco Shipping Corporation', 'Cosco Shipping Corporation Limited'] },
  TikTok: { aliases: ['Tik Tok'] },
  Kaspersky: { aliases: ['Kaspersky Lab', 'AO Kaspersky Lab'] },
};

/** SubjectRefs for the given short names, with the aliases of the table above. */
export function subjectsFor(names: string[]): SubjectRef[] {
  return [...new Set(names)].map((name) => ({ name, ...(SUBJECT_TABLE[name] ?? {}) }));
}

/** Lower-cased alias -> short name, for scoring names the extractor or the store may print. */
export function aliasIndex(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(SUBJECT_TABLE)) {
    out[name.toLowerCase()] = name.toLowerCase();
    for (const a of [...(ref.aliases ?? []), ...(ref.subsidiaries ?? [])]) out[a.toLowerCase()] = name.toLowerCase();
  }
  return out;
}

/** Reads a gold file in the claims-dev.jsonl shape (one excerpt per line). */
export function loadGold(path: string): GoldDocument[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  return lines.map((line, i) => {
    let doc: GoldDocument;
    try {
      doc = JSON.parse(line) as GoldDocument;
    } catch (err) {
      throw new AppError('invalid_input', `${path}:${i + 1}: not JSON (${(err as Error).message})`);
    }
    if (typeof doc.file !== 'string' || typeof doc.text !== 'string' || !Array.isArray(doc.claims) || !Array.isArray(doc.traps)) {
      throw new AppError('invalid_input', `${path}:${i + 1}: needs file, text, claims and traps`);
    }
    return doc;
  });
}

export interface ClaimsEvalOptions {
  /**
   * 'per-file': each excerpt gets the subjects of its own gold claims (as the README scores it).
   * 'all': every excerpt gets every subject of the set, a harder setting that tests trap resistance.
   */
  subjects?: 'per-file' | 'all';
}

export interface Report {
  goldPath: string;
  extractorVersion: string;
  subjects: 'per-file' | 'all';
  documents: number;
  score: ClaimsScore;
  /** The extractor's claims per file (with offsets into that file's text). */
  predictions: Record<string, ExtractedClaim[]>;
  /** Floors missed (empty when all are met). */
  failures: string[];
}

/** Floors the score misses, as readable lines. */
export function checkFloors(score: ClaimsScore): string[] {
  const out: string[] = [];
  if (score.overall.f1 < CLAIMS_FLOORS.f1) {
    out.push(`F1 ${score.overall.f1.toFixed(3)} is below the floor ${CLAIMS_FLOORS.f1}`);
  }
  if (score.traps.rate > CLAIMS_FLOORS.maxTrapRate) {
    out.push(`trap-hit rate ${score.traps.rate.toFixed(3)} (${score.traps.hit}/${score.traps.scorable}) is above ${CLAIMS_FLOORS.maxTrapRate}`);
  }
  return out;
}

/** Runs the extractor on every excerpt of a gold file and scores it. */
export function runClaimsEval(goldPath: string, options: ClaimsEvalOptions = {}): Report {
  const gold = loadGold(goldPath);
  const mode = options.subjects ?? 'per-file';
  const everyone = [...new Set(gold.flatMap((d) => d.claims.map((c) => c.subject)))];
  const predictions: Record<string, ExtractedClaim[]> = {};
  for (const doc of gold) {
    const names = mode === 'all' ? everyone : doc.claims.map((c) => c.subject);
    predictions[doc.file] = extractClaims(doc.text, {
      subjects: subjectsFor(names),
      published: doc.effectivePublished ?? null,
      actor: doc.actor,
    });
  }
  const score = scoreClaims(gold, predictions, { aliases: aliasIndex() });
  return {
    goldPath,
    extractorVersion: EXTRACTOR_VERSION,
    subjects: mode,
    documents: gold.length,
    score,
    predictions,
    failures: checkFloors(score),
  };
}

const pct = (x: number): string => x.toFixed(3);

function prfRow(name: string, p: { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number }): string {
  return `  ${name.padEnd(44)} P ${pct(p.precision)}  R ${pct(p.recall)}  F1 ${pct(p.f1)}  (tp ${p.tp}, fp ${p.fp}, fn ${p.fn})`;
}

/** A plain-text report: overall, per predicate, per modality, modality accuracy, traps, verdicts, per file. */
export function formatReport(report: Report, options: { verbose?: boolean } = {}): string {
  const s = report.score;
  const lines: string[] = [];
  lines.push(`Claim extraction on ${report.goldPath}`);
  lines.push(`  extractor ${report.extractorVersion}; ${report.documents} documents; subjects: ${report.subjects}`);
  lines.push('Asserted + reported claims (predicate other excluded):');
  lines.push(prfRow('overall', s.overall));
  lines.push('By predicate:');
  for (const [k, v] of Object.entries(s.byPredicate)) lines.push(prfRow(k, v));
  lines.push('By modality:');
  for (const [k, v] of Object.entries(s.byModality)) lines.push(prfRow(k, v));
  lines.push(`Modality accuracy: ${pct(s.modalityAccuracy.accuracy)} (${s.modalityAccuracy.correct}/${s.modalityAccuracy.total})`);
  lines.push(`Traps hit: ${s.traps.hit}/${s.traps.scorable} scorable (${pct(s.traps.rate)}); unsure traps hit: ${s.traps.unsureHit}`);
  for (const h of s.traps.hits) lines.push(`    ${h.file}: "${h.trap.slice(0, 90)}" by ${h.prediction.predicate} ${h.prediction.object ?? ''} ${h.prediction.modality}`);
  if (s.verdicts.scored > 0) {
    lines.push(`Verdicts: ${s.verdicts.correct}/${s.verdicts.scored} correct; overclaims ${s.verdicts.overclaims}`);
    for (const [g, row] of Object.entries(s.verdicts.confusion)) lines.push(`    gold ${g}: ${JSON.stringify(row)}`);
  } else {
    lines.push('Verdicts: none predicted (extraction only)');
  }
  lines.push('Per file:');
  for (const f of s.files) {
    lines.push(prfRow(f.file.slice(0, 44), f) + `  traps ${f.trapHits}/${f.scorableTraps}`);
    if (options.verbose) {
      for (const p of f.unmatched) lines.push(`      + ${p.subject} ${p.predicate} ${p.object ?? '-'} ${p.polarity} ${p.modality}: "${p.quote.slice(0, 100)}"`);
      for (const g of f.missed) lines.push(`      - ${g.subject} ${g.predicate} ${g.object ?? '-'} ${g.polarity} ${g.modality}: "${g.quote.slice(0, 100)}"`);
    }
  }
  lines.push(report.failures.length === 0 ? `Floors met (F1 >= ${CLAIMS_FLOORS.f1}, traps <= ${CLAIMS_FLOORS.maxTrapRate}).` : `BELOW FLOORS: ${report.failures.join('; ')}`);
  return lines.join('\n');
}
