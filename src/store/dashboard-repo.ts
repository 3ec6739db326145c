import type { Db } from './database.js';
import { toNarrative, type Narrative } from './narratives-repo.js';

/** A narrative as the dashboard lists it: with its active claims and their documents counted. */
export interface NarrativeSummary extends Narrative {
  claims: number;
  documents: number;
}


export interface CampaignMember {
  actorId: string;
  name: string;
  kind: string;
  role: string | null;
}

/** A detected campaign; `data` is whatever the coordination stage stored (edges, narratives, ...). */
export interface CampaignSummary {
  id: string;
  label: string;
  runId: string;
  scores: Record<string, unknown>;
  explanation: string;
  createdAt: string;
  members: CampaignMember[];
}

export interface CampaignDetail extends CampaignSummary {
  data: Record<string, unknown>;
}

/**
 * Read-only views over narratives and campaigns for the HTTP API and dashboard. The stages
 * that write these tables own their own repositories; this one only reads what they hold.
 */
export class DashboardRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  async narratives(): Promise<NarrativeSummary[]> {
    const rows = await this.db
      .selectFrom('narratives')
      .leftJoin('claims', (j) => j.onRef('claims.narrative_id', '=', 'narratives.id').on('claims.active', '=', 1))
      .selectAll('narratives')
      .select((eb) => [eb.fn.count<number>('claims.id').as('n_claims'), eb.fn.count<number>('claims.document_id').distinct().as('n_docs')])
      .where('narratives.workspace_id', '=', this.workspaceId)
      // Grouping by the primary key lets both engines return the narrative's other columns.
      .groupBy('narratives.id')
      .orderBy('narratives.first_seen')
      .orderBy('narratives.id')
      .execute();
    return rows.map((r) => ({ ...toNarrative(r), claims: Number(r.n_claims), documents: Number(r.n_docs) }));
  }

  async campaigns(): Promise<CampaignSummary[]> {
    return (await this.campaignRows()).map(({ data: _data, ...summary }) => summary);
  }

  async campaign(id: string): Promise<CampaignDetail | null> {
    return (await this.campaignRows(id))[0] ?? null;
  }

  private async campaignRows(id?: string): Promise<CampaignDetail[]> {
    let q = this.db.selectFrom('campaigns').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('created_at', 'desc').orderBy('id');
    if (id !== undefined) q = q.where('id', '=', id);
    const rows = await q.execute();
    if (rows.length === 0) return [];
    const members = await this.db
      .selectFrom('campaign_members')
      .innerJoin('actors', 'actors.id', 'campaign_members.actor_id')
      .select(['campaign_members.campaign_id', 'campaign_members.actor_id', 'campaign_members.role', 'actors.name', 'actors.kind'])
      .where('campaign_members.campaign_id', 'in', rows.map((r) => r.id))
      .orderBy('actors.name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      label: r.label,
      runId: r.run_id,
      scores: JSON.parse(r.scores_json) as Record<string, unknown>,
      explanation: r.explanation,
      createdAt: r.created_at,
      members: members.filter((m) => m.campaign_id === r.id).map((m) => ({ actorId: m.actor_id, name: m.name, kind: m.kind, role: m.role })),
      data: JSON.parse(r.data_json) as Record<string, unknown>,
    }));
  }
}
