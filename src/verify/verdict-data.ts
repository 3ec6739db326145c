import { createHash } from 'node:crypto';
import { nameKey } from '../domain/name-match.js';
import type { Subject } from '../domain/subject.js';
import type { Verdict } from '../domain/verdict.js';
import { ClaimsRepo, type StoredClaim } from '../store/claims-repo.js';
import { DatasetsRepo, type DatasetVersion, type StoredListRecord } from '../store/datasets-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import { buildScreenIndex, screen } from './screen.js';
import type { ScreenIndex } from './screen.js';
import type { CveRecord, ListRecord } from './types.js';
import type { ClaimToJudge, DatasetVersionInfo, VerdictData } from './verdict.js';
import { judgeClaim } from './verdict.js';
import { isFactual } from '../domain/claim.js';
import type { DatePrecision } from '../domain/dates.js';

/** Changes when the verdict rules or how they are fed change, so every claim is judged again. */
export const VERDICT_RULES_VERSION = 'verdicts-2026.11.1';

/** Owner hops followed from a name: a listed grandparent still reaches a subsidiary of a subsidiary. */
const MAX_OWNERSHIP_HOPS = 3;

/** Everything the verdict rules need, read once per run, plus what the workspace adds around it. */
export interface WorkspaceVerdictData extends VerdictData {
  /** Stored versions by id (fictional flag, record counts, file names). */
  stored: Map<string, DatasetVersion>;
  /** Registered subjects by name and id. */
  subjects: Map<string, Subject>;
  /** Identifies the data a verdict rests on: ids of all versions plus the ownership links. */
  dataKey: string;
  /** Aliases kept per subject name (see identityAliases), computed once per run. */
  aliasCache: Map<string, string[]>;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function coverageOf(v: DatasetVersion): { from: string; to: string } {
  const retrieved = v.retrievedAt.slice(0, 10);
  return { from: v.coverageFrom ?? retrieved, to: v.coverageTo ?? retrieved };
}

/**
 * Which versions still speak, and until when. A later version of the same source whose coverage
 * contains an older one's replaces it outright (unless the later is partial and the older complete); otherwise the older version speaks only up to
 * the end of its own coverage, after which the later version's knowledge takes over (so an entry
 * dropped from a newer complete snapshot is not kept alive by an old one).
 */
function currentVersions(versions: DatasetVersion[]): { keep: DatasetVersion[]; speaksUntil: Map<string, string> } {
  const bySource = new Map<string, DatasetVersion[]>();
  for (const v of versions) bySource.set(v.sourceId, [...(bySource.get(v.sourceId) ?? []), v]);
  const keep: DatasetVersion[] = [];
  const speaksUntil = new Map<string, string>();
  for (const list of bySource.values()) {
    const ordered = [...list].sort((a, b) => a.retrievedAt.localeCompare(b.retrievedAt) || a.createdAt.localeCompare(b.createdAt));
    ordered.forEach((v, i) => {
      const later = ordered.slice(i + 1);
      if (later.length === 0) {
        keep.push(v);
        return;
      }
      const c = coverageOf(v);
      // A partial version never replaces a complete one: it cannot show what the complete one dropped.
      if (later.some((w) => (w.complete || !v.complete) && coverageOf(w).from <= c.from && coverageOf(w).to >= c.to)) return;
      keep.push(v);
      speaksUntil.set(v.id, nextDay(c.to));
    });
  }
  return { keep, speaksUntil };
}

function toListRecord(r: StoredListRecord, speaksUntil: string | undefined): ListRecord {
  let listedUntil = r.listedUntil;
  if (speaksUntil && (listedUntil === null || listedUntil > speaksUntil)) listedUntil = speaksUntil;
  return {
    listId: r.listId,
    recordKey: r.recordKey,
    name: r.name,
    aliases: r.aliases,
    entityType: r.entityType ?? 'entity',
    listedFrom: r.listedFrom,
    listedUntil,
    programs: r.programs,
    country: r.country,
    parentName: r.parentName,
    coversSubsidiaries: r.coversSubsidiaries,
    category: r.category,
    sourceUrl: r.sourceUrl ?? '',
    raw: r.raw,
  };
}

/**
 * Owners of a name through registered ownership links (owner -> asset), by name and alias,
 * up to three hops. A child never reaches its subsidiaries this way: a parent does not follow
 * from a child.
 */
export async function ownershipResolver(ws: Workspace): Promise<{ resolve: (name: string) => string[]; key: string }> {
  const registry = new RegistryRepo(ws.db, ws.id);
  const actors = await registry.listActors();
  const rels = (await registry.listRelationships()).filter((r) => r.type === 'ownership');
  const byKey = new Map<string, string[]>();
  for (const a of actors) {
    for (const n of [a.name, ...a.aliases]) {
      const k = nameKey(n);
      if (k) byKey.set(k, [...(byKey.get(k) ?? []), a.id]);
    }
  }
  const actorById = new Map(actors.map((a) => [a.id, a]));
  const owners = new Map<string, string[]>();
  for (const r of rels) owners.set(r.toActorId, [...(owners.get(r.toActorId) ?? []), r.fromActorId]);
  const resolve = (name: string): string[] => {
    const out: string[] = [];
    const seen = new Set<string>();
    let frontier = byKey.get(nameKey(name)) ?? [];
    for (let hop = 0; hop < MAX_OWNERSHIP_HOPS && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const ownerId of owners.get(id) ?? []) {
          if (seen.has(ownerId)) continue;
          seen.add(ownerId);
          const owner = actorById.get(ownerId);
          if (owner) out.push(owner.name, ...owner.aliases);
          next.push(ownerId);
        }
      }
      frontier = next;
    }
    return [...new Set(out)];
  };
  const key = rels.map((r) => `${r.fromActorId}>${r.toActorId}`).sort().join(',');
  return { resolve, key };
}

