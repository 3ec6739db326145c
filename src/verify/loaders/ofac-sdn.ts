import { AppError } from '../../errors.js';
import type { ListRecord, LoadedDataset } from '../types.js';
import { parseCsv } from './csv.js';

export const OFAC_SDN_URL = 'https://sanctionslist.ofac.treas.gov/Home/SdnList';

/** OFAC's marker for an empty field. */
function val(s: string | undefined): string | null {
  const t = (s ?? '').trim();
  return t === '' || t === '-0-' ? null : t;
}

/** The legacy OFAC files: sdn.csv (required) with alt.csv and add.csv beside it when present. */
export interface OfacSdnFiles {
  sdn: string;
  alt?: string;
  add?: string;
}

/**
 * Reads OFAC's legacy SDN CSV files (no header, `-0-` for empty, CRLF, a trailing 0x1A).
 * Programs written as "SDGT] [CYBER2" become separate programs; aliases come from alt.csv and
 * the country from the first address in add.csv.
 */
export function loadOfacSdn(files: OfacSdnFiles): LoadedDataset {
  const warnings: string[] = [];
  const aliases = new Map<string, string[]>();
  for (const r of files.alt ? parseCsv(files.alt) : []) {
    const ent = val(r[0]);
    const name = val(r[3]);
    if (ent && name) aliases.set(ent, [...(aliases.get(ent) ?? []), name]);
  }
  const countries = new Map<string, string>();
  for (const r of files.add ? parseCsv(files.add) : []) {
    const ent = val(r[0]);
    const country = val(r[4]);
    if (ent && country && !countries.has(ent)) countries.set(ent, country);
  }
  const records: ListRecord[] = [];
  for (const r of parseCsv(files.sdn)) {
    if (r.length < 4) {
      warnings.push(`row with ${r.length} columns skipped (sdn.csv rows have 12)`);
      continue;
    }
    const ent = val(r[0]);
    const name = val(r[1]);
    if (!ent || !name || !/^\d+$/.test(ent)) {
      warnings.push(`row "${r.slice(0, 2).join(',')}" skipped: no entity number or name`);
      continue;
    }
    const programs = (val(r[3]) ?? '').split(/\]\s*\[/).map((p) => p.replace(/[[\]]/g, '').trim()).filter((p) => p);
    records.push({
      listId: 'ofac-sdn',
      recordKey: ent,
      name,
      aliases: aliases.get(ent) ?? [],
      entityType: val(r[2]) ?? 'entity',
      // The legacy CSV carries no listing dates; the enhanced XML does.
      listedFrom: null,
      listedUntil: null,
      programs,
      country: countries.get(ent) ?? null,
      parentName: null,
      coversSubsidiaries: false,
      category: false,
      sourceUrl: OFAC_SDN_URL,
      raw: { title: val(r[4]), remarks: val(r[11]), callSign: val(r[5]), vesselType: val(r[6]), vesselFlag: val(r[9]) },
    });
  }
  if (records.length === 0) throw new AppError('parse_failed', 'sdn.csv has no readable entries (expected 12 columns, no header)');
  return { sourceId: 'ofac-sdn', sourceUrl: OFAC_SDN_URL, coverageFrom: null, coverageTo: null, complete: true, records, warnings };
}
