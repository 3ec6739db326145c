import { findUndisclosedInterests } from '../coordinate/undisclosed.js';
import type { Actor, Relationship, Subject } from '../domain/subject.js';
import type { EvidenceRef, VerdictLabel } from '../domain/verdict.js';
import { AppError } from '../errors.js';
import { AuditRepo, type AuditEntry } from '../store/audit-repo.js';
import { CasesRepo, type CampaignMembership, type CaseRecord } from '../store/cases-repo.js';
import { ClaimsRepo, type StoredClaim } from '../store/claims-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import { meaningOf } from './meaning.js';

export const CASE_STATUSES = ['draft', 'sent', 'responded', 'retracted', 'refused', 'escalated'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * Allowed moves. A respondent may retract or refuse without ever answering, so `sent` reaches the
 * outcomes directly; an escalated case can still end in a retraction (a settlement or an order).
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  draft: ['sent'],
  sent: ['responded', 'retracted', 'refused', 'escalated'],
  responded: ['retracted', 'refused', 'escalated'],
  escalated: ['retracted'],
  retracted: [],
  refused: [],
};

/** Statuses in which the respondent is on notice and its pages are watched for changes. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['sent', 'responded'];

/** Relationship types that make an affiliation in a case file. */
const AFFILIATION_TYPES = new Set(['ownership', 'funding', 'employment', 'membership']);

/** The verdict a case relies on: a human review wins over the automatic verdict and says so. */
export interface CaseVerdict {
  label: VerdictLabel;
  asOf: string | null;
  asOfBasis: string | null;
  explanation: string;
  evidence: EvidenceRef[];
  /** True when an analyst decided (or confirmed) the label. */
  human: boolean;
  reviewer: string | null;
  reviewReason: string | null;
  /** The automatic label when a human overrode it. */
  automaticLabel: VerdictLabel | null;
}

/** One statement in a case, quoted exactly with where, when and by whom it was published. */
export interface CaseStatement {
  claimId: string;
  documentId: string;
  quote: string;
  url: string;
  published: string | null;
  /** The publisher of the document the words appear in. */
  author: string | null;
  /** Who the document says made the statement. */
  speaker: string | null;
  subject: string;
  predicate: string;
  object: string | null;
  polarity: string;
  modality: string;
  meaning: string;
  verdict: CaseVerdict;
  narrativeId: string | null;
  /** Own: the respondent published it. Reported: someone else's document says the respondent said it. */
  kind: 'own' | 'reported';
}

export interface CaseAffiliation {
  description: string;
  competitor: string;
  path: { from: string; to: string; type: string; role: string | null }[];
}

export interface CaseHistoryEntry {
  at: string;
  user: string;
  action: string;
  from: string | null;
  to: string | null;
  note: string | null;
  details: Record<string, unknown>;
}

/** Everything a letter, a pack or a screen needs about one case. */
export interface CaseFile {
  id: string;
  status: CaseStatus;
  respondent: { id: string; name: string; kind: string | null };
  subject: { id: string; name: string; actorId: string };
  createdAt: string;
  updatedAt: string;
  statements: CaseStatement[];
  reported: CaseStatement[];
  narratives: {
    id: string;
    representative: string;
    predicate: string;
    object: string | null;
    polarity: string;
  }[];
  campaigns: CampaignMembership[];
  affiliations: CaseAffiliation[];
  /** Claims the case was built on that a later extractor run no longer finds. */
  missingClaimIds: string[];
  history: CaseHistoryEntry[];
}

/** What is kept in cases.data_json; claims are re-read so letters use their current verdicts. */
interface CaseData {
  subjectId: string;
  statementIds: string[];
  reportedIds: string[];
  affiliations: CaseAffiliation[];
  monitor?: Record<string, unknown>;
}

/** The label a case relies on: the human review when there is one, else the automatic verdict. */
export function effectiveLabel(c: StoredClaim): VerdictLabel | null {
  return c.review?.label ?? c.verdict?.label ?? null;
}

