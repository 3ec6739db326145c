import type { Actor, ActorKind, Relationship, RelationshipType } from '../../domain/subject.js';
import { AppError } from '../../errors.js';
import type { ListRecord, LoadedDataset } from '../types.js';
import { isoDayOf, uniq } from './util.js';

export const FTM_URL = 'https://www.opensanctions.org/datasets/';

/** OpenSanctions dataset names that are lists of the brief; others become `ftm:<dataset>`. */
export const FTM_DATASET_ROUTES: Readonly<Record<string, string>> = {
  us_ofac_sdn: 'ofac-sdn',
  us_ofac_cons: 'ofac-ns-cmic',
  us_bis_entity: 'us-entity-list',
  us_dod_chinese_milcorps: 'us-1260h',
  us_fcc_covered_list: 'fcc-covered-list',
  us_dhs_uflpa: 'uflpa',
};

interface FtmEntity {
  id: string;
  schema: string;
  caption?: string;
  properties: Record<string, string[]>;
  datasets?: string[];
  first_seen?: string;
}

function readEntities(text: string): FtmEntity[] {
  const out: FtmEntity[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as FtmEntity;
      if (typeof e.id === 'string' && typeof e.schema === 'string') out.push({ ...e, properties: e.properties ?? {} });
    } catch {
      throw new AppError('parse_failed', `FollowTheMoney line ${i + 1} is not JSON`);
    }
  });
  return out;
}

const PARTY_SCHEMATA = new Set(['Person', 'Company', 'Organization', 'LegalEntity', 'PublicBody', 'Vessel', 'Airplane']);

function p(e: FtmEntity, key: string): string[] {
  return e.properties[key] ?? [];
}

function earliest(days: string[]): string | null {
  return days.map((d) => isoDayOf(d)).filter((d): d is string => d !== null).sort()[0] ?? null;
}

/**
 * Reads FollowTheMoney JSON lines: each Sanction entity becomes a listing of the entity it
 * targets, on the list its dataset stands for, with its program, dates and source URL.
 */
export function loadFtm(text: string): LoadedDataset {
  const entities = readEntities(text);
  const byId = new Map(entities.map((e) => [e.id, e]));
  const warnings: string[] = [];
  const records: ListRecord[] = [];
  for (const s of entities.filter((e) => e.schema === 'Sanction')) {
    const target = byId.get(p(s, 'entity')[0] ?? '');
    if (!target) {
      warnings.push(`sanction ${s.id}: its entity is not in the file; skipped`);
      continue;
    }
    const [name, ...aliases] = uniq([...p(target, 'name'), ...p(target, 'alias'), ...p(target, 'previousName')]);
    const dataset = s.datasets?.[0] ?? 'unknown';
    records.push({
      listId: FTM_DATASET_ROUTES[dataset] ?? `ftm:${dataset}`,
      recordKey: s.id,
      name: name ?? target.caption ?? target.id,
      aliases,
      entityType: target.schema.toLowerCase(),
      listedFrom: earliest([...p(s, 'listingDate'), ...p(s, 'startDate')]),
      listedUntil: earliest(p(s, 'endDate')),
      programs: uniq([...p(s, 'program'), ...p(s, 'programId')]),
      country: p(target, 'country')[0] ?? p(target, 'jurisdiction')[0] ?? null,
      parentName: null,
      coversSubsidiaries: false,
      category: false,
      sourceUrl: p(s, 'sourceUrl')[0] ?? FTM_URL,
      raw: { sanctionId: s.id, entityId: target.id, authority: p(s, 'authority'), datasets: s.datasets ?? [] },
    });
  }
  return { sourceId: 'ftm', sourceUrl: FTM_URL, coverageFrom: null, coverageTo: null, complete: false, records, warnings };
}

/** An actor read from FtM, keyed by its FtM id in externalId. */
export type FtmActor = Omit<Actor, 'id'>;
/** A relationship read from FtM; its ends are FtM ids, to be resolved to actor ids on import. */
export type FtmRelationship = Omit<Relationship, 'id' | 'fromActorId' | 'toActorId'> & { fromExternalId: string; toExternalId: string };

const REL: Record<string, { type: RelationshipType; from: string; to: string }> = {
  Ownership: { type: 'ownership', from: 'owner', to: 'asset' },
  Employment: { type: 'employment', from: 'employer', to: 'employee' },
  Membership: { type: 'membership', from: 'organization', to: 'member' },
  Directorship: { type: 'directorship', from: 'organization', to: 'director' },
};

function kindOf(schema: string): ActorKind {
  if (schema === 'Person') return 'person';
  if (schema === 'Company') return 'company';
  if (schema === 'PublicBody') return 'government';
  return 'organization';
}

/** Actors and relationships (ownership, employment, membership, directorship) from FtM JSON lines. */
export function loadFtmGraph(text: string): { actors: FtmActor[]; relationships: FtmRelationship[] } {
  const entities = readEntities(text);
  const actors: FtmActor[] = entities
    .filter((e) => PARTY_SCHEMATA.has(e.schema) && e.schema !== 'Vessel' && e.schema !== 'Airplane')
    .map((e) => {
      const [name, ...aliases] = uniq([...p(e, 'name'), ...p(e, 'alias')]);
      return {
        name: name ?? e.caption ?? e.id,
        kind: kindOf(e.schema),
        aliases,
        externalId: e.id,
        country: p(e, 'country')[0] ?? p(e, 'jurisdiction')[0] ?? p(e, 'nationality')[0] ?? null,
        description: p(e, 'summary')[0] ?? p(e, 'notes')[0] ?? null,
      };
    });
  const relationships: FtmRelationship[] = [];
  for (const e of entities) {
    const spec = REL[e.schema];
    if (!spec) continue;
    const from = p(e, spec.from)[0];
    const to = p(e, spec.to)[0];
    if (!from || !to) continue;
    const pct = Number.parseFloat((p(e, 'percentage')[0] ?? '').replace('%', ''));
    relationships.push({
      fromExternalId: from,
      toExternalId: to,
      type: spec.type,
      share: Number.isFinite(pct) ? pct : null,
      role: p(e, 'role')[0] ?? null,
      startDate: isoDayOf(p(e, 'startDate')[0]),
      endDate: isoDayOf(p(e, 'endDate')[0]),
      source: `ftm:${e.id}`,
    });
  }
  return { actors, relationships };
}
