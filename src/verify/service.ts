import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import { DatasetsRepo, type DatasetVersion, type NewCve, type NewListRecord } from '../store/datasets-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import { loadCslCsv, loadCslJson } from './loaders/csl.js';
import { parseCsv } from './loaders/csv.js';
import { loadCveJson } from './loaders/cve.js';
import { loadDod1260hCsv } from './loaders/dod-1260h.js';
import { loadFccCoveredListCsv, loadFccCoveredListHtml } from './loaders/fcc-covered-list.js';
import { loadFtm, loadFtmGraph } from './loaders/ftm.js';
import { loadOfacSdn } from './loaders/ofac-sdn.js';
import { loadStatuteCsv } from './loaders/statutes.js';
import { loadUflpaHtml } from './loaders/uflpa.js';
import type { CveRecord, ListRecord, LoadedDataset } from './types.js';
import { judgeWorkspaceClaims, type JudgeSummary } from './verdict-data.js';

export { CSL_SOURCE_ROUTES } from './loaders/csl.js';

/** Source ids `lists import` accepts, besides any `example-*` fictional source. */
export const SOURCE_IDS = ['fcc-covered-list', 'us-1260h', 'us-entity-list', 'ofac-sdn', 'ofac-ns-cmic', 'uflpa', 'ndaa-889', 'csl', 'ftm', 'cve'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bundled snapshot of US sources (data/lists) and the fictional example datasets (data/example). */
export const BUNDLED_LISTS_DIR = join(PACKAGE_ROOT, 'data', 'lists');
export const EXAMPLE_DATA_DIR = join(PACKAGE_ROOT, 'data', 'example');

export interface ImportOptions {
  /** Overrides the loader's own judgement of completeness. */
  complete?: boolean;
  sourceUrl?: string;
  /** ISO day or timestamp the file was retrieved; defaults to now. */
  retrievedAt?: string;
  /** Coverage dates, when the caller knows them better than the loader (the bundled manifest does). */
  coverageFrom?: string;
  coverageTo?: string;
  /** FtM only: also import Person/Organization/Company entities and their relationships as actors. */
  actors?: boolean;
  /** Judge open claims again once the version is stored (default true). */
  rejudge?: boolean;
  notes?: string;
}

export interface ActorImportSummary {
  actors: number;
  actorsCreated: number;
  relationships: number;
  relationshipsCreated: number;
  skipped: number;
}

export interface ImportResult {
  sourceId: string;
  /** False when a version with the same bytes was already stored (nothing changed). */
  created: boolean;
  version: DatasetVersion | null;
  listIds: string[];
  records: number;
  cves: number;
  warnings: string[];
  actors?: ActorImportSummary;
  rejudged?: JudgeSummary;
}

function sha256(parts: Buffer[]): string {
  const h = createHash('sha256');
  if (parts.length === 1) return h.update(parts[0]!).digest('hex');
  // Several files (an OFAC folder, a CVE folder): hash each, then the list, so order and boundaries count.
  for (const p of parts) h.update(createHash('sha256').update(p).digest('hex'));
  return h.digest('hex');
}

function readText(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new AppError('not_found', `no such file: ${path}`);
  }
}

function text(b: Buffer): string {
  return b.toString('utf8').replace(/^\uFEFF/, '');
}

function looksHtml(s: string): boolean {
  return /^\s*</.test(s) && /<(table|html|!doctype)/i.test(s.slice(0, 5000));
}

