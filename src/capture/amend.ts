import { AppError } from '../errors.js';
import { AuditRepo } from '../store/audit-repo.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import { parsePartialDate } from '../domain/dates.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../domain/document.js';
import { appendLeaf, signTreeHead, type AmendableField, type AmendmentLeaf } from './evidence-log.js';

export type Amendment = Partial<Record<AmendableField, string>>;

/**
 * Corrects a document's metadata in the open: the row changes and a new log leaf records what
 * changed, from what, by whom and why, so `evidence verify` can tell it from tampering.
 */
export async function amendDocument(ws: Workspace, documentId: string, changes: Amendment, user: string, reason: string): Promise<AmendmentLeaf> {
  if (reason.trim() === '') throw new AppError('invalid_input', 'an amendment needs a reason (--reason)');
  const fields = Object.keys(changes) as AmendableField[];
  if (fields.length === 0) throw new AppError('invalid_input', 'nothing to amend: give at least one of --title, --actor, --published, --publisher, --kind, --url');
  const leaf = await ws.db.transaction().execute(async (trx) => {
    const docs = new DocumentsRepo(trx, ws.id);
    const doc = await docs.get(documentId);
    const patch: Parameters<DocumentsRepo['update']>[1] = {};
    const record: AmendmentLeaf['changes'] = {};
    for (const field of fields) {
      const to = changes[field] ?? null;
      switch (field) {
        case 'title':
          record.title = { from: doc.title, to };
          patch.title = to;
          break;
        case 'publisher':
          record.publisher = { from: doc.publisher, to };
          patch.publisher = to;
          break;
        case 'url':
          record.url = { from: doc.url, to };
          patch.url = to;
          break;
        case 'kind': {
          if (!to || !(DOCUMENT_KINDS as readonly string[]).includes(to)) throw new AppError('invalid_input', `kind must be one of ${DOCUMENT_KINDS.join(', ')}`);
          record.kind = { from: doc.kind, to };
          patch.kind = to as DocumentKind;
          break;
        }
        case 'published': {
          const d = to ? parsePartialDate(to) : null;
          if (to && !d) throw new AppError('invalid_input', `"${to}" is not a date (use 2024-03-15, 2024-03 or 2024)`);
          record.published = { from: doc.published, to: d?.value ?? null };
          patch.published = d?.value ?? null;
          patch.published_precision = d?.precision ?? null;
          break;
        }
        case 'actor': {
          const registry = new RegistryRepo(trx, ws.id);
          const actor = to ? ((await registry.findActor(to)) ?? (await registry.upsertActor({ name: to, kind: 'organization' })).actor) : null;
          record.actor = { from: doc.actor, to: actor?.name ?? null };
          patch.actor_id = actor?.id ?? null;
          break;
        }
      }
    }
    await docs.update(documentId, patch);
    const amendment: AmendmentLeaf = { type: 'amendment', documentId, changes: record, user, reason, at: new Date().toISOString() };
    await appendLeaf(trx, ws.id, amendment);
    await new AuditRepo(trx, ws.id).record(user, 'document.amend', 'document', documentId, { changes: record, reason });
    return amendment;
  });
  await signTreeHead(ws);
  return leaf;
}
