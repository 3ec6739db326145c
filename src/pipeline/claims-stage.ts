import { EXTRACTOR_VERSION, extractClaims } from '../extract/index.js';
import { ClaimsRepo, type ClaimToStore } from '../store/claims-repo.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import type { DocumentStage, StageOutcome } from './stages.js';

/** Extracts claims about the workspace's subjects from each document's stored text. */
export const claimsStage: DocumentStage = {
  scope: 'document',
  name: 'claims',
  version: EXTRACTOR_VERSION,
  async run(ws: Workspace, documentId: string): Promise<StageOutcome> {
    const docs = new DocumentsRepo(ws.db, ws.id);
    const registry = new RegistryRepo(ws.db, ws.id);
    const doc = await docs.get(documentId);
    if (doc.text === null || doc.text.trim() === '') return { status: 'skipped', detail: 'no text' };
    const subjects = await registry.listSubjects();
    if (subjects.length === 0) return { status: 'skipped', detail: 'no subjects registered' };
    const actors = await registry.listActors();
    const published = doc.published ? (doc.publishedPrecision === 'time' ? doc.published.slice(0, 10) : doc.published) : null;
    const found = extractClaims(doc.text, {
      subjects: subjects.map((s) => ({ name: s.name, aliases: s.aliases, products: s.products, subsidiaries: s.subsidiaries })),
      published,
      actor: doc.actor,
      knownActors: actors.map((a) => ({ name: a.name, aliases: a.aliases })),
    });
    const subjectIds = new Map(subjects.map((s) => [s.name, s.id]));
    const actorIds = new Map<string, string>();
    for (const a of actors) {
      actorIds.set(a.name.toLowerCase(), a.id);
      for (const alias of a.aliases) actorIds.set(alias.toLowerCase(), a.id);
    }
    const toStore: ClaimToStore[] = found.map((c) => ({
      ...c,
      subjectId: subjectIds.get(c.subject) ?? null,
      speakerActorId: c.speaker ? (actorIds.get(c.speaker.toLowerCase()) ?? null) : null,
    }));
    const r = await ws.db.transaction().execute((trx) => new ClaimsRepo(trx, ws.id).replaceForDocument(documentId, toStore, EXTRACTOR_VERSION));
    await docs.update(documentId, { status: 'processed' });
    return { status: 'ok', detail: `${found.length} claims (${r.added} new, ${r.deactivated} no longer found)` };
  },
};
