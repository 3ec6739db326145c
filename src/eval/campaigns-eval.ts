import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CampaignsRepo } from '../store/campaigns-repo.js';
import { DocumentsRepo } from '../store/documents-repo.js';
import { RegistryRepo } from '../store/registry-repo.js';
import type { Workspace } from '../store/workspace.js';
import { EXAMPLE_DIR } from './example-case.js';

interface CampaignKey {
  campaigns: { name: string; members: string[] }[];
  independent: string[];
  undisclosed: { actor: string }[];
}

/** How the detected campaigns compare with the example case's planted ones. */
export interface CampaignsReport {
  planted: number;
  detected: number;
  /** Per planted campaign, against the detected campaign sharing most members with it. */
  matches: { name: string; planted: number; found: number; missing: string[]; extra: string[]; associated: string[] }[];
  /** Member precision and recall pooled over planted campaigns. */
  precision: number;
  recall: number;
  /** Independent actors (the key's list) put in any campaign. */
  independentsInCampaigns: string[];
  /** Undisclosed competitor ties: the key's actors flagged, and independents wrongly flagged. */
  undisclosedFound: number;
  undisclosedExpected: number;
  independentsFlagged: string[];
}

/**
 * Scores the coordination stage's stored campaigns on a workspace built from the example case
 * against examples/example-case/answer-key-campaigns.json, written before the detector.
 */
export async function evaluateExampleCampaigns(ws: Workspace): Promise<CampaignsReport> {
  const key = JSON.parse(readFileSync(join(EXAMPLE_DIR, 'answer-key-campaigns.json'), 'utf8')) as CampaignKey;
  const names = new Map((await new RegistryRepo(ws.db, ws.id).listActors()).map((a) => [a.id, a.name]));
  const name = (id: string): string => names.get(id) ?? id;
  const detected = (await new CampaignsRepo(ws.db, ws.id).list()).map((c) => ({
    members: c.members.map((m) => name(m.actorId)),
    associated: c.members.filter((m) => m.role === 'associated').map((m) => name(m.actorId)),
  }));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const matches = key.campaigns.map((p) => {
    const overlap = (d: { members: string[] }): number => d.members.filter((m) => p.members.includes(m)).length;
    const best = [...detected].sort((x, y) => overlap(y) - overlap(x))[0] ?? { members: [], associated: [] };
    const found = overlap(best);
    const missing = p.members.filter((m) => !best.members.includes(m));
    const extra = best.members.filter((m) => !p.members.includes(m));
    tp += found;
    fn += missing.length;
    fp += extra.length;
    return { name: p.name, planted: p.members.length, found, missing, extra, associated: best.associated };
  });
  const inAny = new Set(detected.flatMap((d) => d.members));
  const flagged = new Set<string>();
  for (const d of await new DocumentsRepo(ws.db, ws.id).forCoordination()) {
    const found = (d.metadata['undisclosedInterests'] ?? []) as { disclosed: boolean }[];
    if (d.actorId && found.some((f) => !f.disclosed)) flagged.add(name(d.actorId));
  }
  return {
    planted: key.campaigns.length,
    detected: detected.length,
    matches,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    independentsInCampaigns: key.independent.filter((a) => inAny.has(a)),
    undisclosedFound: key.undisclosed.filter((u) => flagged.has(u.actor)).length,
    undisclosedExpected: key.undisclosed.length,
    independentsFlagged: key.independent.filter((a) => flagged.has(a)),
  };
}

/** The report as printed by `npm run eval`. */
export function formatCampaignsReport(r: CampaignsReport): string {
  const lines = [`planted campaigns ${r.planted}, detected ${r.detected}; members P ${r.precision.toFixed(3)} R ${r.recall.toFixed(3)}`];
  for (const m of r.matches) {
    lines.push(`  ${m.name}: ${m.found}/${m.planted} members found` + (m.associated.length > 0 ? ` (associated: ${m.associated.join(', ')})` : ''));
    if (m.missing.length > 0) lines.push(`    missing: ${m.missing.join(', ')}`);
    if (m.extra.length > 0) lines.push(`    not planted: ${m.extra.join(', ')}`);
  }
  lines.push(`independent actors put in a campaign: ${r.independentsInCampaigns.length}${r.independentsInCampaigns.length > 0 ? ` (${r.independentsInCampaigns.join(', ')})` : ''}`);
  lines.push(`undisclosed competitor ties flagged: ${r.undisclosedFound}/${r.undisclosedExpected}; independents flagged: ${r.independentsFlagged.length}`);
  return lines.join('\n');
}