/**
 * Builds the VerdictData of a workspace once per run: current dataset versions with their
 * retrieval days, the screening index over their records, CVE records, registered ownership
 * links, and the version each record came from.
 */
export async function loadVerdictData(ws: Workspace): Promise<WorkspaceVerdictData> {
  const datasets = new DatasetsRepo(ws.db, ws.id);
  const all = await datasets.versions();
  const { keep, speaksUntil } = currentVersions(all);
  const keepIds = new Set(keep.map((v) => v.id));
  const infos = new Map<string, DatasetVersionInfo>(
    keep.map((v) => [
      v.id,
      { id: v.id, sourceId: v.sourceId, listIds: v.listIds, coverageFrom: v.coverageFrom, coverageTo: v.coverageTo, complete: v.complete, sourceUrl: v.sourceUrl ?? '', retrievedAt: v.retrievedAt },
    ]),
  );
  const versionByRecord = new WeakMap<ListRecord, DatasetVersionInfo>();
  const records: ListRecord[] = [];
  for (const r of await datasets.records()) {
    if (!keepIds.has(r.datasetVersionId)) continue;
    const rec = toListRecord(r, speaksUntil.get(r.datasetVersionId));
    versionByRecord.set(rec, infos.get(r.datasetVersionId)!);
    records.push(rec);
  }
  // The same CVE may come from several imports; the first stored copy is enough.
  const cveById = new Map<string, CveRecord>();
  for (const c of await datasets.cves()) {
    if (cveById.has(c.cveId)) continue;
    cveById.set(c.cveId, { cveId: c.cveId, vendor: c.vendor ?? '', products: c.products, cwes: c.cwes, published: c.published, description: c.description ?? '', sourceUrl: c.sourceUrl ?? '' });
  }
  const ownership = await ownershipResolver(ws);
  const subjects = new Map<string, Subject>();
  for (const s of await new RegistryRepo(ws.db, ws.id).listSubjects()) {
    subjects.set(s.name, s);
    subjects.set(s.id, s);
  }
  const dataKey = `${VERDICT_RULES_VERSION}|${all.map((v) => v.id).sort().join(',')}|${ownership.key}`;
  return {
    versions: [...infos.values()],
    index: buildScreenIndex(records),
    cves: [...cveById.values()],
    ownership: ownership.resolve,
    versionOf: (r) => versionByRecord.get(r),
    stored: new Map(all.map((v) => [v.id, v])),
    subjects,
    dataKey,
    aliasCache: new Map(),
  };
}

/**
 * The aliases that still name the subject itself. When the registered name is on a list exactly,
 * an alias that is exactly another entry of that list names a different entity (a parent or a
 * subsidiary registered loosely as an alias, like "CSCEC" for China State Construction Group) and
 * is left out there: otherwise that entity's listing would speak for the subject.
 */
export function identityAliases(index: ScreenIndex, name: string, aliases: readonly string[]): string[] {
  const own = screen(index, name).filter((m) => m.basis === 'name' && m.exact);
  if (own.length === 0) return [...aliases];
  const lists = [...new Set(own.map((m) => m.listId))];
  return aliases.filter(
    (a) => !screen(index, a, { listIds: lists }).some((m) => m.basis === 'name' && m.exact && !own.some((o) => o.listId === m.listId && o.listedName === m.listedName)),
  );
}

/** The subject as the verdict rules see it, with the aliases that still name it (cached per run). */
export function subjectToJudge(data: WorkspaceVerdictData, name: string, s: Partial<Pick<Subject, 'aliases' | 'subsidiaries' | 'products'>> = {}): ClaimToJudge['subject'] {
  let aliases = data.aliasCache.get(name);
  if (!aliases) {
    aliases = identityAliases(data.index, name, s.aliases ?? []);
    data.aliasCache.set(name, aliases);
  }
  return { name, aliases, subsidiaries: s.subsidiaries ?? [], products: s.products ?? [] };
}

