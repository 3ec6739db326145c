import { normaliseName } from '../../domain/name-match.js';
import { AppError } from '../../errors.js';
import type { ListRecord, LoadedDataset } from '../types.js';
import { parseCsvObjects } from './csv.js';
import { isoDayOf, slug, splitList, uniq } from './util.js';

export const DOD_1260H_URL =
  'https://www.war.gov/News/Releases/Release/Article/4511232/dow-releases-list-of-chinese-military-companies-in-accordance-with-section-1260/';

/**
 * From this edition on, each edition is the whole list, so an entity missing from an edition
 * was removed. Earlier editions only added names (and the file marks removals with End date).
 */
export const DOD_1260H_FULL_EDITIONS_FROM = '2025-01-07';

interface Row {
  name: string;
  aliases: string[];
  previous: string[];
  parent: string | null;
  note: string;
  start: string;
  end: string | null;
  sourceUrl: string | null;
  line: number;
}

/** Union-find over names, so one entity is followed across editions that rename it. */
class Groups {
  private parent = new Map<number, number>();
  find(i: number): number {
    let p = this.parent.get(i) ?? i;
    if (p !== i) {
      p = this.find(p);
      this.parent.set(i, p);
    }
    return p;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

function readRows(text: string, warnings: string[]): Row[] {
  const rows: Row[] = [];
  parseCsvObjects(text).forEach((r, i) => {
    const name = (r['Clean Name'] || r['Name'] || '').replace(/\*+\s*$/, '').trim();
    const start = isoDayOf(r['Start date']);
    if (!name || !start) {
      warnings.push(`line ${i + 2}: skipped, no name or unreadable start date`);
      return;
    }
    rows.push({
      name,
      aliases: splitList(r['Alias']),
      previous: splitList(r['Previous Name']),
      parent: r['Parent Name']?.trim() || null,
      note: r['Note']?.trim() ?? '',
      start,
      end: isoDayOf(r['End date']),
      sourceUrl: r['Source Url']?.trim() || null,
      line: i + 2,
    });
  });
  return rows;
}

/**
 * Reads the DoD Section 1260H list in the edition CSV shape (one row per entity per edition:
 * Name, Clean Name, Alias, Previous Name, Parent Name, Note, Start date, End date, Source Url)
 * and turns it into one record per entity per continuous listing period. Pass complete=false for
 * a curated subset (such as the bundled snapshot), which may confirm a listing but never a removal. Before the first full
 * edition the list at a date is the union of the earlier editions' rows; from it on, absence
 * from an edition is removal. Gaps this produces are reported as warnings, never smoothed over.
 */
export function loadDod1260hCsv(text: string, sourceUrl = DOD_1260H_URL, complete = true): LoadedDataset {
  const warnings: string[] = [];
  const rows = readRows(text, warnings);
  if (rows.length === 0) throw new AppError('parse_failed', '1260H file has no readable rows (expected columns Name, Clean Name, Alias, Start date, ...)');
  const editions = uniq(rows.map((r) => r.start)).sort();
  const fullEditions = editions.filter((e) => e >= DOD_1260H_FULL_EDITIONS_FROM);

  // Rows that share a name, alias or previous name are the same entity.
  const groups = new Groups();
  const byKey = new Map<string, number>();
  rows.forEach((r, i) => {
    for (const n of [r.name, ...r.aliases, ...r.previous]) {
      const k = normaliseName(n);
      if (!k) continue;
      const j = byKey.get(k);
      if (j === undefined) byKey.set(k, i);
      else groups.union(i, j);
    }
  });
  const entities = new Map<number, Row[]>();
  rows.forEach((r, i) => {
    const g = groups.find(i);
    entities.set(g, [...(entities.get(g) ?? []), r]);
  });

  const records: ListRecord[] = [];
  for (const entityRows of entities.values()) {
    entityRows.sort((a, b) => a.start.localeCompare(b.start));
    const latest = entityRows[entityRows.length - 1]!;
    const intervals: [string, string | null][] = [];
    for (const r of entityRows) {
      let until: string | null = r.end;
      if (r.start < DOD_1260H_FULL_EDITIONS_FROM) {
        if (!until || until > DOD_1260H_FULL_EDITIONS_FROM) until = fullEditions.length ? DOD_1260H_FULL_EDITIONS_FROM : until;
      } else {
        const next = fullEditions.find((e) => e > r.start) ?? null;
        if (next && (!until || until > next)) until = next;
      }
      intervals.push([r.start, until]);
    }
    // Merge touching periods: listed in 2024-01-31 and again in the full 2025-01-07 edition is one stay.
    const merged: [string, string | null][] = [];
    for (const [from, until] of intervals.sort((a, b) => a[0].localeCompare(b[0]))) {
      const last = merged[merged.length - 1];
      if (last && (last[1] === null || last[1] >= from)) {
        if (last[1] !== null && (until === null || until > last[1])) last[1] = until;
      } else merged.push([from, until]);
    }
    const wasPreFull = entityRows.some((r) => r.start < DOD_1260H_FULL_EDITIONS_FROM && !r.end);
    const inFirstFull = entityRows.some((r) => r.start === fullEditions[0]);
    if (wasPreFull && fullEditions.length && !inFirstFull) {
      warnings.push(
        `${latest.name}: listed before ${DOD_1260H_FULL_EDITIONS_FROM} with no removal date but absent from the full ${fullEditions[0]} edition; ` +
          `treated as removed on ${fullEditions[0]}` +
          (merged.length > 1 ? `, and listed again from ${merged[merged.length - 1]![0]}: check the source for a gap that may not be real` : ''),
      );
    }
    const aliases = uniq(entityRows.flatMap((r) => [...r.aliases, ...r.previous, r.name])).filter((n) => n !== latest.name);
    merged.forEach(([from, until], k) => {
      const inPeriod = entityRows.filter((r) => r.start >= from && (until === null || r.start < until));
      const src = [...inPeriod].reverse().find((r) => r.sourceUrl)?.sourceUrl ?? sourceUrl;
      records.push({
        listId: 'us-1260h',
        recordKey: `${slug(latest.name)}@${from}`,
        name: latest.name,
        aliases,
        entityType: 'company',
        listedFrom: from,
        listedUntil: until,
        programs: ['FY2021 NDAA section 1260H'],
        country: 'cn',
        parentName: [...entityRows].reverse().find((r) => r.parent)?.parent ?? null,
        coversSubsidiaries: false,
        category: false,
        sourceUrl: src,
        raw: {
          editions: inPeriod.map((r) => r.start),
          notes: uniq(inPeriod.map((r) => r.note).filter((n) => n)),
          lines: inPeriod.map((r) => r.line),
          period: k + 1,
        },
      });
    });
  }
  records.sort((a, b) => a.recordKey.localeCompare(b.recordKey));
  return { sourceId: 'us-1260h', sourceUrl, coverageFrom: editions[0]!, coverageTo: null, complete, records, warnings };
}
