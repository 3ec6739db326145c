import type { Command } from 'commander';
import { parsePartialDate } from '../../domain/dates.js';
import { AppError } from '../../errors.js';
import { ClaimsRepo, type StoredClaim } from '../../store/claims-repo.js';
import { DatasetsRepo, type DatasetVersion } from '../../store/datasets-repo.js';
import { RegistryRepo } from '../../store/registry-repo.js';
import { screenDetailed } from '../../verify/screen.js';
import { importActorsFile, importDataset, type ImportResult } from '../../verify/service.js';
import { updateLists } from '../../verify/update.js';
import { isJudgeable, judgeWorkspaceClaims, loadVerdictData } from '../../verify/verdict-data.js';
import { collect, globalOpts, withWorkspace, type CommandModule } from '../context.js';
import { printJson, printTable, println, safe } from '../output.js';

function isoDay(value: string, what: string): string {
  const d = parsePartialDate(value);
  if (!d || d.precision !== 'day') throw new AppError('invalid_input', `${what} must be a day such as 2025-02-01 (got "${value}")`);
  return d.value;
}

function versionJson(v: DatasetVersion, current: boolean): Record<string, unknown> {
  return {
    id: v.id,
    sourceId: v.sourceId,
    sourceUrl: v.sourceUrl,
    retrievedAt: v.retrievedAt,
    sha256: v.sha256,
    coverage: { from: v.coverageFrom, to: v.coverageTo },
    complete: v.complete,
    lists: v.listIds,
    records: v.recordCount,
    fictional: v.fictional,
    file: v.fileName,
    warnings: v.warnings,
    notes: v.notes,
    current,
  };
}

function printImport(r: ImportResult, json: boolean): void {
  if (json) {
    printJson({ ...r, version: r.version ? versionJson(r.version, true) : null });
    return;
  }
  const v = r.version;
  if (v) {
    println(
      `${r.created ? 'imported' : 'already imported:'} ${r.sourceId} version ${v.id}: ${r.records} records${r.cves ? `, ${r.cves} CVE records` : ''}` +
        ` for ${r.listIds.join(', ') || 'no list'}; coverage ${v.coverageFrom ?? '?'} to ${v.coverageTo ?? '?'}; ${v.complete ? 'complete' : 'partial'}${v.fictional ? '; FICTIONAL' : ''}`,
    );
  }
  if (r.actors) println(`actors: ${r.actors.actors} (${r.actors.actorsCreated} new); relationships: ${r.actors.relationships} (${r.actors.relationshipsCreated} new); ${r.actors.skipped} links skipped`);
  for (const w of r.warnings) println(`  warning: ${safe(w)}`);
  if (r.rejudged) println(`re-judged ${r.rejudged.judged} claims: ${r.rejudged.changed} new verdicts (old ones kept as history)`);
}

function claimSummary(c: StoredClaim): Record<string, unknown> {
  return { id: c.id, subject: c.subject, predicate: c.predicate, object: c.object, polarity: c.polarity, modality: c.modality, eventDate: c.eventDate, published: c.published, quote: c.quote, documentId: c.documentId };
}

