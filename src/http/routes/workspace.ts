import { z } from 'zod';
import { verifyEvidence } from '../../capture/verify-evidence.js';
import { AppError } from '../../errors.js';
import { AuditRepo } from '../../store/audit-repo.js';
import { CasesRepo } from '../../store/cases-repo.js';
import { ClaimsRepo } from '../../store/claims-repo.js';
import { DashboardRepo } from '../../store/dashboard-repo.js';
import { NarrativesRepo } from '../../store/narratives-repo.js';
import { DatasetsRepo } from '../../store/datasets-repo.js';
import { DocumentsRepo } from '../../store/documents-repo.js';
import { ROLES, TokensRepo, type Role } from '../../store/tokens-repo.js';
import type { Workspace } from '../../store/workspace.js';
import { buildScreenIndex, screen, type ScreenIndex } from '../../verify/screen.js';
import type { ListRecord } from '../../verify/types.js';
import { pageQuery, paginate, type Route } from '../router.js';
import { claimView, effectiveVerdict } from '../views.js';

/** The screening index per open workspace, rebuilt only when the dataset versions change. */
const screenIndexes = new WeakMap<Workspace, { key: string; index: ScreenIndex; records: number }>();

/**
 * The index over every stored list record. Building it takes seconds for large lists, so it is
 * kept between requests; the key (version ids and record counts) changes with every import or
 * deletion of a version, which rebuilds it.
 */
async function screenIndexFor(ws: Workspace): Promise<{ index: ScreenIndex; records: number }> {
  const datasets = new DatasetsRepo(ws.db, ws.id);
  const key = (await datasets.versions()).map((v) => `${v.id}:${v.recordCount}`).join(',');
  const cached = screenIndexes.get(ws);
  if (cached && cached.key === key) return cached;
  const stored = await datasets.records();
  const records: ListRecord[] = stored.map((r) => ({ ...r, entityType: r.entityType ?? 'unknown', sourceUrl: r.sourceUrl ?? '' }));
  const built = { key, index: buildScreenIndex(records), records: records.length };
  screenIndexes.set(ws, built);
  return built;
}

const OPEN_CASE = /^(open|draft|active|review|in[-_ ]?progress|new)/i;

