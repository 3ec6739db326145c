import { createHash } from 'node:crypto';
import type { ExtractedClaim } from '../domain/claim.js';
import { AppError } from '../errors.js';
import { EXTRACTOR_VERSION, extractClaims, type ExtractOptions } from '../extract/index.js';
import type { ClaimToStore, ExtractionSource } from '../store/claims-repo.js';
import { ClaimsRepo } from '../store/claims-repo.js';
import type { Db } from '../store/database.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import type { StageOutcome } from './stages.js';

/** The registry as extraction needs it: the same for every document of a run. */
export interface ClaimsRegistry {
  subjects: ExtractOptions['subjects'];
  knownActors: NonNullable<ExtractOptions['knownActors']>;
}

/**
 * What a pool thread needs to extract one document's claims. The registry is not in it: the
 * pool shares it with each thread once, under `registry` (see WorkerPool.share).
 */
export interface ClaimsTaskInput {
  text: string;
  published: string | null;
  actor: string | null;
  registry: string;
}

/** Runs in a pool thread (or in this one): the pure, CPU-bound part of the claims stage. */
export function extractClaimsTask(input: ClaimsTaskInput, shared: ReadonlyMap<string, unknown>): ExtractedClaim[] {
  const registry = shared.get(input.registry) as ClaimsRegistry | undefined;
  if (!registry) throw new AppError('internal', `claims registry ${input.registry} was not shared with this thread`);
  // The same registry objects on every call let the extractor keep its gazetteer between documents.
  return extractClaims(input.text, { subjects: registry.subjects, published: input.published, actor: input.actor, knownActors: registry.knownActors });
}

/** The registry as the claims stage needs it, read once per run rather than once per document. */
export interface ClaimsContext {
  registry: ClaimsRegistry;
  /** Names `registry` among a pool's shared values; changes with its contents. */
  registryKey: string;
  /** `registry` under `registryKey`, for extraction in this thread. */
  shared: ReadonlyMap<string, unknown>;
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
  const forExtraction: ClaimsRegistry = {
    subjects: subjects.map((s) => ({ name: s.name, aliases: s.aliases, products: s.products, subsidiaries: s.subsidiaries })),
    knownActors: actors.map((a) => ({ name: a.name, aliases: a.aliases })),
  };
  const registryKey = `claims-registry:${createHash('sha256').update(JSON.stringify(forExtraction)).digest('hex').slice(0, 24)}`;
  return {
    registry: forExtraction,
    registryKey,
    shared: new Map([[registryKey, forExtraction]]),
    subjectIds: new Map(subjects.map((s) => [s.name, s.id])),
    actorIds,
  };
}

/**
 * The task for one document, or the outcome when there is nothing to extract (no text, no
 * subjects). Both the sequential claims stage and the parallel path start here.
 */
export function claimsTaskFor(ctx: ClaimsContext, doc: ExtractionSource): ClaimsTaskInput | StageOutcome {
  if (doc.text === null || doc.text.trim() === '') return { status: 'skipped', detail: 'no text' };
  if (ctx.registry.subjects.length === 0) return { status: 'skipped', detail: 'no subjects registered' };
  const published = doc.published ? (doc.publishedPrecision === 'time' ? doc.published.slice(0, 10) : doc.published) : null;
  return { text: doc.text, published, actor: doc.actor, registry: ctx.registryKey };
}

/** Tasks (or outcomes) for a batch of documents, read in one query; a document gone since is a failure. */
export async function prepareClaimsTasks(ws: Workspace, ctx: ClaimsContext, documentIds: readonly string[]): Promise<Map<string, ClaimsTaskInput | StageOutcome>> {
  const sources = await new ClaimsRepo(ws.db, ws.id).extractionSources(documentIds);
  const out = new Map<string, ClaimsTaskInput | StageOutcome>();
  for (const id of documentIds) {
    const doc = sources.get(id);
    out.set(id, doc ? claimsTaskFor(ctx, doc) : { status: 'failed', error: `no document with id ${id}: list them with \`claimtrace documents\`` });
  }
  return out;
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
