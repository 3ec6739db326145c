import { AppError } from '../../errors.js';
import type { ListRecord, LoadedDataset } from '../types.js';
import { parseCsvObjects } from './csv.js';
import { isoDayOf, slug, splitList } from './util.js';

export const CSL_URL = 'https://www.trade.gov/consolidated-screening-list';

/**
 * Where each Consolidated Screening List source goes, keyed by the abbreviation the `source`
 * column carries in parentheses ("Entity List (EL) - Bureau of Industry and Security").
 * The brief's list ids take EL, SDN and CMIC; every other source keeps an id of its own so a
 * Denied Persons entry is never mistaken for an Entity List entry.
 */
export const CSL_SOURCE_ROUTES: Readonly<Record<string, string>> = {
  EL: 'us-entity-list',
  SDN: 'ofac-sdn',
  CMIC: 'ofac-ns-cmic',
  MEU: 'us-meu',
  UVL: 'us-uvl',
  DPL: 'us-dpl',
  ISN: 'us-isn',
  DTC: 'us-itar-debarred',
  FSE: 'ofac-fse',
  SSI: 'ofac-ssi',
  PLC: 'ofac-plc',
  CAP: 'ofac-cap',
  MBS: 'ofac-mbs',
};

/** The list id for a CSL `source` value, or null when the source is not in the routing table. */
export function cslListId(source: string): string | null {
  const abbr = /\(([A-Z-]+)\)/.exec(source)?.[1];
  if (abbr && CSL_SOURCE_ROUTES[abbr]) return CSL_SOURCE_ROUTES[abbr];
  if (/non-sdn.*(?:cmic|chinese military)/i.test(source)) return 'ofac-ns-cmic';
  return null;
}

const SUBSIDIARY_CLAUSE = /[;,]?\s*and any successor,? sub-unit,? or subsidiary thereof\.?$/i;

interface CslRow {
  id: string;
  source: string;
  type: string;
  programs: string[];
  name: string;
  altNames: string[];
  start: string | null;
  end: string | null;
  sourceUrl: string;
  country: string | null;
  raw: Record<string, unknown>;
}

function toRecord(r: CslRow, warnings: string[]): ListRecord | null {
  const listId = cslListId(r.source);
  if (!listId) {
    warnings.push(`row ${r.id}: source "${r.source}" is not in the routing table; skipped`);
    return null;
  }
  const coversSubsidiaries = SUBSIDIARY_CLAUSE.test(r.name);
  const name = r.name.replace(SUBSIDIARY_CLAUSE, '').trim();
  return {
    listId,
    recordKey: r.id || slug(name),
    name,
    aliases: r.altNames,
    entityType: r.type ? r.type.toLowerCase() : 'entity',
    listedFrom: r.start,
    listedUntil: r.end,
    programs: r.programs,
    country: r.country,
    parentName: null,
    coversSubsidiaries,
    category: false,
    sourceUrl: r.sourceUrl || CSL_URL,
    raw: r.raw,
  };
}

function countryOfAddresses(addresses: string): string | null {
  // CSV addresses end with a two-letter country code: "Komitas 26/114, Yerevan, Armenia, AM".
  const m = /,\s*([A-Z]{2})\s*(?:;|$)/.exec(addresses);
  return m ? m[1]!.toLowerCase() : null;
}

function dataset(rows: CslRow[], warnings: string[]): LoadedDataset {
  const records = rows.map((r) => toRecord(r, warnings)).filter((r): r is ListRecord => r !== null);
  // The CSL shows the lists as they stand on the day it is fetched: complete for that day only.
  return { sourceId: 'csl', sourceUrl: CSL_URL, coverageFrom: null, coverageTo: null, complete: true, records, warnings };
}

/** Reads the trade.gov Consolidated Screening List CSV, routing rows to list ids by their `source`. */
export function loadCslCsv(text: string): LoadedDataset {
  const rows = parseCsvObjects(text);
  if (rows.length > 0 && !('source' in rows[0]! && 'name' in rows[0]!)) {
    throw new AppError('parse_failed', 'not a Consolidated Screening List CSV: the header needs source and name columns');
  }
  const warnings: string[] = [];
  return dataset(
    rows.map((r) => ({
      id: r['_id'] ?? '',
      source: r['source'] ?? '',
      type: r['type'] ?? '',
      programs: splitList(r['programs']),
      name: r['name'] ?? '',
      altNames: splitList(r['alt_names']),
      start: isoDayOf(r['start_date']),
      end: isoDayOf(r['end_date']),
      sourceUrl: r['source_list_url'] || r['source_information_url'] || '',
      country: countryOfAddresses(r['addresses'] ?? ''),
      raw: r,
    })),
    warnings,
  );
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strs(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => str(x)).filter((x) => x);
  return splitList(str(v));
}

/** Reads the CSL JSON variant: records under `results[]`, `id` for `_id`, addresses as objects. */
export function loadCslJson(text: string): LoadedDataset {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AppError('parse_failed', `CSL JSON does not parse: ${(err as Error).message}`);
  }
  const results = (doc as { results?: unknown }).results;
  if (!Array.isArray(results)) throw new AppError('parse_failed', 'CSL JSON has no results[] array');
  const warnings: string[] = [];
  return dataset(
    results.map((x) => {
      const r = x as Record<string, unknown>;
      const addresses = Array.isArray(r['addresses']) ? (r['addresses'] as Record<string, unknown>[]) : [];
      return {
        id: str(r['id'] ?? r['_id']),
        source: str(r['source']),
        type: str(r['type']),
        programs: strs(r['programs']),
        name: str(r['name']),
        altNames: strs(r['alt_names']),
        start: isoDayOf(str(r['start_date'])),
        end: isoDayOf(str(r['end_date'])),
        sourceUrl: str(r['source_list_url']) || str(r['source_information_url']),
        country: str(addresses[0]?.['country']).toLowerCase() || null,
        raw: r,
      };
    }),
    warnings,
  );
}