export const workspaceRoutes: Route[] = [
  {
    spec: { operationId: 'me', method: 'get', path: '/me', role: 'viewer', tag: 'access', summary: 'The token making the request: its name and role' },
    handler: async ({ ws, token }) => ({ token: { id: token.id, name: token.name, role: token.role }, workspace: { id: ws.id, name: ws.name } }),
  },
  {
    spec: { operationId: 'overview', method: 'get', path: '/overview', role: 'viewer', tag: 'overview', summary: 'Claims over time by verdict, top narratives, campaigns and open cases' },
    handler: async ({ ws }) => {
      const [claims, narratives, campaigns, cases, documents] = await Promise.all([
        new ClaimsRepo(ws.db, ws.id).list(),
        new DashboardRepo(ws.db, ws.id).narratives(),
        new DashboardRepo(ws.db, ws.id).campaigns(),
        new CasesRepo(ws.db, ws.id).list(),
        new DocumentsRepo(ws.db, ws.id).count(),
      ]);
      const months = new Map<string, Record<string, number>>();
      const byVerdict: Record<string, number> = {};
      let human = 0;
      for (const c of claims) {
        const month = (c.eventDate ?? c.published ?? c.capturedAt).slice(0, 7);
        const label = effectiveVerdict(c)?.label ?? 'NONE';
        if (c.review) human++;
        const m = months.get(month) ?? {};
        m[label] = (m[label] ?? 0) + 1;
        months.set(month, m);
        byVerdict[label] = (byVerdict[label] ?? 0) + 1;
      }
      return {
        counts: { documents, claims: claims.length, narratives: narratives.length, campaigns: campaigns.length, openCases: cases.filter((c) => OPEN_CASE.test(c.status)).length, humanReviewed: human },
        byVerdict,
        claimsOverTime: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, counts]) => ({ month, counts })),
        topNarratives: [...narratives].sort((a, b) => b.documents - a.documents || b.claims - a.claims).slice(0, 10),
        campaigns: campaigns.slice(0, 10).map((c) => ({ id: c.id, label: c.label, members: c.members.length, scores: c.scores, createdAt: c.createdAt })),
      };
    },
  },
  {
    spec: { operationId: 'listNarratives', method: 'get', path: '/narratives', role: 'viewer', tag: 'narratives', summary: 'Narratives with their claim and document counts', query: pageQuery, paginated: true },
    handler: async ({ ws, query }) => paginate(await new DashboardRepo(ws.db, ws.id).narratives(), query),
  },
  {
    spec: { operationId: 'getNarrative', method: 'get', path: '/narratives/:id', role: 'viewer', tag: 'narratives', summary: 'A narrative with its claims (verdict timeline) and events' },
    handler: async ({ ws, params }) => {
      const repo = new DashboardRepo(ws.db, ws.id);
      const narrative = (await repo.narratives()).find((n) => n.id === params['id']);
      if (!narrative) throw new AppError('not_found', `no narrative with id ${params['id']}`);
      const claims = await new ClaimsRepo(ws.db, ws.id).list({ narrativeId: narrative.id });
      return { ...narrative, claims: claims.map(claimView), events: await new NarrativesRepo(ws.db, ws.id).events(narrative.id) };
    },
  },
  {
    spec: { operationId: 'listCampaigns', method: 'get', path: '/campaigns', role: 'viewer', tag: 'campaigns', summary: 'Detected campaigns with their members', query: pageQuery, paginated: true },
    handler: async ({ ws, query }) => paginate(await new DashboardRepo(ws.db, ws.id).campaigns(), query),
  },
  {
    spec: { operationId: 'getCampaign', method: 'get', path: '/campaigns/:id', role: 'viewer', tag: 'campaigns', summary: 'A campaign with its members and the evidence of coordination (edges and their explanations)' },
    handler: async ({ ws, params }) => {
      const campaign = await new DashboardRepo(ws.db, ws.id).campaign(params['id']!);
      if (!campaign) throw new AppError('not_found', `no campaign with id ${params['id']}`);
      return campaign;
    },
  },
  {
    spec: { operationId: 'listDatasets', method: 'get', path: '/lists', role: 'viewer', tag: 'lists', summary: 'Official list versions held in the workspace', query: pageQuery, paginated: true },
    handler: async ({ ws, query }) => paginate(await new DatasetsRepo(ws.db, ws.id).versions(), query),
  },
  {
    spec: {
      operationId: 'screenName', method: 'get', path: '/lists/screen', role: 'viewer', tag: 'lists', summary: 'Screen a name against the lists held, optionally as of a day',
      query: z.object({ name: z.string().min(1).max(300), on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
    },
    handler: async ({ ws, query }) => {
      const { index, records } = await screenIndexFor(ws);
      const on = query['on'] as string | undefined;
      const matches = screen(index, String(query['name']), on ? { on } : {});
      return {
        name: query['name'],
        on: on ?? null,
        recordsScreened: records,
        matches: matches.map(({ record: _r, ...m }) => m),
      };
    },
  },
  {
    spec: { operationId: 'verifyEvidence', method: 'get', path: '/evidence/verify', role: 'viewer', tag: 'evidence', summary: 'Recompute every capture digest and the signed evidence log, and report what no longer matches' },
    handler: async ({ ws }) => verifyEvidence(ws),
  },
  {
    spec: { operationId: 'listTokens', method: 'get', path: '/tokens', role: 'admin', tag: 'access', summary: 'API tokens (never their secrets)' },
    handler: async ({ ws }) => ({ items: await new TokensRepo(ws.db, ws.id).list() }),
  },
  {
    spec: { operationId: 'createToken', method: 'post', path: '/tokens', role: 'admin', tag: 'access', target: 'token', summary: 'Create a token; its secret is in this response only', body: z.object({ name: z.string().min(1).max(100), role: z.enum(ROLES) }) },
    handler: async ({ ws, body, note }) => {
      const b = body as { name: string; role: Role };
      const created = await new TokensRepo(ws.db, ws.id).create(b.name, b.role);
      note({ targetId: created.id, name: created.name, role: created.role });
      return created;
    },
  },
  {
    spec: { operationId: 'revokeToken', method: 'delete', path: '/tokens/:id', role: 'admin', tag: 'access', target: 'token', summary: 'Revoke a token' },
    handler: async ({ ws, params }) => {
      await new TokensRepo(ws.db, ws.id).revoke(params['id']!);
      return { id: params['id'], revoked: true };
    },
  },
  {
    spec: { operationId: 'auditLog', method: 'get', path: '/audit', role: 'admin', tag: 'access', summary: 'The audit log: every write and every case read', query: pageQuery, paginated: true },
    handler: async ({ ws, query }) => paginate((await new AuditRepo(ws.db, ws.id).list()).reverse(), query),
  },
];
