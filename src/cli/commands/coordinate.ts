import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Campaign, CampaignAssociate, CoordinationEdge, CoordinationResult } from '../../coordinate/coordination.js';
import { toGEXF, toGraphML } from '../../coordinate/graph-export.js';
import {
  buildSimilarIndex,
  searchSimilar,
  similarBatch,
  type SimilarCandidate,
} from '../../coordinate/similar.js';
import { AppError } from '../../errors.js';
import { AuditRepo } from '../../store/audit-repo.js';
import { CampaignsRepo, type StoredCampaign } from '../../store/campaigns-repo.js';
import { ClaimsRepo, type StoredClaim } from '../../store/claims-repo.js';
import { NarrativesRepo, type Narrative } from '../../store/narratives-repo.js';
import { RegistryRepo } from '../../store/registry-repo.js';
import type { Workspace } from '../../store/workspace.js';
import { choice, globalOpts, withWorkspace, type CommandModule } from '../context.js';
import { printJson, printTable, println, safe } from '../output.js';

function dayOf(c: StoredClaim): string {
  return c.published ?? c.capturedAt.slice(0, 10);
}

/** The `narratives --json` view of one narrative: its claims, spread, verdict timeline and history. */
async function narrativeJson(
  ws: Workspace,
  n: Narrative,
  claims: readonly StoredClaim[],
  actorName: (id: string | null) => string | null,
): Promise<Record<string, unknown>> {
  const mine = claims.filter((c) => c.narrativeId === n.id);
  const spread: Record<string, number> = {};
  for (const c of mine) spread[dayOf(c).slice(0, 7)] = (spread[dayOf(c).slice(0, 7)] ?? 0) + 1;
  const verdictTimeline = mine
    .filter((c) => c.verdict !== null)
    .map((c) => ({ date: dayOf(c), label: c.verdict!.label, claimId: c.id }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.claimId < b.claimId ? -1 : 1));
  return {
    id: n.id,
    status: n.status,
    mergedInto: n.mergedInto,
    subject: actorName(n.subjectId) ?? mine[0]?.subject ?? null,
    subjectId: n.subjectId,
    predicate: n.predicate,
    object: n.object,
    polarity: n.polarity,
    representative: n.representative,
    firstSeen: n.firstSeen,
    lastSeen: n.lastSeen,
    claimCount: mine.length,
    claims: mine.map((c) => c.id),
    actors: [...new Set(mine.map((c) => c.actor).filter((a): a is string => a !== null))].sort(),
    documents: [...new Set(mine.map((c) => c.documentId))].sort(),
    spread: Object.fromEntries(Object.entries(spread).sort()),
    verdictTimeline,
    events: await new NarrativesRepo(ws.db, ws.id).events(n.id),
  };
}

async function loadNames(ws: Workspace): Promise<(id: string | null) => string | null> {
  const registry = new RegistryRepo(ws.db, ws.id);
  const names = new Map<string, string>();
  for (const a of await registry.listActors()) names.set(a.id, a.name);
  for (const s of await registry.listSubjects()) names.set(s.id, s.name);
  return (id) => (id === null ? null : (names.get(id) ?? id));
}

async function requireClaim(ws: Workspace, id: string): Promise<StoredClaim> {
  const claim = (await new ClaimsRepo(ws.db, ws.id).list()).find((c) => c.id === id);
  if (!claim) throw new AppError('not_found', `no claim with id ${id}: list them with \`claimtrace claims\``);
  return claim;
}

function campaignJson(
  c: StoredCampaign,
  name: (id: string | null) => string | null,
): Record<string, unknown> {
  const edges = (c.data['edges'] ?? []) as (CoordinationEdge & { aName?: string; bName?: string })[];
  return {
    id: c.id,
    label: c.label,
    explanation: c.explanation,
    actors: c.members.map((m) => ({ id: m.actorId, name: name(m.actorId), role: m.role ?? 'member' })),
    associates: c.data['associates'] ?? [],
    narratives: c.data['narratives'] ?? [],
    urls: c.data['urls'] ?? [],
    documents: c.data['documents'] ?? [],
    scores: c.scores,
    edges: edges.map((e) => ({
      a: e.aName ?? name(e.a),
      b: e.bName ?? name(e.b),
      basis: e.basis ?? 'tested',
      score: e.score,
      coActions: e.coActions,
      signals: e.signals,
      qValue: e.qValue,
      affiliated: e.affiliated,
      explanations: e.explanations,
    })),
    window: c.data['window'] ?? null,
  };
}