function caseVerdict(c: StoredClaim): CaseVerdict {
  const v = c.verdict;
  const r = c.review;
  return {
    label: (r?.label ?? v?.label)!,
    asOf: v?.asOf ?? null,
    asOfBasis: v?.asOfBasis ?? null,
    explanation: v?.explanation ?? '',
    evidence: v?.evidence ?? [],
    human: r !== null,
    reviewer: r?.user ?? null,
    reviewReason: r?.reason ?? null,
    automaticLabel: r && v && v.label !== r.label ? v.label : null,
  };
}

function toStatement(c: StoredClaim, kind: 'own' | 'reported'): CaseStatement {
  return {
    claimId: c.id,
    documentId: c.documentId,
    quote: c.quote,
    url: c.url ?? c.location,
    published: c.published,
    author: c.actor,
    speaker: c.speaker,
    subject: c.subject,
    predicate: c.predicate,
    object: c.object,
    polarity: c.polarity,
    modality: c.modality,
    meaning: meaningOf(c),
    verdict: caseVerdict(c),
    narrativeId: c.narrativeId,
    kind,
  };
}

interface Gathered {
  own: StoredClaim[];
  reported: StoredClaim[];
}

/**
 * The respondent's REFUTED statements: its own (asserted in its documents, or quoted as its words
 * there) and those only relayed by others (someone else's document says the respondent said it).
 */
async function gather(
  claims: ClaimsRepo,
  docActorOf: Map<string, string | null>,
  respondent: Actor,
): Promise<Gathered> {
  const refuted = await claims.list({ verdict: 'REFUTED' });
  const own: StoredClaim[] = [];
  const reported: StoredClaim[] = [];
  for (const c of refuted) {
    if (c.modality !== 'asserted' && c.modality !== 'reported') continue;
    const publishedByRespondent = docActorOf.get(c.documentId) === respondent.id;
    const speakerIsRespondent = c.speakerActorId === respondent.id;
    if (publishedByRespondent && (c.modality === 'asserted' || speakerIsRespondent)) own.push(c);
    else if (!publishedByRespondent && speakerIsRespondent) reported.push(c);
  }
  return { own, reported };
}

async function documentActors(ws: Workspace): Promise<Map<string, string | null>> {
  const rows = await ws.db
    .selectFrom('documents')
    .select(['id', 'actor_id'])
    .where('workspace_id', '=', ws.id)
    .execute();
  return new Map(rows.map((r) => [r.id, r.actor_id]));
}

function affiliationsOf(
  respondent: Actor,
  subject: Subject,
  relationships: Relationship[],
  actors: Map<string, Actor>,
): CaseAffiliation[] {
  const competitorIds = new Set<string>();
  for (const r of relationships) {
    if (r.type !== 'competitor') continue;
    if (r.fromActorId === subject.actorId) competitorIds.add(r.toActorId);
    if (r.toActorId === subject.actorId) competitorIds.add(r.fromActorId);
  }
  const name = (id: string): string => actors.get(id)?.name ?? id;
  const out: CaseAffiliation[] = [];
  if (competitorIds.has(respondent.id)) {
    out.push({
      description: `${respondent.name} is itself a competitor of ${subject.name}`,
      competitor: respondent.name,
      path: [],
    });
  }
  const usable = relationships.filter((r) => AFFILIATION_TYPES.has(r.type));
  for (const i of findUndisclosedInterests(usable, [...competitorIds], actors, 2)) {
    if (i.actorId !== respondent.id) continue;
    out.push({
      description: i.description,
      competitor: name(i.competitorId),
      path: i.steps.map((s) => ({
        from: name(s.from),
        to: name(s.to),
        type: s.relationship.type,
        role: s.relationship.role,
      })),
    });
  }
  return out;
}