/** The claim as the verdict rules see it, with the registered subject's other names. */
export function claimToJudge(c: StoredClaim, data: WorkspaceVerdictData): ClaimToJudge {
  const s = (c.subjectId ? data.subjects.get(c.subjectId) : undefined) ?? data.subjects.get(c.subject);
  const precision = (c.publishedPrecision ?? (c.published ? 'day' : null)) as DatePrecision | null;
  // A full timestamp is judged on its calendar day.
  const published = c.published ? (precision === 'time' ? c.published.slice(0, 10) : c.published) : null;
  return {
    subject: subjectToJudge(data, c.subject, s ?? {}),
    predicate: c.predicate,
    object: c.object,
    polarity: c.polarity,
    modality: c.modality,
    eventDate: c.eventDate,
    published,
    publishedPrecision: precision === 'time' ? 'day' : precision,
    capturedAt: c.capturedAt,
  };
}

/** A hash of what a verdict was judged from: the claim's judged fields and the data key. */
export function verdictFingerprint(claim: ClaimToJudge, data: WorkspaceVerdictData): string {
  return createHash('sha256').update(JSON.stringify([claim, data.dataKey])).digest('hex');
}

/** True for claims that get a verdict: stated as fact, about a predicate the records can check. */
export function isJudgeable(c: Pick<StoredClaim, 'modality' | 'predicate'>): boolean {
  return isFactual(c.modality) && c.predicate !== 'other';
}

/** Names a fictional dataset in the explanation when the verdict rests on one. */
function markFictional(v: Verdict, data: WorkspaceVerdictData): Verdict {
  const fictional = [...new Set(v.evidence.filter((e) => e.datasetVersionId && data.stored.get(e.datasetVersionId)?.fictional).map((e) => e.datasetId ?? ''))];
  if (fictional.length === 0) return v;
  return { ...v, explanation: `${v.explanation} Evidence from the FICTIONAL example dataset ${fictional.join(', ')} (invented for the example case, not an official record).` };
}

/** Judges one stored claim; null when it gets no verdict (not a statement of fact, or predicate other). */
export function judgeStoredClaim(c: StoredClaim, data: WorkspaceVerdictData): { verdict: Verdict; fingerprint: string } | null {
  if (!isJudgeable(c)) return null;
  const claim = claimToJudge(c, data);
  const verdict = judgeClaim(claim, data);
  if (!verdict) return null;
  return { verdict: markFictional(verdict, data), fingerprint: verdictFingerprint(claim, data) };
}

export interface JudgeSummary {
  judged: number;
  changed: number;
  unchanged: number;
  skipped: number;
  labels: Record<string, number>;
}

/** Claims whose verdicts are written per transaction: enough to amortise a commit (an fsync on SQLite), few enough not to hold the write lock long. */
export const VERDICT_BATCH = 500;

/**
 * Judges every active factual claim of the workspace and stores a verdict where the data or the
 * claim changed since the current one (the old verdict stays as history). Verdicts are written
 * VERDICT_BATCH claims per transaction; a crash loses at most the batch being written, which
 * the next run judges again.
 */
export async function judgeWorkspaceClaims(ws: Workspace, data?: WorkspaceVerdictData, filter: { claimIds?: readonly string[] } = {}): Promise<JudgeSummary> {
  const d = data ?? (await loadVerdictData(ws));
  let claims = await new ClaimsRepo(ws.db, ws.id).list();
  if (filter.claimIds) {
    const wanted = new Set(filter.claimIds);
    claims = claims.filter((c) => wanted.has(c.id));
  }
  const summary: JudgeSummary = { judged: 0, changed: 0, unchanged: 0, skipped: 0, labels: {} };
  for (let i = 0; i < claims.length; i += VERDICT_BATCH) {
    const judged = claims.slice(i, i + VERDICT_BATCH).flatMap((c) => {
      const r = judgeStoredClaim(c, d);
      if (!r) summary.skipped++;
      return r ? [{ id: c.id, ...r }] : [];
    });
    const saved = await ws.db.transaction().execute((trx) => new ClaimsRepo(trx, ws.id).saveVerdicts(judged.map((j) => ({ claimId: j.id, verdict: j.verdict, fingerprint: j.fingerprint }))));
    for (const [k, j] of judged.entries()) {
      summary.judged++;
      summary.labels[j.verdict.label] = (summary.labels[j.verdict.label] ?? 0) + 1;
      if (saved[k] === 'new') summary.changed++;
      else summary.unchanged++;
    }
  }
  return summary;
}
