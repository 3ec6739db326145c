import { newId } from '../domain/ids.js';
import { AppError } from '../errors.js';
import type { Db } from './database.js';
import type { CaseRow } from './schema.js';

/** A stored case: the respondent, its status and the gathered file (kept as JSON by the respond stage). */
export interface CaseRecord {
  id: string;
  respondentActorId: string;
  respondentName: string;
  status: string;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** A campaign the actor is a member of. */
export interface CampaignMembership {
  campaignId: string;
  label: string;
  role: string | null;
  explanation: string;
  scores: Record<string, unknown>;
  createdAt: string;
}

function toRecord(r: CaseRow & { respondent_name: string }): CaseRecord {
  return {
    id: r.id,
    respondentActorId: r.respondent_actor_id,
    respondentName: r.respondent_name,
    status: r.status,
    data: JSON.parse(r.data_json) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Response cases, and the campaign memberships a case reads. */
export class CasesRepo {
  constructor(
    private readonly db: Db,
    private readonly workspaceId: string,
  ) {}

  private base() {
    return this.db
      .selectFrom('cases')
      .innerJoin('actors', 'actors.id', 'cases.respondent_actor_id')
      .selectAll('cases')
      .select('actors.name as respondent_name')
      .where('cases.workspace_id', '=', this.workspaceId);
  }

  async create(
    respondentActorId: string,
    status: string,
    data: Record<string, unknown>,
  ): Promise<CaseRecord> {
    const now = new Date().toISOString();
    const id = newId('case');
    await this.db
      .insertInto('cases')
      .values({
        id,
        workspace_id: this.workspaceId,
        respondent_actor_id: respondentActorId,
        status,
        data_json: JSON.stringify(data),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return this.require(id);
  }

  async get(id: string): Promise<CaseRecord | null> {
    const row = await this.base().where('cases.id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async require(id: string): Promise<CaseRecord> {
    const c = await this.get(id);
    if (!c) throw new AppError('not_found', `no case with id ${id}: list them with \`claimtrace case list\``);
    return c;
  }

  async list(filter: { status?: readonly string[] } = {}): Promise<CaseRecord[]> {
    let q = this.base().orderBy('cases.created_at').orderBy('cases.id');
    if (filter.status && filter.status.length > 0) q = q.where('cases.status', 'in', filter.status);
    return (await q.execute()).map(toRecord);
  }

  /** Sets the status only when it is still `from`, so two concurrent changes cannot both win. */
  async setStatus(id: string, from: string, to: string): Promise<boolean> {
    const r = await this.db
      .updateTable('cases')
      .set({ status: to, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('workspace_id', '=', this.workspaceId)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setData(id: string, data: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('cases')
      .set({ data_json: JSON.stringify(data), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('workspace_id', '=', this.workspaceId)
      .execute();
  }

  async campaignsOf(actorId: string): Promise<CampaignMembership[]> {
    const rows = await this.db
      .selectFrom('campaign_members')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_members.campaign_id')
      .select([
        'campaigns.id',
        'campaigns.label',
        'campaigns.explanation',
        'campaigns.scores_json',
        'campaigns.created_at',
        'campaign_members.role',
      ])
      .where('campaigns.workspace_id', '=', this.workspaceId)
      .where('campaign_members.actor_id', '=', actorId)
      .orderBy('campaigns.created_at')
      .orderBy('campaigns.id')
      .execute();
    return rows.map((r) => ({
      campaignId: r.id,
      label: r.label,
      role: r.role,
      explanation: r.explanation,
      scores: JSON.parse(r.scores_json) as Record<string, unknown>,
      createdAt: r.created_at,
    }));
  }

  /** Narratives by id, for the narratives a respondent's statements express. */
  async narratives(
    ids: readonly string[],
  ): Promise<
    { id: string; predicate: string; object: string | null; polarity: string; representative: string }[]
  > {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('narratives')
      .select(['id', 'predicate', 'object', 'polarity', 'representative'])
      .where('workspace_id', '=', this.workspaceId)
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    return rows;
  }
}