function pickSubject(
  subjects: Subject[],
  g: Gathered,
  wanted: string | undefined,
  respondent: Actor,
): Subject {
  if (wanted !== undefined) {
    const lower = wanted.toLowerCase();
    const s = subjects.find(
      (x) =>
        x.id === wanted || x.name.toLowerCase() === lower || x.aliases.some((a) => a.toLowerCase() === lower),
    );
    if (!s)
      throw new AppError(
        'not_found',
        `no subject named "${wanted}": list them with \`claimtrace subject list\``,
      );
    return s;
  }
  const ids = [
    ...new Set([...g.own, ...g.reported].map((c) => c.subjectId).filter((x): x is string => x !== null)),
  ];
  if (ids.length === 0) {
    throw new AppError(
      'invalid_input',
      `no REFUTED statements by ${respondent.name} were found: a case needs at least one false statement (run the pipeline first, or check \`claimtrace claims --verdict REFUTED\`)`,
    );
  }
  if (ids.length > 1) {
    const names = ids.map((id) => subjects.find((s) => s.id === id)?.name ?? id);
    throw new AppError(
      'invalid_input',
      `${respondent.name} made false statements about several subjects (${names.join(', ')}): choose one with --subject`,
    );
  }
  return subjects.find((s) => s.id === ids[0])!;
}

/**
 * Opens a case against a respondent: its REFUTED statements about the subject (own and reported
 * apart), their narratives, campaign memberships and affiliations with the subject's competitors.
 * Refuses when the respondent is the subject itself, when nothing false was found, or when an
 * unfinished case against the same respondent and subject exists.
 */
export async function createCase(
  ws: Workspace,
  respondentName: string,
  opts: { subject?: string; user?: string } = {},
): Promise<CaseFile> {
  const registry = new RegistryRepo(ws.db, ws.id);
  const respondent = await registry.requireActor(respondentName);
  const subjects = await registry.listSubjects();
  const claims = new ClaimsRepo(ws.db, ws.id);
  const all = await gather(claims, await documentActors(ws), respondent);
  const subject = pickSubject(subjects, all, opts.subject, respondent);
  if (subject.actorId === respondent.id) {
    throw new AppError(
      'invalid_input',
      `${respondent.name} is the subject itself: a case is against someone who spoke about the subject`,
    );
  }
  const own = all.own.filter((c) => c.subjectId === subject.id);
  const reported = all.reported.filter((c) => c.subjectId === subject.id);
  if (own.length + reported.length === 0) {
    throw new AppError(
      'invalid_input',
      `no REFUTED statements by ${respondent.name} about ${subject.name} were found: a case needs at least one false statement`,
    );
  }
  const repo = new CasesRepo(ws.db, ws.id);
  const existing = (await repo.list()).filter(
    (c) =>
      c.respondentActorId === respondent.id &&
      (c.data as Partial<CaseData>).subjectId === subject.id &&
      !isFinal(c.status),
  );
  if (existing[0])
    throw new AppError(
      'conflict',
      `case ${existing[0].id} against ${respondent.name} about ${subject.name} is still ${existing[0].status}`,
    );

  const actors = await registry.listActors();
  const actorMap = new Map(actors.map((a) => [a.id, a]));
  const data: CaseData = {
    subjectId: subject.id,
    statementIds: own.map((c) => c.id),
    reportedIds: reported.map((c) => c.id),
    affiliations: affiliationsOf(respondent, subject, await registry.listRelationships(), actorMap),
  };
  const record = await repo.create(respondent.id, 'draft', data as unknown as Record<string, unknown>);
  await new AuditRepo(ws.db, ws.id).record(opts.user ?? ws.config.user, 'case.create', 'case', record.id, {
    respondent: respondent.name,
    subject: subject.name,
    statements: data.statementIds.length,
    reported: data.reportedIds.length,
    to: 'draft',
  });
  return loadCase(ws, record.id);
}

function isFinal(status: string): boolean {
  return status === 'retracted' || status === 'refused';
}

function historyOf(entries: AuditEntry[]): CaseHistoryEntry[] {
  return entries.map((e) => ({
    at: e.at,
    user: e.user,
    action: e.action,
    from: typeof e.details['from'] === 'string' ? e.details['from'] : null,
    to: typeof e.details['to'] === 'string' ? e.details['to'] : null,
    note: typeof e.details['note'] === 'string' ? e.details['note'] : null,
    details: e.details,
  }));
}

