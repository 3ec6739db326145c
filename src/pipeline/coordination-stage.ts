import {
  detectCampaigns,
  formatDuration,
  type Affiliation,
  type CoordinationResult,
  type CoordinationStatement,
} from '../coordinate/coordination.js';
import { findUndisclosedInterests, flagUndisclosedInterests } from '../coordinate/undisclosed.js';
import type { Actor, Relationship } from '../domain/subject.js';
import { CampaignsRepo, type CampaignToStore } from '../store/campaigns-repo.js';
import { ClaimsRepo } from '../store/claims-repo.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { NarrativesRepo } from '../store/narratives-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import type { WorkspaceStage } from './stages.js';

const DAY_MS = 86_400_000;

/**
 * When a stored publication date says a document appeared: its first instant, and how long after
 * that it may have been. A date with only a day could be any minute of that day, so it spans the
 * day. A month or year is too vague to say who acted together: it keeps no span and, dated to its
 * first instant, rarely meets anything.
 */
export function timeOf(published: string | null, capturedAt: string): { time: number; spanMs: number } {
  const v = published ?? capturedAt;
  const iso = /^\d{4}$/.test(v) ? `${v}-01-01` : /^\d{4}-\d{2}$/.test(v) ? `${v}-01` : v;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return { time: Date.parse(capturedAt), spanMs: 0 };
  return { time: t, spanMs: /^\d{4}-\d{2}-\d{2}$/.test(v) ? DAY_MS - 1 : 0 };
}

