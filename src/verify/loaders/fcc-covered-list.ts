import { parseHTML } from 'linkedom';
import { AppError } from '../../errors.js';
import type { ListRecord, LoadedDataset } from '../types.js';
import { parseCsv } from './csv.js';
import { isoDayOf, slug } from './util.js';

export const FCC_COVERED_LIST_URL = 'https://www.fcc.gov/supplychain/coveredlist';

/** The Covered List's first publication: before it there was no list to be on. */
export const FCC_COVERED_LIST_FIRST = '2021-03-12';

// The company is named after "produced/provided/supplied ... by" and ends where the legal
// qualifiers start ("including", "subject to section 214", "or any of its ...").
const BY_ENTITY =
  /(?:produced|provided|supplied)(?:,\s*directly or indirectly,)?\s+by\s+(.+?)(?=,\s(?!(?:Inc|Ltd|LLC|Co|Corp|S\.A)\b)|\s+or any of|\s+subject to|\s+to the extent|\s+and its wholly[- ]owned subsidiary|\.?\s*$)/i;
const SUBSIDIARY = /and its wholly[- ]owned subsidiary\s+(.+?)(?=\s+subject to|,\s|\.?\s*$)/i;

/** One row of the table as published: what is covered, and the inclusion date text. */
export interface FccRow {
  covered: string;
  dateText: string;
}

function rowToRecords(row: FccRow, index: number, sourceUrl: string, warnings: string[]): ListRecord[] {
  const covered = row.covered.replace(/\s+/g, ' ').trim();
  // "December 22, 2025Updated:January 7, 2026Updated:..." : the first date is inclusion, the rest amendments.
  const [first, ...updates] = row.dateText.split(/Updated:/i).map((s) => s.trim()).filter((s) => s.length > 0);
  const listedFrom = isoDayOf(first);
  if (!listedFrom) warnings.push(`row ${index + 1}: unreadable inclusion date "${row.dateText}"`);
  const updated = updates.map((u) => isoDayOf(u) ?? u);
  const m = BY_ENTITY.exec(covered);
  const base = {
    listId: 'fcc-covered-list',
    listedFrom,
    listedUntil: null,
    programs: ['Secure and Trusted Communications Networks Act of 2019'],
    country: null,
    parentName: null,
    // The list says its entries are to be read to include subsidiaries and affiliates.
    coversSubsidiaries: true,
    sourceUrl,
    raw: { covered, dateText: row.dateText, updated },
  };
  if (!m) {
    const label = covered.length > 90 ? `${covered.slice(0, 87).trimEnd()}...` : covered;
    return [{ ...base, recordKey: `category-${listedFrom ?? index}-${index + 1}`, name: label, aliases: [], entityType: 'category', category: true }];
  }
  const name = m[1]!.trim();
  const out: ListRecord[] = [{ ...base, recordKey: slug(name), name, aliases: [], entityType: 'company', category: false }];
  const sub = SUBSIDIARY.exec(covered);
  if (sub) {
    const subName = sub[1]!.trim();
    out.push({ ...base, recordKey: slug(subName), name: subName, aliases: [], entityType: 'company', category: false, parentName: name });
  }
  return out;
}

function toDataset(rows: FccRow[], sourceUrl: string): LoadedDataset {
  const warnings: string[] = [];
  const records = rows.flatMap((r, i) => rowToRecords(r, i, sourceUrl, warnings));
  if (records.length === 0) throw new AppError('parse_failed', 'no Covered List rows found: expected a two-column table of covered equipment and inclusion dates');
  return { sourceId: 'fcc-covered-list', sourceUrl, coverageFrom: FCC_COVERED_LIST_FIRST, coverageTo: null, complete: true, records, warnings };
}

/** Reads the Covered List as the FCC publishes it: an HTML table of covered equipment and dates. */
export function loadFccCoveredListHtml(html: string, sourceUrl = FCC_COVERED_LIST_URL): LoadedDataset {
  const { document } = parseHTML(html);
  const rows: FccRow[] = [];
  for (const tr of Array.from(document.querySelectorAll('tr'))) {
    const cells = Array.from(tr.querySelectorAll('td'));
    if (cells.length < 2) continue;
    // <br> between "Updated:" dates carries no text: give it a separator before reading text.
    for (const br of Array.from(cells[1]!.querySelectorAll('br'))) br.replaceWith(document.createTextNode(' '));
    rows.push({ covered: cells[0]!.textContent ?? '', dateText: (cells[1]!.textContent ?? '').replace(/\s+/g, ' ').trim() });
  }
  return toDataset(rows, sourceUrl);
}

/** Reads the two-column CSV scrape of the Covered List (covered equipment or services, date of inclusion). */
export function loadFccCoveredListCsv(text: string, sourceUrl = FCC_COVERED_LIST_URL): LoadedDataset {
  const rows = parseCsv(text);
  const body = rows[0] && /covered|equipment/i.test(rows[0][0] ?? '') ? rows.slice(1) : rows;
  return toDataset(body.filter((r) => r.length >= 2).map((r) => ({ covered: r[0]!, dateText: r[1]! })), sourceUrl);
}
