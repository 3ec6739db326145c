import { newId } from '../domain/ids.js';
import type { Db } from './database.js';

export interface CampaignToStore {
  label: string;
  explanation: string;
  scores: Record<string, number>;
  members: { actorId: string; role: string | null }[];
  data: Record<string, unknown>;
}

export interface StoredCampaign extends CampaignToStore {
  id: string;
  runId: string;
  createdAt: string;
}

/** Campaigns of the latest coordination run; a new run replaces the previous one whole. */
export class CampaignsRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  async replaceAll(campaigns: CampaignToStore[]): Promise<string> {
    const runId = newId('run');
    const old = await this.db.selectFrom('campaigns').select('id').where('workspace_id', '=', this.workspaceId).execute();
    if (old.length > 0) {
      const ids = old.map((o) => o.id);
      await this.db.deleteFrom('campaign_members').where('campaign_id', 'in', ids).execute();
      await this.db.deleteFrom('campaigns').where('id', 'in', ids).execute();
    }
    const now = new Date().toISOString();
    for (const c of campaigns) {
      const id = newId('cmp');
      await this.db
        .insertInto('campaigns')
        .values({ id, workspace_id: this.workspaceId, label: c.label, run_id: runId, scores_json: JSON.stringify(c.scores), explanation: c.explanation, data_json: JSON.stringify(c.data), created_at: now })
        .execute();
      if (c.members.length > 0) await this.db.insertInto('campaign_members').values(c.members.map((m) => ({ campaign_id: id, actor_id: m.actorId, role: m.role }))).execute();
    }
    return runId;
  }

  async list(): Promise<StoredCampaign[]> {
    const rows = await this.db.selectFrom('campaigns').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('id').execute();
    if (rows.length === 0) return [];
    const members = await this.db.selectFrom('campaign_members').selectAll().where('campaign_id', 'in', rows.map((r) => r.id)).orderBy('actor_id').execute();
    return rows.map((r) => ({
      id: r.id,
      runId: r.run_id,
      createdAt: r.created_at,
      label: r.label,
      explanation: r.explanation,
      scores: JSON.parse(r.scores_json) as Record<string, number>,
      data: JSON.parse(r.data_json) as Record<string, unknown>,
      members: members.filter((m) => m.campaign_id === r.id).map((m) => ({ actorId: m.actor_id, role: m.role })),
    }));
  }
}