function looksJson(s: string): boolean {
  return /^\s*[[{]/.test(s);
}

function firstRow(s: string): string[] {
  return parseCsv(s.split(/\r?\n/, 1)[0] ?? '')[0] ?? [];
}

/** Keeps the rows a container file routes to one list; the rest are named in a warning. */
function onlyList(d: LoadedDataset, listId: string): LoadedDataset {
  const records = d.records.filter((r) => r.listId === listId);
  const dropped = d.records.length - records.length;
  if (records.length === 0) throw new AppError('parse_failed', `the file has no rows for ${listId}`);
  return { ...d, sourceId: listId, records, warnings: dropped ? [...d.warnings, `${dropped} rows for other lists were left out (import the file as csl to keep them)`] : d.warnings };
}

function loadCsl(s: string): LoadedDataset {
  return looksJson(s) ? loadCslJson(s) : loadCslCsv(s);
}

/** A statute CSV has a name and a program column; a 1260H edition CSV has Clean Name and Start date. */
function loadByShape(s: string, fileName: string): LoadedDataset {
  if (looksHtml(s)) {
    return /covered list|covered equipment|date of inclusion/i.test(s) ? loadFccCoveredListHtml(s) : loadUflpaHtml(s);
  }
  if (looksJson(s)) {
    if (/"dataType"\s*:\s*"CVE_RECORD"/.test(s)) return loadCveJson(s);
    if (/"results"\s*:/.test(s)) return loadCslJson(s);
    return loadFtm(s);
  }
  const header = firstRow(s).map((h) => h.trim());
  if (header.includes('Clean Name') || header.includes('Start date')) return loadDod1260hCsv(s, undefined, false);
  if (header.includes('source') && header.includes('name')) return loadCslCsv(s);
  if (header.includes('name') && header.includes('program')) return loadStatuteCsv(s, fileName);
  if (header.length === 2) return loadFccCoveredListCsv(s);
  throw new AppError('unsupported_format', `${fileName}: not a list format claimtrace reads (1260H edition CSV, statute CSV, CSL, FCC table, UFLPA HTML, FtM, CVE JSON)`);
}

function filesOfFolder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).filter((f) => ext.test(f)).sort().map((f) => join(dir, f));
}

/** The files an OFAC SDN import reads: sdn.csv, with alt.csv and add.csv beside it when present. */
function ofacFiles(path: string): { sdn: string; alt?: string; add?: string } {
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  const sdn = statSync(path).isDirectory() ? join(path, 'sdn.csv') : path;
  if (!existsSync(sdn)) throw new AppError('not_found', `no sdn.csv in ${path}`);
  const alt = join(dir, 'alt.csv');
  const add = join(dir, 'add.csv');
  return { sdn, ...(existsSync(alt) ? { alt } : {}), ...(existsSync(add) ? { add } : {}) };
}

function isSdnCsv(s: string): boolean {
  const row = firstRow(s);
  return row.length >= 10 && /^\d+$/.test((row[0] ?? '').trim());
}

interface Loaded {
  dataset: LoadedDataset;
  raw: Buffer[];
  fileName: string;
  ftmText?: string;
}

/** Reads a source file (or folder) with the loader its source id and content call for. */
function loadSource(sourceId: string, path: string): Loaded {
  if (!existsSync(path)) throw new AppError('not_found', `no such file or folder: ${path}`);
  const isDir = statSync(path).isDirectory();
  const fileName = basename(path);
  if (sourceId === 'cve') {
    const files = isDir ? filesOfFolder(path, /\.json$/i) : [path];
    if (files.length === 0) throw new AppError('not_found', `no .json CVE records in ${path}`);
    const raw = files.map(readText);
    const cves: CveRecord[] = [];
    const warnings: string[] = [];
    raw.forEach((b, i) => {
      try {
        const d = loadCveJson(text(b));
        cves.push(...(d.cves ?? []));
        warnings.push(...d.warnings);
      } catch (err) {
        warnings.push(`${basename(files[i]!)}: ${(err as Error).message}; skipped`);
      }
    });
    if (cves.length === 0) throw new AppError('parse_failed', `no CVE JSON 5 records could be read from ${path}`);
    return { dataset: { sourceId: 'cve', sourceUrl: 'https://www.cve.org/', coverageFrom: null, coverageTo: null, complete: false, records: [], cves, warnings }, raw, fileName };
  }
  if (sourceId === 'ofac-sdn' && (isDir || isSdnCsv(text(readText(path))))) {
    const f = ofacFiles(path);
    const parts = [f.sdn, f.alt, f.add].filter((x): x is string => x !== undefined).map(readText);
    const dataset = loadOfacSdn({ sdn: text(parts[0]!), ...(f.alt ? { alt: text(readText(f.alt)) } : {}), ...(f.add ? { add: text(readText(f.add)) } : {}) });
    return { dataset, raw: parts, fileName: basename(f.sdn) };
  }
  if (isDir) throw new AppError('invalid_input', `${path} is a folder: only cve and ofac-sdn imports read folders`);
  const raw = readText(path);
  const s = text(raw);
  if (raw.subarray(0, 5).toString('latin1') === '%PDF-') {
    throw new AppError('unsupported_format', `${fileName} is a PDF: import the edition as CSV (Name, Clean Name, Alias, Previous Name, Parent Name, Note, Start date, End date, Source Url)`);
  }
  let dataset: LoadedDataset;
  switch (sourceId) {
    case 'fcc-covered-list':
      dataset = looksHtml(s) ? loadFccCoveredListHtml(s) : loadFccCoveredListCsv(s);
      break;
    case 'us-1260h':
      dataset = loadDod1260hCsv(s);
      break;
    case 'us-entity-list':
    case 'ofac-ns-cmic':
    case 'ofac-sdn':
      dataset = onlyList(loadCsl(s), sourceId);
      break;
    case 'uflpa':
      dataset = loadUflpaHtml(s);
      break;
    case 'ndaa-889':
      dataset = loadStatuteCsv(s, fileName);
      break;
    case 'csl':
      dataset = loadCsl(s);
      break;
    case 'ftm':
      return { dataset: loadFtm(s), raw: [raw], fileName, ftmText: s };
    default:
      if (!sourceId.startsWith('example-')) {
        throw new AppError('invalid_input', `unknown source "${sourceId}": use one of ${SOURCE_IDS.join(', ')}, or example-NAME for a fictional dataset`);
      }
      dataset = loadByShape(s, fileName);
  }
  return { dataset, raw: [raw], fileName };
}

