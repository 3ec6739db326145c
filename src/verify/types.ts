/**
 * What loaders return and screening and verdicts consume. Lists are identified by the list ids
 * of the domain brief (fcc-covered-list, us-1260h, ...); sources outside the brief get their own
 * ids (e.g. us-meu, ftm:gb_fcdo_sanctions) so nothing is silently merged.
 */

/** One entry of an official list, for one listing period. */
export interface ListRecord {
  listId: string;
  /** Stable key within the dataset (one entity may have several keys for several listing periods). */
  recordKey: string;
  name: string;
  aliases: string[];
  /** company, person, organization, vessel, category, ... as the source says. */
  entityType: string;
  /** First day on the list (ISO), null when the source gives no date. */
  listedFrom: string | null;
  /** First day no longer on the list (exclusive, ISO), null while listed. */
  listedUntil: string | null;
  programs: string[];
  country: string | null;
  parentName: string | null;
  /** The listing's own terms extend it to subsidiaries and affiliates (FCC Covered List, NDAA 889). */
  coversSubsidiaries: boolean;
  /** A row naming a class of products ("foreign-produced UAS") rather than an entity. */
  category: boolean;
  sourceUrl: string;
  raw: Record<string, unknown>;
}

/** A vulnerability record (CVE JSON 5). */
export interface CveRecord {
  cveId: string;
  vendor: string;
  products: string[];
  cwes: string[];
  /** ISO day the record was published, null when the record does not say. */
  published: string | null;
  description: string;
  sourceUrl: string;
}

/** The result of reading one source file: a dataset version's content before it is stored. */
export interface LoadedDataset {
  sourceId: string;
  sourceUrl: string;
  /**
   * Dates the file answers for. coverageFrom null means the file only shows the list as it stood
   * when retrieved (a snapshot such as the CSL): the store should use the retrieval day.
   * coverageTo null means open-ended: up to the retrieval day.
   */
  coverageFrom: string | null;
  coverageTo: string | null;
  /** True when the file is the whole list for its coverage (absence then means "not listed"). */
  complete: boolean;
  records: ListRecord[];
  cves?: CveRecord[];
  /** Source quirks kept visible: gaps, unreadable rows, suspicious removals. */
  warnings: string[];
}