/** Every pair of actors joined by an affiliation path of at most two hops, in words. */
export function affiliationsOf(
  relationships: readonly Relationship[],
  actors: ReadonlyMap<string, Actor>,
): Affiliation[] {
  const ends = [
    ...new Set(
      relationships.filter((r) => r.type !== 'competitor').flatMap((r) => [r.fromActorId, r.toActorId]),
    ),
  ].sort();
  const out: Affiliation[] = [];
  const seen = new Set<string>();
  for (const target of ends) {
    for (const i of findUndisclosedInterests(relationships, [target], actors)) {
      const key = i.actorId < target ? `${i.actorId}|${target}` : `${target}|${i.actorId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        a: i.actorId,
        b: target,
        type: i.steps.map((s) => s.relationship.type).join('+'),
        path: i.description.replace(/competitor /g, ''),
      });
    }
  }
  return out;
}

function describeCampaign(
  c: CoordinationResult['campaigns'][number],
  names: (id: string) => string,
  narrativeText: (id: string) => string,
  mostlyRefuted: (id: string) => boolean,
): { label: string; explanation: string } {
  const members = c.members.map(names);
  // Name the campaign after the narrative most of its links were built on, a refuted one first:
  // a campaign that also repeats a true statement is not best known by it.
  const uses = new Map<string, number>();
  for (const e of c.edges) for (const n of e.narratives) uses.set(n, (uses.get(n) ?? 0) + 1);
  const rank = (id: string): number => (mostlyRefuted(id) ? 1 : 0);
  const best = [...uses].sort((x, y) => rank(y[0]) - rank(x[0]) || y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0] ?? c.narratives[0];
  const top = best ? narrativeText(best) : null;
  const associates = c.associates.map((a) => names(a.actorId));
  const size = members.length + associates.length;
  const label = top
    ? `${size} actors pushing "${top.slice(0, 70)}${top.length > 70 ? '…' : ''}"`
    : `${size} actors acting together`;
  const kinds = (['narrative', 'text', 'link'] as const).filter((k) => (c.scores[k] ?? 0) > 0);
  const explanation =
    `${members.join(', ')} acted together on ${c.narratives.length} narrative(s), ${c.urls.length} shared link(s) and ${c.statementIds.length} statement(s) ` +
    `(signals: ${kinds.join(', ') || 'none'}). ${c.coordinatedEdges} link(s) are coordinated only; ${c.coordinatedAndAffiliatedEdges} are coordinated and affiliated.` +
    (associates.length === 0
      ? ''
      : ` Associated with them: ${associates.join(', ')} (each met the group on separate occasions, at least once in a burst of several members, without a repeated pattern with any single member).`);
  return { label, explanation };
}

/** What coordination detection reads from a workspace: statements per document, affiliations, names. */
export interface CoordinationInput {
  statements: CoordinationStatement[];
  affiliations: Affiliation[];
  actors: Map<string, Actor>;
  relationships: Relationship[];
  docs: Awaited<ReturnType<DocumentsRepo['forCoordination']>>;
  narrativeQuote: Map<string, string>;
  /** Narratives most of whose judged claims are REFUTED (a human review counts over the automatic verdict). */
  refutedNarratives: Set<string>;
}

/** Builds the statements and affiliations of a workspace, as the coordination stage sees them. */
export async function coordinationInput(ws: Workspace): Promise<CoordinationInput> {
  const registry = new RegistryRepo(ws.db, ws.id);
  const docsRepo = new DocumentsRepo(ws.db, ws.id);
  const actors = new Map((await registry.listActors()).map((a) => [a.id, a]));
  const relationships = await registry.listRelationships();
  const docs = await docsRepo.forCoordination();
  const info = new Map((await docsRepo.list()).map((d) => [d.id, d]));
  const claims = await new ClaimsRepo(ws.db, ws.id).list();
  const narrativesByDoc = new Map<string, Set<string>>();
  // Each narrative's representative wording (the medoid assertion), for explanations and labels.
  const narrativeQuote = new Map((await new NarrativesRepo(ws.db, ws.id).list(true)).map((n) => [n.id, n.representative]));
  const judged = new Map<string, { refuted: number; total: number }>();
  for (const c of claims) {
    if (!c.narrativeId) continue;
    narrativesByDoc.set(c.documentId, (narrativesByDoc.get(c.documentId) ?? new Set()).add(c.narrativeId));
    const label = c.review?.label ?? c.verdict?.label ?? null;
    if (label === null) continue;
    const j = judged.get(c.narrativeId) ?? { refuted: 0, total: 0 };
    j.total++;
    if (label === 'REFUTED') j.refuted++;
    judged.set(c.narrativeId, j);
  }
  const refutedNarratives = new Set([...judged].filter(([, j]) => j.refuted * 2 > j.total).map(([id]) => id));
  const statements: CoordinationStatement[] = [];
  for (const d of docs) {
    if (!d.actorId) continue;
    const { time, spanMs } = timeOf(d.published, d.capturedAt);
    const narratives = [...(narrativesByDoc.get(d.id) ?? [])].sort();
    // Publishing a page is the first share of its address: posts pushing an op-ed the day it
    // appears co-act with its author on that link.
    const own = info.get(d.id)?.url ?? null;
    const format = info.get(d.id)?.format;
    // A long page's own links are citations (often to the official lists themselves), not shares.
    const shared = format === 'post' ? d.links : [];
    const urls = own && !shared.includes(own) ? [own, ...shared] : shared;
    statements.push({
      id: d.id,
      actorId: d.actorId,
      time,
      timeSpanMs: spanMs,
      text: d.text,
      narrativeKey: narratives[0] ?? null,
      // A document that states several narratives co-acts on each of them, as one statement.
      narrativeKeys: narratives.slice(1),
      urls,
    });
  }
  return {
    statements,
    affiliations: affiliationsOf(relationships, actors),
    actors,
    relationships,
    docs,
    narrativeQuote,
    refutedNarratives,
  };
}

/**
 * Finds coordinated actors: co-statement of the same narrative, near-identical wording,
 * co-shared links and timing, tested against chance; affiliations raise a score but never make
 * an edge. Also flags documents whose actor is tied to a competitor of a subject without saying so.
 */
export const coordinationStage: WorkspaceStage = {
  scope: 'workspace',
  name: 'coordination',
  async run(ws: Workspace) {
    const { statements, affiliations, actors, relationships, docs, narrativeQuote, refutedNarratives } =
      await coordinationInput(ws);
    const subjects = await new RegistryRepo(ws.db, ws.id).listSubjects();
    const name = (id: string): string => actors.get(id)?.name ?? id;
    // The detector names narratives by id; a reader needs the words (one representative quote).
    const quoteOf = (id: string): string => {
      const q = narrativeQuote.get(id);
      return q === undefined ? id : `"${q.length > 90 ? `${q.slice(0, 89)}…` : q}"`;
    };
    const readable = (text: string, ids: readonly string[], narratives: readonly string[]): string => {
      let out = text;
      for (const id of ids) out = out.split(id).join(name(id));
      for (const n of narratives) out = out.split(n).join(quoteOf(n));
      return out;
    };
    const result = detectCampaigns(statements, affiliations, { seed: 7 });
    const toStore: CampaignToStore[] = result.campaigns
      .filter((c) => c.members.length >= 2)
      .map((c) => {
        const { label, explanation } = describeCampaign(c, name, (id) => narrativeQuote.get(id) ?? id, (id) => refutedNarratives.has(id));
        return {
          label,
          explanation,
          scores: c.scores,
          members: [
            ...c.members.map((actorId) => ({ actorId, role: 'member' })),
            ...c.associates.map((a) => ({ actorId: a.actorId, role: 'associated' })),
          ],
          data: {
            edges: c.edges.map((e) => ({
              ...e,
              aName: name(e.a),
              bName: name(e.b),
              // The detector words its reasons with actor ids; a reader needs names.
              explanations: e.explanations.map((x) => readable(x, [e.a, e.b], e.narratives)),
            })),
            associates: c.associates.map((a) => ({
              ...a,
              name: name(a.actorId),
              metNames: a.met.map(name),
              explanation: readable(a.explanation, [a.actorId, ...a.met], []),
            })),
            narratives: c.narratives,
            urls: c.urls,
            documents: [...new Set(c.statementIds)],
            coordinatedEdges: c.coordinatedEdges,
            coordinatedAndAffiliatedEdges: c.coordinatedAndAffiliatedEdges,
            tauMs: result.tauMs,
            window: formatDuration(result.windowMs),
          },
        };
      });

    // Undisclosed interests: documents by actors within two hops of a subject's competitor.
    const subjectActors = new Set(subjects.map((s) => s.actorId));
    const competitorIds = [
      ...new Set(
        relationships
          .filter((r) => r.type === 'competitor')
          .flatMap((r) =>
            subjectActors.has(r.fromActorId)
              ? [r.toActorId]
              : subjectActors.has(r.toActorId)
                ? [r.fromActorId]
                : [],
          ),
      ),
    ];
    const findings = flagUndisclosedInterests(
      docs.filter((d) => d.actorId !== null).map((d) => ({ id: d.id, actorId: d.actorId!, text: d.text })),
      relationships,
      competitorIds,
      actors,
    ).filter((f) => f.actorId !== f.competitorId);
    await ws.db.transaction().execute(async (trx) => {
      await new CampaignsRepo(trx, ws.id).replaceAll(toStore);
      const repo = new DocumentsRepo(trx, ws.id);
      const byDoc = new Map<string, typeof findings>();
      for (const f of findings) byDoc.set(f.documentId, [...(byDoc.get(f.documentId) ?? []), f]);
      for (const d of docs) {
        const mine = byDoc.get(d.id);
        if (!mine && !('undisclosedInterests' in d.metadata)) continue;
        const metadata = {
          ...d.metadata,
          undisclosedInterests: (mine ?? []).map((f) => ({
            competitor: name(f.competitorId),
            path: f.description,
            disclosed: f.disclosed,
            evidence: f.evidence,
          })),
        };
        await repo.update(d.id, { metadata_json: JSON.stringify(metadata) });
      }
    });
    const undisclosed = findings.filter((f) => !f.disclosed).length;
    return {
      detail: `${toStore.length} campaign(s) among ${result.stats.actors} actors (time scale ${formatDuration(result.tauMs)}); ${undisclosed} document(s) with an undisclosed tie to a competitor`,
    };
  },
};