/** `lists`, `lists import`, `lists update`, `screen`, `verify` and `actor import`. */
export const listsCommands: CommandModule = (program) => {
  const g = globalOpts;

  const lists = program
    .command('lists')
    .description('official list sources held: versions, coverage, complete or partial, record counts, warnings')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const all = await new DatasetsRepo(ws.db, ws.id).versions();
        const latest = new Map<string, string>();
        for (const v of [...all].sort((a, b) => a.retrievedAt.localeCompare(b.retrievedAt) || a.createdAt.localeCompare(b.createdAt))) latest.set(v.sourceId, v.id);
        const rows = all.map((v) => versionJson(v, latest.get(v.sourceId) === v.id));
        if (opts.json) {
          printJson(rows);
          return;
        }
        if (rows.length === 0) {
          println('no list versions yet: run `claimtrace init` (imports the bundled snapshot) or `claimtrace lists import SOURCE FILE`');
          return;
        }
        printTable(
          ['source', 'version', 'retrieved', 'coverage', 'kind', 'records', 'lists', 'warnings'],
          all.map((v) => [
            `${v.sourceId}${v.fictional ? ' (FICTIONAL)' : ''}`,
            v.id,
            v.retrievedAt.slice(0, 10),
            `${v.coverageFrom ?? '?'}..${v.coverageTo ?? '?'}`,
            v.complete ? 'complete' : 'partial',
            v.recordCount,
            v.listIds.join(' '),
            v.warnings.length,
          ]),
          40,
        );
      });
    });

  lists
    .command('import <source> <file>')
    .description('import an official file as a dataset version (fcc-covered-list, us-1260h, us-entity-list, ofac-sdn, ofac-ns-cmic, uflpa, ndaa-889, csl, ftm, cve, example-NAME)')
    .option('--complete', 'the file is the whole list for its dates (absence then refutes)')
    .option('--partial', 'the file is a subset (absence proves nothing)')
    .option('--source-url <url>', 'where the file was published')
    .option('--retrieved <date>', 'when the file was retrieved (ISO day or timestamp; default now)')
    .option('--actors', 'ftm only: also import people, organisations and their relationships as actors')
    .action(async (source: string, file: string, o: { complete?: boolean; partial?: boolean; sourceUrl?: string; retrieved?: string; actors?: boolean }, cmd: Command) => {
      const opts = g(cmd);
      if (o.complete && o.partial) throw new AppError('invalid_input', 'give --complete or --partial, not both');
      await withWorkspace(opts, async (ws) => {
        const r = await importDataset(ws, source, file, {
          ...(o.complete ? { complete: true } : o.partial ? { complete: false } : {}),
          ...(o.sourceUrl ? { sourceUrl: o.sourceUrl } : {}),
          ...(o.retrieved ? { retrievedAt: o.retrieved } : {}),
          ...(o.actors ? { actors: true } : {}),
        });
        printImport(r, opts.json === true);
      });
    });

  lists
    .command('update')
    .description('fetch the official files (FCC, UFLPA, CSL, OFAC SDN) and import new versions; offline sources are skipped')
    .option('--source <id>', 'only this source (repeatable)', collect, [])
    .option('--url <id=url>', 'fetch a source from another URL, e.g. a mirror (repeatable)', collect, [])
    .option('--allow-private-network', 'allow URLs on private or loopback addresses')
    .action(async (o: { source: string[]; url: string[]; allowPrivateNetwork?: boolean }, cmd: Command) => {
      const opts = g(cmd);
      const urls: Record<string, string> = {};
      for (const u of o.url) {
        const i = u.indexOf('=');
        if (i <= 0) throw new AppError('invalid_input', `--url takes SOURCE=URL (got "${u}")`);
        urls[u.slice(0, i)] = u.slice(i + 1);
      }
      await withWorkspace(opts, async (ws) => {
        const out = await updateLists(ws, { sources: o.source, urls, allowPrivateNetwork: o.allowPrivateNetwork === true });
        if (opts.json) printJson(out.map(({ result, ...rest }) => ({ ...rest, version: result?.version?.id ?? null })));
        else for (const r of out) println(`${r.sourceId}: ${safe(r.message)}`);
        if (out.some((r) => r.status === 'failed')) process.exitCode = 1;
      });
    });

  program
    .command('screen <name>')
    .description('screen a name against the lists held: matches with list, record, score, dates, source and why')
    .option('--on <date>', 'only entries listed on this day')
    .option('--list <id>', 'only this list (repeatable)', collect, [])
    .action(async (name: string, o: { on?: string; list: string[] }, cmd: Command) => {
      const opts = g(cmd);
      const on = o.on ? isoDay(o.on, '--on') : undefined;
      await withWorkspace(opts, async (ws) => {
        const data = await loadVerdictData(ws);
        const subject = await new RegistryRepo(ws.db, ws.id).findSubject(name);
        const r = screenDetailed(data.index, name, {
          ...(on ? { on } : {}),
          ...(o.list.length ? { listIds: o.list } : {}),
          ...(subject ? { aliases: subject.aliases } : {}),
          ...(data.ownership ? { ownership: data.ownership } : {}),
        });
        const matches = r.matches.map((m) => {
          const v = data.versionOf?.(m.record);
          const stored = v ? data.stored.get(v.id) : undefined;
          return {
            list: m.listId,
            recordId: m.recordKey,
            listedName: m.listedName,
            matchedName: m.matchedName,
            queryName: m.queryName,
            score: Number(m.score.toFixed(3)),
            basis: m.basis,
            confidence: m.confidence,
            listedFrom: m.listedFrom,
            listedUntil: m.listedUntil,
            sourceUrl: m.sourceUrl,
            dataset: v?.sourceId ?? null,
            datasetVersion: v?.id ?? null,
            complete: v?.complete ?? null,
            fictional: stored?.fictional ?? false,
            explanation: m.explanation,
          };
        });
        if (opts.json) {
          printJson({ query: name, on: on ?? null, lists: o.list.length ? o.list : null, aliases: subject?.aliases ?? [], matches });
          return;
        }
        if (matches.length === 0) {
          println(`no matches for "${safe(name)}"${on ? ` on ${on}` : ''}`);
          return;
        }
        printTable(
          ['list', 'listed name', 'score', 'basis', 'from', 'until', 'dataset'],
          matches.map((m) => [m.list, m.listedName, m.score.toFixed(3), `${m.basis} (${m.confidence})`, m.listedFrom, m.listedUntil, `${m.dataset ?? ''}${m.fictional ? ' FICTIONAL' : ''}`]),
        );
        for (const m of matches) println(`- ${safe(m.explanation)}`);
      });
    });

  program
    .command('verify')
    .description('judge claims against the official records as of their dates (all, or one with its verdict history)')
    .option('--claim <id>', 'judge this claim and show its verdict history')
    .action(async (o: { claim?: string }, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const data = await loadVerdictData(ws);
        if (!o.claim) {
          const s = await judgeWorkspaceClaims(ws, data);
          if (opts.json) printJson(s);
          else println(`judged ${s.judged} claims (${Object.entries(s.labels).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}): ${s.changed} new verdicts, ${s.unchanged} unchanged; ${s.skipped} not statements of fact`);
          return;
        }
        const repo = new ClaimsRepo(ws.db, ws.id);
        const before = await repo.get(o.claim);
        if (!before) throw new AppError('not_found', `no claim ${o.claim}: list claims with \`claimtrace claims\``);
        await judgeWorkspaceClaims(ws, data, { claimIds: [o.claim] });
        const c = (await repo.get(o.claim))!;
        const history = await repo.verdictHistory(o.claim);
        const why = isJudgeable(c) ? null : `a ${c.modality} statement${c.predicate === 'other' ? ' outside the checkable predicates' : ''} is not a statement of fact: no verdict`;
        if (opts.json) {
          printJson({ claim: claimSummary(c), verdict: c.verdict, review: c.review, history, note: why });
          return;
        }
        println(`claim ${c.id}: ${safe(c.subject)} ${c.predicate} ${c.object ?? ''} (${c.polarity}, ${c.modality}): "${safe(c.quote)}"`);
        if (why) println(why);
        if (c.verdict) {
          println(`verdict: ${c.verdict.label} as of ${c.verdict.asOf} (${c.verdict.asOfBasis})`);
          println(safe(c.verdict.explanation));
          for (const e of c.verdict.evidence) println(`  evidence: ${e.datasetId ?? e.type} ${e.datasetVersionId ?? ''} ${e.recordId ?? ''} ${e.sourceUrl ?? ''} - ${safe(e.note)}`);
        }
        if (c.review) println(`human review: ${c.review.label} by ${safe(c.review.user)}: ${safe(c.review.reason)}`);
        if (history.length > 1) {
          println('history:');
          for (const h of history) println(`  ${h.createdAt} ${h.label} as of ${h.asOf}${h.current ? ' (current)' : ''}`);
        }
      });
    });

  const actor = program.commands.find((c) => c.name() === 'actor');
  actor
    ?.command('import <file>')
    .description('import people, organisations and their ownership, employment, membership and directorship links from FollowTheMoney JSON lines')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const s = await importActorsFile(ws, file);
        if (opts.json) printJson(s);
        else println(`actors: ${s.actors} (${s.actorsCreated} new); relationships: ${s.relationships} (${s.relationshipsCreated} new); ${s.skipped} links skipped (an end not in the file)`);
      });
    });
};
