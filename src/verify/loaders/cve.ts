import { AppError } from '../../errors.js';
import type { CveRecord, LoadedDataset } from '../types.js';
import { isoDayOf, uniq } from './util.js';

interface Cna {
  affected?: { vendor?: string; product?: string }[];
  descriptions?: { lang?: string; value?: string }[];
  problemTypes?: { descriptions?: { cweId?: string; description?: string }[] }[];
  references?: { url?: string }[];
  datePublic?: string;
}

/**
 * Reads one CVE JSON 5 record (or an array of them). A record without datePublished keeps
 * published null: the verdict then cannot say the flaw was public on a given day.
 */
export function loadCveJson(text: string): LoadedDataset {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AppError('parse_failed', `CVE JSON does not parse: ${(err as Error).message}`);
  }
  const docs = Array.isArray(doc) ? doc : [doc];
  const cves: CveRecord[] = [];
  const warnings: string[] = [];
  for (const d of docs as Record<string, unknown>[]) {
    const meta = (d['cveMetadata'] ?? {}) as Record<string, string | undefined>;
    const cna = ((d['containers'] as Record<string, unknown> | undefined)?.['cna'] ?? {}) as Cna;
    const cveId = meta['cveId'];
    if (d['dataType'] !== 'CVE_RECORD' || !cveId) {
      warnings.push('an entry that is not a CVE JSON 5 record was skipped');
      continue;
    }
    if (meta['state'] === 'REJECTED') {
      warnings.push(`${cveId} is rejected; skipped`);
      continue;
    }
    const affected = cna.affected ?? [];
    const cwes = uniq(
      (cna.problemTypes ?? []).flatMap((pt) => (pt.descriptions ?? []).map((x) => x.cweId ?? /CWE-\d+/.exec(x.description ?? '')?.[0] ?? '')).filter((c) => c),
    );
    const published = isoDayOf(meta['datePublished']) ?? isoDayOf(cna.datePublic);
    if (!published) warnings.push(`${cveId}: no publication date in the record`);
    cves.push({
      cveId,
      vendor: affected.find((a) => a.vendor)?.vendor ?? '',
      products: uniq(affected.map((a) => a.product ?? '').filter((x) => x)),
      cwes,
      published,
      description: (cna.descriptions ?? []).find((x) => x.lang?.startsWith('en'))?.value ?? cna.descriptions?.[0]?.value ?? '',
      sourceUrl: cna.references?.[0]?.url ?? `https://www.cve.org/CVERecord?id=${cveId}`,
    });
  }
  if (cves.length === 0) throw new AppError('parse_failed', 'no CVE JSON 5 records found');
  return { sourceId: 'cve', sourceUrl: 'https://www.cve.org/', coverageFrom: null, coverageTo: null, complete: false, records: [], cves, warnings };
}