async function assemble(ws: Workspace, record: CaseRecord): Promise<CaseFile> {
  const data = record.data as unknown as CaseData;
  const registry = new RegistryRepo(ws.db, ws.id);
  const claims = new ClaimsRepo(ws.db, ws.id);
  const subject = (await registry.listSubjects()).find((s) => s.id === data.subjectId);
  const respondent = await registry.findActor(record.respondentActorId);
  const missing: string[] = [];
  const load = async (ids: string[], kind: 'own' | 'reported'): Promise<CaseStatement[]> => {
    const out: CaseStatement[] = [];
    for (const id of ids) {
      const c = await claims.get(id);
      if (!c || effectiveLabel(c) === null) missing.push(id);
      else out.push(toStatement(c, kind));
    }
    return out;
  };
  const statements = await load(data.statementIds, 'own');
  const reported = await load(data.reportedIds, 'reported');
  const narrativeIds = [
    ...new Set([...statements, ...reported].map((s) => s.narrativeId).filter((x): x is string => x !== null)),
  ];
  const repo = new CasesRepo(ws.db, ws.id);
  return {
    id: record.id,
    status: record.status as CaseStatus,
    respondent: { id: record.respondentActorId, name: record.respondentName, kind: respondent?.kind ?? null },
    subject: { id: data.subjectId, name: subject?.name ?? data.subjectId, actorId: subject?.actorId ?? '' },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    statements,
    reported,
    narratives: await repo.narratives(narrativeIds),
    campaigns: await repo.campaignsOf(record.respondentActorId),
    affiliations: data.affiliations,
    missingClaimIds: missing,
    history: historyOf(await new AuditRepo(ws.db, ws.id).list({ targetType: 'case', targetId: record.id })),
  };
}

/** A case with its statements read afresh (current verdicts and reviews) and its audit history. */
export async function loadCase(ws: Workspace, id: string): Promise<CaseFile> {
  return assemble(ws, await new CasesRepo(ws.db, ws.id).require(id));
}

export async function listCases(
  ws: Workspace,
  filter: { status?: readonly string[] } = {},
): Promise<CaseFile[]> {
  const out: CaseFile[] = [];
  for (const r of await new CasesRepo(ws.db, ws.id).list(filter)) out.push(await assemble(ws, r));
  return out;
}

/**
 * Moves a case along its status machine and records who did it, when and why in the audit log.
 * `details` carries evidence for the move (monitoring puts the diff and the new capture there).
 */
export async function changeCaseStatus(
  ws: Workspace,
  id: string,
  to: string,
  opts: { note?: string; user?: string; details?: Record<string, unknown> } = {},
): Promise<CaseFile> {
  if (!(CASE_STATUSES as readonly string[]).includes(to)) {
    throw new AppError('invalid_input', `status must be one of ${CASE_STATUSES.join(', ')} (got "${to}")`);
  }
  const repo = new CasesRepo(ws.db, ws.id);
  const record = await repo.require(id);
  const from = record.status as CaseStatus;
  const allowed = CASE_TRANSITIONS[from] ?? [];
  if (!allowed.includes(to as CaseStatus)) {
    const next = allowed.length > 0 ? `from ${from} it can go to ${allowed.join(', ')}` : `${from} is final`;
    throw new AppError('conflict', `case ${id} cannot go from ${from} to ${to}: ${next}`);
  }
  if (!(await repo.setStatus(id, from, to)))
    throw new AppError('conflict', `case ${id} changed while this command ran: read it again`);
  await new AuditRepo(ws.db, ws.id).record(opts.user ?? ws.config.user, 'case.status', 'case', id, {
    ...(opts.details ?? {}),
    from,
    to,
    note: opts.note ?? null,
  });
  return loadCase(ws, id);
}

/** Monitoring state kept on the case (last seen text per document). */
export async function caseMonitorState(ws: Workspace, id: string): Promise<Record<string, unknown>> {
  const r = await new CasesRepo(ws.db, ws.id).require(id);
  return ((r.data as Partial<CaseData>).monitor ?? {}) as Record<string, unknown>;
}

export async function saveCaseMonitorState(
  ws: Workspace,
  id: string,
  monitor: Record<string, unknown>,
): Promise<void> {
  const repo = new CasesRepo(ws.db, ws.id);
  const r = await repo.require(id);
  await repo.setData(id, { ...r.data, monitor });
}
