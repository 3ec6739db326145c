import type { ExtractedClaim } from '../domain/claim.js';
import { EXTRACTOR_VERSION, extractClaims, type ExtractOptions } from '../extract/index.js';
import type { ClaimToStore } from '../store/claims-repo.js';
import { ClaimsRepo } from '../store/claims-repo.js';
import type { Db } from '../store/database.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import type { StageOutcome } from './stages.js';

/** What a pool thread needs to extract one document's claims. */
export interface ClaimsTaskInput {
  text: string;
  options: ExtractOptions;
}

/** Runs in a pool thread: the pure, CPU-bound part of the claims stage. */
export function extractClaimsTask(input: ClaimsTaskInput): ExtractedClaim[] {
  return extractClaims(input.text, input.options);
}

/** The registry as the claims stage needs it, read once per run rather than once per document. */
export interface ClaimsContext {
  subjects: ExtractOptions['subjects'];
  knownActors: NonNullable<ExtractOptions['knownActors']>;
  subjectIds: Map<string, string>;
  actorIds: Map<string, string>;
}

export async function loadClaimsContext(ws: Workspace): Promise<ClaimsContext> {
  const registry = new RegistryRepo(ws.db, ws.id);
  const subjects = await registry.listSubjects();
  const actors = await registry.listActors();
  const actorIds = new Map<string, string>();
  for (const a of actors) {
    actorIds.set(a.name.toLowerCase(), a.id);
    for (const alias of a.aliases) actorIds.set(alias.toLowerCase(), a.id);
  }
  return {
    subjects: subjects.map((s) => ({ name: s.name, aliases: s.aliases, products: s.products, subsidiaries: s.subsidiaries })),
    knownActors: actors.map((a) => ({ name: a.name, aliases: a.aliases })),
    subjectIds: new Map(subjects.map((s) => [s.name, s.id])),
    actorIds,
  };
}

/**
 * The task for one document, or the outcome when there is nothing to extract (no text, no
 * subjects). Both the sequential claims stage and the parallel path start here.
 */
export async function prepareClaimsTask(ws: Workspace, ctx: ClaimsContext, documentId: string): Promise<ClaimsTaskInput | StageOutcome> {
  const doc = await new DocumentsRepo(ws.db, ws.id).get(documentId);
  if (doc.text === null || doc.text.trim() === '') return { status: 'skipped', detail: 'no text' };
  if (ctx.subjects.length === 0) return { status: 'skipped', detail: 'no subjects registered' };
  const published = doc.published ? (doc.publishedPrecision === 'time' ? doc.published.slice(0, 10) : doc.published) : null;
  return { text: doc.text, options: { subjects: ctx.subjects, published, actor: doc.actor, knownActors: ctx.knownActors } };
}

/** Stores one document's claims inside the caller's transaction and marks the document processed. */
export async function storeClaims(trx: Db, ws: Workspace, ctx: ClaimsContext, documentId: string, found: ExtractedClaim[]): Promise<StageOutcome> {
  const toStore: ClaimToStore[] = found.map((c) => ({
    ...c,
    subjectId: ctx.subjectIds.get(c.subject) ?? null,
    speakerActorId: c.speaker ? (ctx.actorIds.get(c.speaker.toLowerCase()) ?? null) : null,
  }));
  const r = await new ClaimsRepo(trx, ws.id).replaceForDocument(documentId, toStore, EXTRACTOR_VERSION);
  await new DocumentsRepo(trx, ws.id).update(documentId, { status: 'processed' });
  return { status: 'ok', detail: `${found.length} claims (${r.added} new, ${r.deactivated} no longer found)` };
}