/**
 * The stored campaigns as a CoordinationResult, so the export shows exactly what `campaigns`
 * lists (detection is not re-run: a re-run could differ after later edits). Nodes are actor names;
 * only edges inside campaigns are stored, so edges between unclustered actors are absent.
 */
function storedAsResult(
  stored: readonly StoredCampaign[],
  name: (id: string | null) => string | null,
): CoordinationResult {
  const rename = (e: CoordinationEdge): CoordinationEdge => ({
    ...e,
    a: name(e.a) ?? e.a,
    b: name(e.b) ?? e.b,
  });
  const campaigns: Campaign[] = stored.map((c) => {
    const edges = ((c.data['edges'] ?? []) as CoordinationEdge[]).map(rename);
    return {
      id: c.id,
      members: c.members.filter((m) => m.role !== 'associated').map((m) => name(m.actorId) ?? m.actorId),
      associates: ((c.data['associates'] ?? []) as CampaignAssociate[]).map((a) => ({ ...a, actorId: name(a.actorId) ?? a.actorId, met: a.met.map((m) => name(m) ?? m) })),
      narratives: (c.data['narratives'] ?? []) as string[],
      urls: (c.data['urls'] ?? []) as string[],
      statementIds: (c.data['documents'] ?? []) as string[],
      scores: { narrative: 0, text: 0, link: 0, affiliation: 0, total: 0, ...c.scores },
      coordinatedEdges: Number(c.data['coordinatedEdges'] ?? 0),
      coordinatedAndAffiliatedEdges: Number(c.data['coordinatedAndAffiliatedEdges'] ?? 0),
      edges,
    };
  });
  const tauMs = Number(stored[0]?.data['tauMs'] ?? 0);
  return {
    campaigns,
    edges: campaigns.flatMap((c) => c.edges),
    tauMs,
    windowMs: tauMs * 3,
    stats: {
      statements: 0,
      actors: campaigns.reduce((x, c) => x + c.members.length, 0),
      objects: 0,
      candidatePairs: 0,
      tested: 0,
    },
  };
}

function topK(value: string): number {
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1)
    throw new AppError('invalid_input', `--top must be a whole number of at least 1 (got "${value}")`);
  return k;
}

