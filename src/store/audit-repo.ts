import { newId } from '../domain/ids.js';
import type { Db } from './database.js';

export interface AuditEntry {
  id: string;
  at: string;
  user: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

/** Who changed or read what, and when. Append only. */
export class AuditRepo {
  constructor(private readonly db: Db, private readonly workspaceId: string) {}

  async record(user: string, action: string, targetType: string | null, targetId: string | null, details: Record<string, unknown> = {}): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: newId('aud'),
        workspace_id: this.workspaceId,
        at: new Date().toISOString(),
        user,
        action,
        target_type: targetType,
        target_id: targetId,
        details_json: JSON.stringify(details),
      })
      .execute();
  }

  async list(filter: { targetType?: string; targetId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().where('workspace_id', '=', this.workspaceId).orderBy('at').orderBy('id');
    if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
    if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
    if (filter.limit) q = q.limit(filter.limit);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      user: r.user,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: JSON.parse(r.details_json) as Record<string, unknown>,
    }));
  }
}
