import { z } from 'zod';
import { MODALITIES, PREDICATES } from '../../domain/claim.js';
import { VERDICT_LABELS, type VerdictLabel } from '../../domain/verdict.js';
import { AppError } from '../../errors.js';
import { ClaimsRepo } from '../../store/claims-repo.js';
import { ReviewsRepo, type ReviewAction } from '../../store/reviews-repo.js';
import { auditUser, JsonText, pageQuery, paginate, type Route } from '../router.js';
import type { Workspace } from '../../store/workspace.js';
import { StampedCache } from '../stamped-cache.js';
import { claimView } from '../views.js';
import { ingestUpload, readUpload } from './documents.js';

/** Filters with more claims than this page in SQL instead of keeping their ordered ids. */
const MAX_KEPT_IDS = 500_000;
/**
 * The ordered claim ids of each filter, per workspace, under the database change stamp: pages at
 * any offset are cut from them (the total is their length) while the database is unchanged,
 * instead of walking the offset in SQL per page. Sized in characters (a claim id is 24).
 */
const orders = new WeakMap<Workspace, StampedCache<readonly string[]>>();
/** Totals of the filters too large to keep (they page in SQL), under the stamp. */
const totals = new WeakMap<Workspace, StampedCache>();
/**
 * Each claim's JSON in the listing, per workspace, under the change stamp: a page at a new offset
 * reads from the database only the claims no earlier page serialised.
 */
const fragments = new WeakMap<Workspace, StampedCache>();

function cacheOf<T extends { length: number }>(map: WeakMap<Workspace, StampedCache<T>>, ws: Workspace, make: () => StampedCache<T>): StampedCache<T> {
  let cache = map.get(ws);
  if (!cache) map.set(ws, (cache = make()));
  return cache;
}

const claimQuery = pageQuery.extend({
  subject: z.string().max(200).optional(),
  predicate: z.enum(PREDICATES).optional(),
  verdict: z.enum([...VERDICT_LABELS, 'NONE']).optional(),
  modality: z.enum(MODALITIES).optional(),
  documentId: z.string().max(100).optional(),
  q: z.string().max(200).optional(),
});

const reviewBody = z.object({
  action: z.enum(['confirm', 'override']),
  label: z.enum(VERDICT_LABELS).optional(),
  reason: z.string().min(1).max(4000),
  evidenceDocumentId: z.string().max(100).optional(),
});