/** narratives, campaigns and similar: what is said together, by whom, and what reads alike. */
export const coordinateCommands: CommandModule = (program: Command) => {
  const narratives = program
    .command('narratives')
    .description('list narratives: claims that say the same thing, with spread and verdict timeline')
    .option('--json', 'print JSON')
    .option('--all', 'include narratives merged into others')
    .action(async (o: { all?: boolean }, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const name = await loadNames(ws);
        const claims = await new ClaimsRepo(ws.db, ws.id).list();
        const list = await new NarrativesRepo(ws.db, ws.id).list(o.all === true);
        const out = [];
        for (const n of list) out.push(await narrativeJson(ws, n, claims, name));
        if (opts.json) return printJson(out);
        printTable(
          ['id', 'subject', 'predicate', 'claims', 'first seen', 'last seen', 'representative'],
          out.map((n) => [
            String(n['id']),
            safe(String(n['subject'] ?? '')),
            String(n['predicate']),
            Number(n['claimCount']),
            String(n['firstSeen'] ?? ''),
            String(n['lastSeen'] ?? ''),
            safe(String(n['representative'])),
          ]),
        );
      });
    });

  narratives
    .command('show <id>')
    .description('one narrative with its claims, verdict timeline and history')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const n = await new NarrativesRepo(ws.db, ws.id).require(id);
        const claims = await new ClaimsRepo(ws.db, ws.id).list();
        const j = await narrativeJson(ws, n, claims, await loadNames(ws));
        if (opts.json) return printJson(j);
        println(
          `${n.id} (${n.status}${n.mergedInto ? ` into ${n.mergedInto}` : ''}): ${safe(n.representative)}`,
        );
        println(
          `${String(j['subject'])} · ${n.predicate} · ${n.object ?? '-'} · ${n.polarity} · ${String(j['claimCount'])} claim(s), ${n.firstSeen ?? '?'} to ${n.lastSeen ?? '?'}`,
        );
        for (const v of j['verdictTimeline'] as { date: string; label: string; claimId: string }[])
          println(`  ${v.date}  ${v.label}  ${v.claimId}`);
        println('history:');
        for (const e of j['events'] as {
          action: string;
          claimId: string | null;
          user: string | null;
          note: string | null;
          createdAt: string;
        }[]) {
          println(
            `  ${e.createdAt}  ${e.action}${e.claimId ? ` ${e.claimId}` : ''}${e.user ? ` by ${e.user}` : ''}${e.note ? `: ${safe(e.note)}` : ''}`,
          );
        }
      });
    });

  narratives
    .command('confirm <claim> <narrative>')
    .description('confirm that a claim belongs to a narrative (moves it there if it was elsewhere)')
    .action(async (claimId: string, narrativeId: string, _o: unknown, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const claim = await requireClaim(ws, claimId);
        await ws.db.transaction().execute(async (trx) => {
          const repo = new NarrativesRepo(trx, ws.id);
          const n = await repo.require(narrativeId);
          if (n.status !== 'open')
            throw new AppError(
              'conflict',
              `narrative ${n.id} was merged into ${n.mergedInto ?? '?'}: confirm the claim there`,
            );
          const from = claim.narrativeId;
          if (from !== n.id) await repo.assign(claim.id, n.id, dayOf(claim));
          const note = from && from !== n.id ? `moved from ${from}` : null;
          await repo.addEvent(n.id, 'confirm', { claimId: claim.id, user: ws.config.user, note });
          await new AuditRepo(trx, ws.id).record(ws.config.user, 'narrative.confirm', 'narrative', n.id, {
            claimId: claim.id,
            from,
          });
        });
        if (opts.json) return printJson({ claimId, narrativeId, action: 'confirm' });
        println(`claim ${claimId} confirmed in narrative ${narrativeId}`);
      });
    });

  narratives
    .command('reject <claim> <narrative>')
    .description('take a claim out of a narrative: it moves to a new narrative of its own')
    .action(async (claimId: string, narrativeId: string, _o: unknown, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const claim = await requireClaim(ws, claimId);
        if (claim.narrativeId !== narrativeId)
          throw new AppError(
            'conflict',
            `claim ${claimId} is not in narrative ${narrativeId} (it is in ${claim.narrativeId ?? 'none'})`,
          );
        const created = await ws.db.transaction().execute(async (trx) => {
          const repo = new NarrativesRepo(trx, ws.id);
          await repo.require(narrativeId);
          const day = dayOf(claim);
          const n = await repo.create({
            subjectId: claim.subjectId,
            predicate: claim.predicate,
            object: claim.object,
            polarity: claim.polarity,
            representative: claim.quote,
            firstSeen: day,
            lastSeen: day,
          });
          await repo.assign(claim.id, n.id, day);
          await repo.addEvent(narrativeId, 'reject', {
            claimId: claim.id,
            user: ws.config.user,
            note: `moved to ${n.id}`,
          });
          await repo.addEvent(n.id, 'create', {
            claimId: claim.id,
            user: ws.config.user,
            note: `rejected from ${narrativeId}`,
          });
          await new AuditRepo(trx, ws.id).record(
            ws.config.user,
            'narrative.reject',
            'narrative',
            narrativeId,
            { claimId: claim.id, newNarrativeId: n.id },
          );
          return n.id;
        });
        if (opts.json) return printJson({ claimId, narrativeId, action: 'reject', newNarrativeId: created });
        println(`claim ${claimId} rejected from ${narrativeId}; now in new narrative ${created}`);
      });
    });

  narratives
    .command('merge <into> <from>')
    .description('merge narrative FROM into INTO (FROM stays as a merged record)')
    .action(async (into: string, from: string, _o: unknown, cmd: Command) => {
      const opts = globalOpts(cmd);
      if (into === from) throw new AppError('invalid_input', 'a narrative cannot be merged into itself');
      await withWorkspace(opts, async (ws) => {
        await ws.db.transaction().execute(async (trx) => {
          const repo = new NarrativesRepo(trx, ws.id);
          for (const id of [into, from]) {
            const n = await repo.require(id);
            if (n.status !== 'open')
              throw new AppError('conflict', `narrative ${id} is already merged into ${n.mergedInto ?? '?'}`);
          }
          const moved = await repo.claimIds(from);
          await repo.merge(into, from);
          await repo.addEvent(into, 'merge', {
            user: ws.config.user,
            note: `merged ${from} (${moved.length} claim(s))`,
          });
          await repo.addEvent(from, 'merge', { user: ws.config.user, note: `merged into ${into}` });
          await new AuditRepo(trx, ws.id).record(ws.config.user, 'narrative.merge', 'narrative', into, {
            from,
            claims: moved,
          });
        });
        if (opts.json) return printJson({ into, from, action: 'merge' });
        println(`narrative ${from} merged into ${into}`);
      });
    });

  program
    .command('campaigns')
    .description('coordinated campaigns found by the last run, with per-edge explanations')
    .option('--json', 'print JSON')
    .option('--export <format>', 'write the campaign graph: graphml or gexf (needs FILE)')
    .argument('[file]', 'output file for --export')
    .action(async (file: string | undefined, o: { export?: string }, cmd: Command) => {
      const opts = globalOpts(cmd);
      const format =
        o.export === undefined ? null : choice(o.export, ['graphml', 'gexf'] as const, '--export');
      if (format && !file) throw new AppError('invalid_input', `--export ${format} needs an output FILE`);
      await withWorkspace(opts, async (ws) => {
        const name = await loadNames(ws);
        const stored = await new CampaignsRepo(ws.db, ws.id).list();
        if (format && file) {
          const result = storedAsResult(stored, name);
          writeFileSync(file, format === 'graphml' ? toGraphML(result) : toGEXF(result));
          if (opts.json)
            return printJson({ file, format, campaigns: stored.length, edges: result.edges.length });
          return println(`wrote ${stored.length} campaign(s), ${result.edges.length} edge(s) to ${file}`);
        }
        const out = stored.map((c) => campaignJson(c, name));
        if (opts.json) return printJson(out);
        if (out.length === 0)
          return println('no campaigns: run `claimtrace run` first, or nothing acted together');
        for (const c of out) {
          println(`${String(c['id'])}: ${safe(String(c['label']))}`);
          println(`  ${safe(String(c['explanation']))}`);
          for (const e of c['edges'] as { explanations: string[] }[])
            for (const x of e.explanations) println(`  - ${safe(x)}`);
        }
      });
    });

  program
    .command('similar')
    .description(
      'rank stored narratives and claims by similarity to TEXT, or a TSV of queries against a TSV of candidates',
    )
    .argument('[text]', 'text to look up')
    .option('--top <k>', 'results per query', '10')
    .option('--batch <queries>', 'TSV file of id<TAB>text queries')
    .option('--candidates <candidates>', 'TSV file of id<TAB>text candidates (with --batch)')
    .option('--json', 'print JSON')
    .action(
      async (
        text: string | undefined,
        o: { top: string; batch?: string; candidates?: string },
        cmd: Command,
      ) => {
        const opts = globalOpts(cmd);
        const k = topK(o.top);
        if (o.batch !== undefined) {
          if (o.candidates === undefined)
            throw new AppError('invalid_input', '--batch needs --candidates CANDIDATES.tsv');
          process.stdout.write(
            similarBatch(readFileSync(o.batch, 'utf8'), readFileSync(o.candidates, 'utf8'), k),
          );
          return;
        }
        if (text === undefined || text.trim() === '')
          throw new AppError(
            'invalid_input',
            'give the TEXT to look up, or --batch QUERIES.tsv --candidates CANDIDATES.tsv',
          );
        await withWorkspace(opts, async (ws) => {
          const narratives = await new NarrativesRepo(ws.db, ws.id).list();
          const claims = await new ClaimsRepo(ws.db, ws.id).list();
          const candidates: SimilarCandidate[] = [
            ...narratives.map((n) => ({ id: n.id, text: n.representative })),
            ...claims.map((c) => ({ id: c.id, text: c.quote })),
          ];
          const byId = new Map<
            string,
            { kind: 'narrative' | 'claim'; text: string; narrativeId: string | null }
          >([
            ...narratives.map(
              (n) =>
                [n.id, { kind: 'narrative' as const, text: n.representative, narrativeId: n.id }] as const,
            ),
            ...claims.map(
              (c) => [c.id, { kind: 'claim' as const, text: c.quote, narrativeId: c.narrativeId }] as const,
            ),
          ]);
          const hits = candidates.length === 0 ? [] : searchSimilar(buildSimilarIndex(candidates), text, k);
          const out = hits.map((h, i) => ({ rank: i + 1, id: h.id, score: h.score, ...byId.get(h.id)! }));
          if (opts.json) return printJson(out);
          printTable(
            ['rank', 'kind', 'id', 'score', 'text'],
            out.map((h) => [h.rank, h.kind, h.id, h.score.toFixed(3), safe(h.text)]),
          );
        });
      },
    );
};
