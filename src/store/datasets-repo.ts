import { newId } from '../domain/ids.js';
import type { Db } from './database.js';
import type { CveRecordRow, RecordRow } from './schema.js';

/** A dataset version as stored: one retrieved snapshot of one source. */
export interface DatasetVersion {
  id: string;
  sourceId: string;
  sourceUrl: string | null;
  retrievedAt: string;
  sha256: string;
  coverageFrom: string | null;
  coverageTo: string | null;
  complete: boolean;
  listIds: string[];
  warnings: string[];
  fictional: boolean;
  recordCount: number;
  fileName: string | null;
  notes: string | null;
  createdAt: string;
}

export interface StoredListRecord {
  id: string;
  datasetVersionId: string;
  listId: string;
  recordKey: string;
  name: string;
  aliases: string[];
  entityType: string | null;
  listedFrom: string | null;
  listedUntil: string | null;
  programs: string[];
  country: string | null;
  parentName: string | null;
  coversSubsidiaries: boolean;
  category: boolean;
  sourceUrl: string | null;
  raw: Record<string, unknown>;
}

export interface StoredCve {
  id: string;
  datasetVersionId: string;
  cveId: string;
  vendor: string | null;
  products: string[];
  cwes: string[];
  published: string | null;
  description: string | null;
  sourceUrl: string | null;
}

export type NewDatasetVersion = Omit<DatasetVersion, 'id' | 'createdAt' | 'recordCount'>;
export type NewListRecord = Omit<StoredListRecord, 'id' | 'datasetVersionId'>;
export type NewCve = Omit<StoredCve, 'id' | 'datasetVersionId'>;

const CHUNK = 500;

/** Dataset versions, their list records and CVE records. */
export class DatasetsRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  async findBySha(sourceId: string, sha256: string): Promise<DatasetVersion | null> {
    const all = await this.versions();
    return all.find((v) => v.sourceId === sourceId && v.sha256 === sha256) ?? null;
  }

  /** Stores a version with all its records in one transaction: a version is never half there. */
  async insertVersion(v: NewDatasetVersion, records: NewListRecord[], cves: NewCve[]): Promise<DatasetVersion> {
    const id = newId('dsv');
    const createdAt = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('dataset_versions')
        .values({
          id,
          workspace_id: this.workspaceId,
          source_id: v.sourceId,
          source_url: v.sourceUrl,
          retrieved_at: v.retrievedAt,
          sha256: v.sha256,
          coverage_from: v.coverageFrom,
          coverage_to: v.coverageTo,
          complete: v.complete ? 1 : 0,
          list_ids_json: JSON.stringify(v.listIds),
          warnings_json: JSON.stringify(v.warnings),
          fictional: v.fictional ? 1 : 0,
          record_count: records.length + cves.length,
          file_name: v.fileName,
          notes: v.notes,
          created_at: createdAt,
        })
        .execute();
      const rows: RecordRow[] = records.map((r) => ({
        id: newId('rec'),
        dataset_version_id: id,
        list_id: r.listId,
        record_key: r.recordKey,
        name: r.name,
        aliases_json: JSON.stringify(r.aliases),
        entity_type: r.entityType,
        listed_from: r.listedFrom,
        listed_until: r.listedUntil,
        programs_json: JSON.stringify(r.programs),
        country: r.country,
        parent_name: r.parentName,
        covers_subsidiaries: r.coversSubsidiaries ? 1 : 0,
        category: r.category ? 1 : 0,
        source_url: r.sourceUrl,
        raw_json: JSON.stringify(r.raw),
      }));
      for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('records').values(rows.slice(i, i + CHUNK)).execute();
      const cveRows: CveRecordRow[] = cves.map((c) => ({
        id: newId('cve'),
        dataset_version_id: id,
        cve_id: c.cveId,
        vendor: c.vendor,
        products_json: JSON.stringify(c.products),
        cwes_json: JSON.stringify(c.cwes),
        published: c.published,
        description: c.description,
        source_url: c.sourceUrl,
      }));
      for (let i = 0; i < cveRows.length; i += CHUNK) await trx.insertInto('cve_records').values(cveRows.slice(i, i + CHUNK)).execute();
    });
    return { ...v, id, createdAt, recordCount: records.length + cves.length };
  }

  async versions(): Promise<DatasetVersion[]> {
    const rows = await this.db.selectFrom('dataset_versions').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('source_id').orderBy('retrieved_at').orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id,
      sourceId: r.source_id,
      sourceUrl: r.source_url,
      retrievedAt: r.retrieved_at,
      sha256: r.sha256,
      coverageFrom: r.coverage_from,
      coverageTo: r.coverage_to,
      complete: r.complete === 1,
      listIds: JSON.parse(r.list_ids_json) as string[],
      warnings: JSON.parse(r.warnings_json) as string[],
      fictional: r.fictional === 1,
      recordCount: Number(r.record_count),
      fileName: r.file_name,
      notes: r.notes,
      createdAt: r.created_at,
    }));
  }

  async records(): Promise<StoredListRecord[]> {
    const rows = await this.db
      .selectFrom('records')
      .innerJoin('dataset_versions', 'dataset_versions.id', 'records.dataset_version_id')
      .selectAll('records')
      .where('dataset_versions.workspace_id', '=', this.workspaceId)
      .orderBy('records.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      datasetVersionId: r.dataset_version_id,
      listId: r.list_id,
      recordKey: r.record_key,
      name: r.name,
      aliases: JSON.parse(r.aliases_json) as string[],
      entityType: r.entity_type,
      listedFrom: r.listed_from,
      listedUntil: r.listed_until,
      programs: JSON.parse(r.programs_json) as string[],
      country: r.country,
      parentName: r.parent_name,
      coversSubsidiaries: r.covers_subsidiaries === 1,
      category: r.category === 1,
      sourceUrl: r.source_url,
      raw: JSON.parse(r.raw_json) as Record<string, unknown>,
    }));
  }

  async cves(): Promise<StoredCve[]> {
    const rows = await this.db
      .selectFrom('cve_records')
      .innerJoin('dataset_versions', 'dataset_versions.id', 'cve_records.dataset_version_id')
      .selectAll('cve_records')
      .where('dataset_versions.workspace_id', '=', this.workspaceId)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      datasetVersionId: r.dataset_version_id,
      cveId: r.cve_id,
      vendor: r.vendor,
      products: JSON.parse(r.products_json) as string[],
      cwes: JSON.parse(r.cwes_json) as string[],
      published: r.published,
      description: r.description,
      sourceUrl: r.source_url,
    }));
  }
}