export const claimRoutes: Route[] = [
  {
    spec: { operationId: 'listClaims', method: 'get', path: '/claims', role: 'viewer', tag: 'claims', summary: 'Claims with filters and full-text search over quote and subject', query: claimQuery, paginated: true, cacheable: true },
    handler: async ({ c, ws, query }) => {
      const filter = Object.fromEntries(
        ['subject', 'predicate', 'verdict', 'modality', 'documentId', 'q'].filter((k) => query[k] !== undefined && query[k] !== '').map((k) => [k, String(query[k])]),
      );
      const limit = Number(query['limit'] ?? 50);
      const offset = Number(query['offset'] ?? 0);
      const repo = new ClaimsRepo(ws.db, ws.id);
      const stamp = c.get('stamp');
      const key = JSON.stringify(filter);
      if (stamp !== null) {
        const order = cacheOf(orders, ws, () => new StampedCache<readonly string[]>(32, 2 * MAX_KEPT_IDS * 24, 24));
        const big = cacheOf(totals, ws, () => new StampedCache(256, 64 * 1024));
        let ids = order.get(stamp, key);
        if (ids === undefined && big.get(stamp, key) === undefined) {
          const found = await repo.orderedIds(filter, MAX_KEPT_IDS + 1);
          if (found.length <= MAX_KEPT_IDS) {
            ids = found;
            order.set(stamp, key, ids);
          } else big.set(stamp, key, String(await repo.count(filter)));
        }
        if (ids !== undefined) {
          const frags = cacheOf(fragments, ws, () => new StampedCache(50_000, 64 * 1024 * 1024));
          const pageIds = ids.slice(offset, offset + limit);
          const built = new Map<string, string>();
          for (const id of pageIds) {
            const f = frags.get(stamp, id);
            if (f !== undefined) built.set(id, f);
          }
          for (const claim of await repo.byIds(pageIds.filter((id) => !built.has(id)))) {
            const f = JSON.stringify(claimView(claim));
            built.set(claim.id, f);
            frags.set(stamp, claim.id, f);
          }
          // Byte for byte what JSON.stringify of { items, total, limit, offset } gives.
          const items = pageIds.flatMap((id) => built.get(id) ?? []).join(',');
          return new JsonText(`{"items":[${items}],"total":${ids.length},"limit":${limit},"offset":${offset}}`);
        }
      }
      // No stamp (PostgreSQL), or a filter too large to keep: the page and its total in SQL, the
      // total counted once per stamp (a search counts by scanning every quote).
      const known = stamp === null ? undefined : totals.get(ws)?.get(stamp, key);
      const items = await repo.list({ ...filter, limit, offset });
      const total = known === undefined ? await repo.count(filter) : Number(known);
      return { items: items.map(claimView), total, limit, offset };
    },
  },
  {
    spec: { operationId: 'getClaim', method: 'get', path: '/claims/:id', role: 'viewer', tag: 'claims', summary: 'A claim with its verdict history and human reviews' },
    handler: async ({ ws, params }) => {
      const repo = new ClaimsRepo(ws.db, ws.id);
      const claim = await repo.get(params['id']!);
      if (!claim) throw new AppError('not_found', `no claim with id ${params['id']}`);
      const [verdicts, reviews] = await Promise.all([repo.verdictHistory(claim.id), new ReviewsRepo(ws.db, ws.id).history(claim.id)]);
      return { ...claimView(claim), verdicts, reviews };
    },
  },
  {
    spec: { operationId: 'listVerdicts', method: 'get', path: '/claims/:id/verdicts', role: 'viewer', tag: 'claims', summary: 'Every automatic verdict reached for a claim, oldest first' },
    handler: async ({ ws, params }) => {
      const repo = new ClaimsRepo(ws.db, ws.id);
      if (!(await repo.get(params['id']!))) throw new AppError('not_found', `no claim with id ${params['id']}`);
      return { items: await repo.verdictHistory(params['id']!) };
    },
  },
  {
    spec: { operationId: 'listReviews', method: 'get', path: '/claims/:id/reviews', role: 'viewer', tag: 'reviews', summary: 'Human reviews of a claim, oldest first' },
    handler: async ({ ws, params }) => ({ items: await new ReviewsRepo(ws.db, ws.id).history(params['id']!) }),
  },
  {
    spec: {
      operationId: 'reviewClaim', method: 'post', path: '/claims/:id/reviews', role: 'analyst', tag: 'reviews', target: 'claim', body: reviewBody, upload: true,
      summary: 'Confirm or override the verdict with a reason; JSON, or multipart with the same fields and an evidence `file` that is captured as a document',
    },
    handler: async (input) => {
      let fields: unknown = input.body;
      let evidenceDocumentId: string | undefined;
      const upload = fields === undefined ? await readUpload(input) : null;
      if (upload) {
        fields = upload.fields;
        if (upload.bytes.byteLength > 0) {
          const r = await ingestUpload(input.ws, upload.name, upload.bytes, { kind: 'other', title: `Review evidence: ${upload.name}` });
          if (r.status === 'failed' || !r.documentId) throw new AppError('parse_failed', `the evidence file could not be captured: ${r.error ?? 'unknown reason'}`);
          evidenceDocumentId = r.documentId;
        }
      }
      const parsed = reviewBody.safeParse(fields);
      if (!parsed.success) throw new AppError('invalid_input', `invalid review: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const review = await new ReviewsRepo(input.ws.db, input.ws.id).add({
        claimId: input.params['id']!,
        action: parsed.data.action as ReviewAction,
        label: parsed.data.label as VerdictLabel | undefined,
        reason: parsed.data.reason,
        evidenceDocumentId: evidenceDocumentId ?? parsed.data.evidenceDocumentId ?? null,
        user: auditUser(input.token),
      });
      input.note({ reviewId: review.id, action: review.action, label: review.label, evidenceDocumentId: review.evidenceDocumentId });
      return review;
    },
  },
  {
    spec: { operationId: 'reviewQueue', method: 'get', path: '/reviews/queue', role: 'viewer', tag: 'reviews', summary: 'NOT_ENOUGH_INFO claims without a review, widest-spread narrative first', query: pageQuery, paginated: true },
    handler: async ({ ws, query }) => {
      const page = paginate(await new ReviewsRepo(ws.db, ws.id).queue(), query);
      return { ...page, items: page.items.map((i) => ({ claim: claimView(i.claim), spread: i.spread })) };
    },
  },
];
