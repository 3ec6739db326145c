import { parseHTML } from 'linkedom';
import { AppError } from '../../errors.js';
import type { ListRecord, LoadedDataset } from '../types.js';
import { isoDayOf, slug, uniq } from './util.js';

export const UFLPA_URL = 'https://www.dhs.gov/uflpa-entity-list';

/** Splits "Name (also known as A; B) (C)" into the name and its aliases. */
export function splitUflpaName(text: string): { name: string; aliases: string[] } {
  const aliases: string[] = [];
  let name = text.replace(/\s+/g, ' ').trim();
  for (const m of name.matchAll(/\(([^()]*)\)/g)) {
    const inner = m[1]!.replace(/^(?:also known as|formerly known as|a\.?k\.?a\.?|f\.?k\.?a\.?|including)[:\s]+/i, '');
    aliases.push(...inner.split(/;|,\s*(?:and\s+)?(?=[A-Z])/).map((s) => s.trim()).filter((s) => s.length > 1));
  }
  name = name.replace(/\([^()]*\)/g, '').replace(/\s+/g, ' ').replace(/[\s,;]+$/, '').trim();
  return { name, aliases: uniq(aliases) };
}

/**
 * Reads the DHS UFLPA Entity List page: one table per statute section, columns entity name
 * and effective date, aliases written into the name in parentheses.
 */
export function loadUflpaHtml(html: string, sourceUrl = UFLPA_URL): LoadedDataset {
  const { document } = parseHTML(html);
  const records: ListRecord[] = [];
  const warnings: string[] = [];
  for (const table of Array.from(document.querySelectorAll('table'))) {
    const caption = table.querySelector('caption')?.textContent?.trim() ?? '';
    let prev = table.previousElementSibling;
    while (prev && !/^H\d$/.test(prev.tagName)) prev = prev.previousElementSibling;
    const section = caption || prev?.textContent?.trim() || 'UFLPA';
    for (const tr of Array.from(table.querySelectorAll('tr'))) {
      const cells = Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim());
      if (cells.length < 1 || !cells[0]) continue;
      const { name, aliases } = splitUflpaName(cells[0]);
      const listedFrom = isoDayOf(cells[1]);
      if (cells[1] && !listedFrom) warnings.push(`${name}: unreadable effective date "${cells[1]}"`);
      records.push({
        listId: 'uflpa',
        recordKey: slug(name),
        name,
        aliases,
        entityType: 'entity',
        listedFrom,
        listedUntil: null,
        programs: [section],
        country: 'cn',
        parentName: null,
        coversSubsidiaries: /subsidiar/i.test(cells[0]),
        category: false,
        sourceUrl,
        raw: { cells, section },
      });
    }
  }
  if (records.length === 0) throw new AppError('parse_failed', 'no UFLPA tables found (expected tables of entity name and effective date)');
  return { sourceId: 'uflpa', sourceUrl, coverageFrom: null, coverageTo: null, complete: true, records, warnings };
}
