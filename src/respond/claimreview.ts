import type { VerdictLabel } from '../domain/verdict.js';
import { ClaimsRepo } from '../store/claims-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';

/**
 * The rating scale written to reviewRating: 1 (worst) to 5 (best), as schema.org expects numbers.
 * alternateName carries the label itself, which is what fact-check readers look at.
 */
export const CLAIMREVIEW_SCALE: Readonly<Record<VerdictLabel, number>> = {
  REFUTED: 1,
  NOT_ENOUGH_INFO: 3,
  SUPPORTED: 5,
};

export interface ClaimReviewOptions {
  /** The reviewing organisation (default: the workspace name). */
  organisation?: string;
  organisationUrl?: string;
  /** Only these labels (default: all). */
  labels?: readonly VerdictLabel[];
}

/**
 * schema.org ClaimReview JSON-LD for every claim with a current verdict: the quote as
 * claimReviewed, the statement's author, date and URL as the reviewed Claim, and the label (the
 * human one when an analyst reviewed it, said in the explanation) as the rating.
 */
export async function claimReviewJsonLd(
  ws: Workspace,
  opts: ClaimReviewOptions = {},
): Promise<Record<string, unknown>> {
  const claims = await new ClaimsRepo(ws.db, ws.id).list();
  const kinds = new Map((await new RegistryRepo(ws.db, ws.id).listActors()).map((a) => [a.name, a.kind]));
  const org: Record<string, unknown> = {
    '@type': 'Organization',
    name: opts.organisation ?? ws.name,
    ...(opts.organisationUrl ? { url: opts.organisationUrl } : {}),
  };
  const graph: Record<string, unknown>[] = [];
  for (const c of claims) {
    const label = c.review?.label ?? c.verdict?.label;
    if (!label) continue;
    if (opts.labels && !opts.labels.includes(label)) continue;
    const speaker = c.modality === 'reported' ? (c.speaker ?? c.actor) : (c.actor ?? c.speaker);
    const human = c.review !== null;
    const explanation = human
      ? `Human review by ${c.review!.user}: ${c.review!.reason}${c.verdict ? ` (automatic verdict: ${c.verdict.label}. ${c.verdict.explanation})` : ''}`
      : (c.verdict?.explanation ?? '');
    const url = c.url ?? (/^https?:\/\//.test(c.location) ? c.location : null);
    graph.push({
      '@type': 'ClaimReview',
      '@id': `urn:claimtrace:${ws.id}:claim:${c.id}`,
      datePublished: (c.review?.createdAt ?? c.verdict?.createdAt ?? '').slice(0, 10),
      claimReviewed: c.quote,
      itemReviewed: {
        '@type': 'Claim',
        ...(speaker
          ? {
              author: { '@type': kinds.get(speaker) === 'person' ? 'Person' : 'Organization', name: speaker },
            }
          : {}),
        ...(c.published ? { datePublished: c.published } : {}),
        ...(url
          ? {
              appearance: {
                '@type': 'CreativeWork',
                url,
                ...(c.actor && c.modality === 'reported'
                  ? { author: { '@type': 'Organization', name: c.actor } }
                  : {}),
              },
            }
          : {}),
      },
      reviewRating: {
        '@type': 'Rating',
        ratingValue: CLAIMREVIEW_SCALE[label],
        bestRating: 5,
        worstRating: 1,
        alternateName: label,
        ratingExplanation: explanation,
      },
      author: org,
      ...(c.verdict?.asOf ? { temporalCoverage: c.verdict.asOf } : {}),
    });
  }
  return { '@context': 'https://schema.org', '@graph': graph };
}