function toNewRecord(r: ListRecord): NewListRecord {
  return { ...r, sourceUrl: r.sourceUrl || null };
}

function toNewCve(c: CveRecord): NewCve {
  return { ...c, vendor: c.vendor || null, description: c.description || null, sourceUrl: c.sourceUrl || null };
}

function isoDayOrTime(value: string, what: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00.000Z`;
  const t = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t.getTime())) throw new AppError('invalid_input', `${what} must be an ISO day or timestamp (got "${value}")`);
  return t.toISOString();
}

/**
 * Imports FollowTheMoney Person/Organization/Company entities and their Ownership, Employment,
 * Membership and Directorship links into the actor registry. Links whose ends are not in the
 * file are skipped and counted.
 */
export async function importFtmActors(ws: Workspace, ftmText: string): Promise<ActorImportSummary> {
  const { actors, relationships } = loadFtmGraph(ftmText);
  const registry = new RegistryRepo(ws.db, ws.id);
  const ids = new Map<string, string>();
  const summary: ActorImportSummary = { actors: 0, actorsCreated: 0, relationships: 0, relationshipsCreated: 0, skipped: 0 };
  for (const a of actors) {
    const { actor, created } = await registry.upsertActor({ name: a.name, kind: a.kind, aliases: a.aliases, externalId: a.externalId, country: a.country, description: a.description });
    if (a.externalId) ids.set(a.externalId, actor.id);
    summary.actors++;
    if (created) summary.actorsCreated++;
  }
  for (const r of relationships) {
    const from = ids.get(r.fromExternalId);
    const to = ids.get(r.toExternalId);
    if (!from || !to) {
      summary.skipped++;
      continue;
    }
    const { fromExternalId: _f, toExternalId: _t, ...rest } = r;
    const { created } = await registry.addRelationship({ ...rest, fromActorId: from, toActorId: to });
    summary.relationships++;
    if (created) summary.relationshipsCreated++;
  }
  return summary;
}

/** Imports actors and relationships from a FollowTheMoney JSON lines file (`claimtrace actor import`). */
export async function importActorsFile(ws: Workspace, filePath: string): Promise<ActorImportSummary> {
  return importFtmActors(ws, text(readText(filePath)));
}

/**
 * Imports one source file as a dataset version: sha256 of the raw bytes, source URL, retrieval
 * time, coverage, complete or partial, warnings, records and CVEs, in one transaction. The same
 * bytes for the same source are stored once. Open claims are judged again afterwards, keeping
 * their old verdicts as history. `example-*` sources are fictional and always partial.
 */
export async function importDataset(ws: Workspace, sourceId: string, filePath: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const loaded = loadSource(sourceId, filePath);
  const d = loaded.dataset;
  const fictional = sourceId.startsWith('example-');
  const actors = opts.actors && loaded.ftmText !== undefined ? await importFtmActors(ws, loaded.ftmText) : undefined;
  const base = { sourceId, listIds: [...new Set(d.records.map((r) => r.listId))].sort(), records: d.records.length, cves: d.cves?.length ?? 0, warnings: d.warnings };
  if (d.records.length === 0 && (d.cves?.length ?? 0) === 0) {
    if (actors) return { ...base, created: false, version: null, actors };
    throw new AppError('parse_failed', `${loaded.fileName}: no list entries or CVE records found`);
  }
  const repo = new DatasetsRepo(ws.db, ws.id);
  const sha = sha256(loaded.raw);
  const existing = await repo.findBySha(sourceId, sha);
  if (existing) return { ...base, created: false, version: existing, ...(actors ? { actors } : {}) };
  const retrievedAt = opts.retrievedAt ? isoDayOrTime(opts.retrievedAt, '--retrieved') : new Date().toISOString();
  const day = retrievedAt.slice(0, 10);
  const complete = fictional ? false : (opts.complete ?? d.complete);
  const warnings = [...d.warnings];
  if (fictional && opts.complete) warnings.push('example datasets are fictional curated subsets: stored as partial');
  const version = await repo.insertVersion(
    {
      sourceId,
      sourceUrl: opts.sourceUrl ?? (d.sourceUrl || null),
      retrievedAt,
      sha256: sha,
      coverageFrom: opts.coverageFrom ?? d.coverageFrom ?? day,
      coverageTo: opts.coverageTo ?? d.coverageTo ?? day,
      complete,
      listIds: base.listIds,
      warnings,
      fictional,
      fileName: loaded.fileName,
      notes: opts.notes ?? null,
    },
    // Records that carry only the loader's default URL point at where this file really came from.
    d.records.map((r) => toNewRecord(opts.sourceUrl && (r.sourceUrl === d.sourceUrl || !r.sourceUrl) ? { ...r, sourceUrl: opts.sourceUrl } : r)),
    (d.cves ?? []).map(toNewCve),
  );
  const rejudged = opts.rejudge === false ? undefined : await judgeWorkspaceClaims(ws);
  return { ...base, warnings, created: true, version, ...(actors ? { actors } : {}), ...(rejudged ? { rejudged } : {}) };
}

interface ManifestEntry {
  file: string;
  sourceId: string;
  sourceUrl: string;
  retrievedAt: string;
  complete: boolean;
  coverage?: { from?: string; to?: string };
  note?: string;
}

/** The fictional datasets of the example case: file name -> source id. */
export const EXAMPLE_DATASETS: Readonly<Record<string, string>> = { 'example-fictional-1260h.csv': 'example-fictional-1260h' };

/**
 * Imports the bundled snapshot of US sources (data/lists/manifest.json) with the manifest's
 * source URLs, retrieval days, coverage and completeness (the 1260H snapshot is partial), and,
 * with `example: true`, the fictional example datasets. Safe to call again: stored bytes are
 * not imported twice.
 */
export async function ensureBundledDatasets(ws: Workspace, opts: { example?: boolean } = {}): Promise<ImportResult[]> {
  const manifest = JSON.parse(readFileSync(join(BUNDLED_LISTS_DIR, 'manifest.json'), 'utf8')) as { files: ManifestEntry[] };
  const out: ImportResult[] = [];
  for (const e of manifest.files) {
    out.push(
      await importDataset(ws, e.sourceId, join(BUNDLED_LISTS_DIR, e.file), {
        complete: e.complete,
        sourceUrl: e.sourceUrl,
        retrievedAt: e.retrievedAt,
        ...(e.coverage?.from ? { coverageFrom: e.coverage.from } : {}),
        ...(e.coverage?.to ? { coverageTo: e.coverage.to } : {}),
        notes: e.note ?? 'bundled snapshot written for claimtrace from public facts',
        rejudge: false,
      }),
    );
  }
  if (opts.example) {
    for (const [file, sourceId] of Object.entries(EXAMPLE_DATASETS)) {
      out.push(await importDataset(ws, sourceId, join(EXAMPLE_DATA_DIR, file), { retrievedAt: '2026-11-23', notes: 'FICTIONAL dataset for the bundled example case', rejudge: false }));
    }
  }
  if (out.some((r) => r.created)) await judgeWorkspaceClaims(ws);
  return out;
}
