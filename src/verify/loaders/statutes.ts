import { AppError } from '../../errors.js';
import type { ListRecord, LoadedDataset } from '../types.js';
import { parseCsvObjects } from './csv.js';
import { isoDayOf, slug, splitList } from './util.js';

/** The list id for a statute program ("Section 889 of the ... NDAA FY2019" -> ndaa-889). */
export function statuteListId(program: string): string {
  const section = /Section\s+(\d+)/i.exec(program)?.[1];
  if (section === '889') return 'ndaa-889';
  return section ? `us-statute-${section}` : 'us-statute';
}

/**
 * Reads companies named in statutes (columns schema, name, aliases, program, start-date,
 * source_url, ...). A statute names its companies once and in full, so the file is complete.
 * NDAA 889 covers the named companies' subsidiaries and affiliates.
 */
export function loadStatuteCsv(text: string, filename = ''): LoadedDataset {
  const rows = parseCsvObjects(text);
  if (rows.length === 0 || !('name' in rows[0]!)) throw new AppError('parse_failed', `${filename || 'statute file'}: expected a CSV with a name column`);
  const listIds = new Set<string>();
  const records: ListRecord[] = rows.map((r) => {
    const listId = statuteListId(r['program'] ?? filename);
    listIds.add(listId);
    return {
      listId,
      recordKey: slug(r['name'] ?? ''),
      name: r['name'] ?? '',
      aliases: splitList(r['aliases']),
      entityType: (r['schema'] ?? 'company').toLowerCase(),
      listedFrom: isoDayOf(r['start-date']),
      listedUntil: isoDayOf(r['end-date']),
      programs: splitList(r['program']),
      country: r['country'] || null,
      parentName: null,
      coversSubsidiaries: listId === 'ndaa-889',
      category: false,
      sourceUrl: r['source_url'] ?? '',
      raw: r,
    };
  });
  const sourceId = listIds.size === 1 ? [...listIds][0]! : 'us-statutes';
  return { sourceId, sourceUrl: records[0]?.sourceUrl ?? '', coverageFrom: null, coverageTo: null, complete: true, records, warnings: [] };
}
