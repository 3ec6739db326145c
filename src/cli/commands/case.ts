import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import type { VerdictLabel } from '../../domain/verdict.js';
import { VERDICT_LABELS } from '../../domain/verdict.js';
import { AppError } from '../../errors.js';
import {
  CASE_STATUSES,
  changeCaseStatus,
  createCase,
  listCases,
  loadCase,
  type CaseFile,
  type CaseStatement,
} from '../../respond/cases.js';
import { claimReviewJsonLd } from '../../respond/claimreview.js';
import { LETTER_FORMATS, LETTER_KINDS, renderLetter, type Sender } from '../../respond/letters.js';
import { monitorCases, type MonitorCaseReport } from '../../respond/monitor.js';
import { buildPack, verifyPackFile, type PackReport } from '../../respond/pack.js';
import { choice, collect, globalOpts, withWorkspace, type CommandModule } from '../context.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { printJson, printTable, println, safe } from '../output.js';


function statementLine(s: CaseStatement): string {
  const v = s.verdict;
  const label = v.human ? `${v.label} (human: ${v.reviewer ?? 'analyst'})` : v.label;
  const where = s.kind === 'reported' ? `reported by ${s.author ?? 'unknown'} at ${s.url}` : `${s.url}`;
  return `  [${label}] "${safe(s.quote)}" - ${safe(where)}${s.published ? `, ${s.published}` : ''}`;
}

function printCase(c: CaseFile): void {
  println(`case ${c.id}: ${safe(c.respondent.name)} about ${safe(c.subject.name)} - ${c.status}`);
  println(`statements published by ${safe(c.respondent.name)}: ${c.statements.length}`);
  for (const s of c.statements) println(statementLine(s));
  if (c.reported.length > 0) {
    println(
      `statements attributed to ${safe(c.respondent.name)} by others (cited as reported, not as its publication): ${c.reported.length}`,
    );
    for (const s of c.reported) println(statementLine(s));
  }
  for (const n of c.narratives) println(`narrative: ${safe(n.representative)}`);
  for (const m of c.campaigns) println(`campaign: ${safe(m.label)}`);
  for (const a of c.affiliations) println(`affiliation: ${safe(a.description)}`);
  if (c.missingClaimIds.length > 0)
    println(`no longer found or without verdict: ${c.missingClaimIds.join(', ')}`);
  for (const h of c.history)
    println(
      `${h.at} ${safe(h.user)} ${h.action}${h.from ? ` ${h.from} ->` : ''}${h.to ? ` ${h.to}` : ''}${h.note ? `: ${safe(h.note)}` : ''}`,
    );
}

function printPackReport(r: PackReport, json: boolean): void {
  if (json) {
    printJson(r);
    return;
  }
  println(
    `checked ${r.checked.files} files, ${r.checked.warcRecords} WARC records, ${r.checked.proofs} inclusion proofs`,
  );
  if (r.rootHash)
    println(`signed log root (${r.treeSize} entries, key ${r.keyId ?? 'unknown'}): ${r.rootHash}`);
  if (r.ok) println('verify-pack: OK, nothing was altered');
  else {
    println(`verify-pack: FAILED, ${r.problems.length} problem(s)`);
    for (const p of r.problems) println(`  [${p.file}${p.record ? ` ${p.record}` : ''}] ${safe(p.message)}`);
  }
}

function printMonitor(reports: MonitorCaseReport[]): void {
  if (reports.length === 0) {
    println('no open cases (sent or responded): nothing to monitor');
    return;
  }
  for (const r of reports) {
    println(
      `case ${r.caseId} (${safe(r.respondent)}): ${r.statusBefore}${r.statusAfter !== r.statusBefore ? ` -> ${r.statusAfter}` : ''}`,
    );
    for (const d of r.documents) {
      println(
        `  ${d.outcome}: ${safe(d.url)}${d.httpStatus !== null ? ` (HTTP ${d.httpStatus})` : ''}${d.captureId ? `, capture ${d.captureId}` : ''}${d.reason ? ` - ${safe(d.reason)}` : ''}`,
      );
    }
  }
}

/** A group command that may already exist (main.ts or another module made it): reuse it then. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new AppError('invalid_input', `${what} must be a whole number above 0 (got "${value}")`);
  return n;
}

/** `case`, `evidence verify-pack`, `export claimreview` and `monitor`. */
export const caseCommands: CommandModule = (program) => {
  const g = globalOpts;
  const kase = program
    .command('case')
    .description('response cases: statements, letters (drafts for counsel), evidence packs, status');

  kase
    .command('create')
    .description(
      'open a case against a respondent with its REFUTED statements, narratives, campaigns and affiliations',
    )
    .requiredOption('--respondent <actor>', 'the actor who made the statements (name, alias or id)')
    .option('--subject <name>', 'the subject the statements are about (needed when there are several)')
    .action(async (o: { respondent: string; subject?: string }, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const c = await createCase(ws, o.respondent, o.subject === undefined ? {} : { subject: o.subject });
        if (opts.json) printJson(c);
        else printCase(c);
      });
    });

  kase
    .command('list')
    .description('every case with its status')
    .option('--status <status>', 'only cases in this status (repeatable)', collect, [])
    .action(async (o: { status: string[] }, cmd: Command) => {
      const opts = g(cmd);
      for (const s of o.status) choice(s, CASE_STATUSES, '--status');
      await withWorkspace(opts, async (ws) => {
        const cases = await listCases(ws, { status: o.status });
        if (opts.json) printJson(cases);
        else if (cases.length === 0)
          println('no cases yet: open one with `claimtrace case create --respondent ACTOR`');
        else
          printTable(
            ['id', 'respondent', 'subject', 'status', 'own', 'reported', 'updated'],
            cases.map((c) => [
              c.id,
              c.respondent.name,
              c.subject.name,
              c.status,
              c.statements.length,
              c.reported.length,
              c.updatedAt,
            ]),
          );
      });
    });

  kase
    .command('show <case>')
    .description('a case with its statements, verdicts (human decisions marked), context and history')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const c = await loadCase(ws, id);
        if (opts.json) printJson(c);
        else printCase(c);
      });
    });

  kase
    .command('status <case> <status>')
    .description(
      `move a case: draft -> sent -> responded -> retracted | refused | escalated (recorded in the audit log)`,
    )
    .option('--note <text>', 'why (kept in the audit log)')
    .action(async (id: string, status: string, o: { note?: string }, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const c = await changeCaseStatus(ws, id, status, o.note === undefined ? {} : { note: o.note });
        if (opts.json) printJson(c);
        else println(`case ${c.id}: ${c.status}`);
      });
    });

  kase
    .command('letter <case>')
    .description('write a letter as a DRAFT for counsel (never sent) from templates/letters')
    .requiredOption('--kind <kind>', `${LETTER_KINDS.join(' or ')}`)
    .option('--format <format>', `${LETTER_FORMATS.join(', ')}`, 'md')
    .requiredOption('--out <file>', 'where to write the letter')
    .option('--sender <name>', 'sender name (default: the subject)')
    .option('--sender-address <text>', 'sender address line')
    .option('--sender-contact <text>', 'sender contact (counsel, e-mail)')
    .option('--deadline-days <n>', 'days to comply', '14')
    .option('--date <yyyy-mm-dd>', 'date of the letter (default today)')
    .option('--harm <text>', 'describe the harm in your own words')
    .option('--templates <dir>', 'a folder of edited templates')
    .action(
      async (
        id: string,
        o: {
          kind: string;
          format: string;
          out: string;
          sender?: string;
          senderAddress?: string;
          senderContact?: string;
          deadlineDays: string;
          date?: string;
          harm?: string;
          templates?: string;
        },
        cmd: Command,
      ) => {
        const opts = g(cmd);
        const kind = choice(o.kind, LETTER_KINDS, '--kind');
        const format = choice(o.format, LETTER_FORMATS, '--format');
        if (o.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.date))
          throw new AppError('invalid_input', `--date must be YYYY-MM-DD (got "${o.date}")`);
        await withWorkspace(opts, async (ws) => {
          let sender: Sender | undefined;
          if (o.sender !== undefined)
            sender = {
              name: o.sender,
              ...(o.senderAddress ? { address: o.senderAddress } : {}),
              ...(o.senderContact ? { contact: o.senderContact } : {}),
            };
          else if (o.senderAddress || o.senderContact) {
            const c = await loadCase(ws, id);
            sender = {
              name: c.subject.name,
              ...(o.senderAddress ? { address: o.senderAddress } : {}),
              ...(o.senderContact ? { contact: o.senderContact } : {}),
            };
          }
          const { letter, bytes } = await renderLetter(ws, id, {
            kind,
            format,
            deadlineDays: positiveInt(o.deadlineDays, '--deadline-days'),
            ...(sender ? { sender } : {}),
            ...(o.date ? { date: o.date } : {}),
            ...(o.harm ? { harm: o.harm } : {}),
            ...(o.templates ? { templateDir: o.templates } : {}),
          });
          writeFileAtomic(o.out, bytes);
          const n =
            (letter.view['statements'] as unknown[]).length + (letter.view['reported'] as unknown[]).length;
          if (opts.json)
            printJson({
              caseId: id,
              kind,
              format,
              out: o.out,
              bytes: bytes.byteLength,
              statements: n,
              draft: true,
            });
          else
            println(
              `wrote ${kind} letter for case ${id} (${n} statement(s)) to ${o.out} - a DRAFT for counsel; claimtrace sends nothing`,
            );
        });
      },
    );

  kase
    .command('pack <case>')
    .description('write a WACZ 1.2 evidence pack (WARC records, pages, proofs, signed digest, PDF summary)')
    .requiredOption('--out <file>', 'the .wacz file to write')
    .action(async (id: string, o: { out: string }, cmd: Command) => {
      const opts = g(cmd);
      await withWorkspace(opts, async (ws) => {
        const pack = await buildPack(ws, id);
        writeFileAtomic(o.out, pack.bytes);
        if (opts.json)
          printJson({
            caseId: id,
            out: o.out,
            bytes: pack.bytes.byteLength,
            files: pack.files,
            documents: pack.documents,
            warcRecords: pack.records,
          });
        else
          println(
            `wrote evidence pack for case ${id} to ${o.out}: ${pack.documents} document(s), ${pack.records} WARC record(s), ${pack.files.length} files`,
          );
      });
    });

  group(program, 'evidence', 'the tamper-evident evidence log')
    .command('verify-pack <file>')
    .description('check an evidence pack offline: file hashes, signed digest, WARC digests, inclusion proofs')
    .action((file: string, _o: unknown, cmd: Command) => {
      const opts = g(cmd);
      const report = verifyPackFile(file);
      printPackReport(report, opts.json === true);
      if (!report.ok) process.exitCode = 2;
    });

  group(program, 'export', 'export data for other tools')
    .command('claimreview')
    .description(
      'schema.org ClaimReview JSON-LD for current verdicts (rating 1 = REFUTED, 3 = NOT_ENOUGH_INFO, 5 = SUPPORTED)',
    )
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--org <name>', 'the reviewing organisation (default: the workspace name)')
    .option('--org-url <url>', "the organisation's URL")
    .option('--label <label>', 'only this label (repeatable)', collect, [])
    .action(async (o: { out?: string; org?: string; orgUrl?: string; label: string[] }, cmd: Command) => {
      const opts = g(cmd);
      const labels = o.label.map((l) => choice(l.toUpperCase(), VERDICT_LABELS, '--label')) as VerdictLabel[];
      await withWorkspace(opts, async (ws) => {
        const doc = await claimReviewJsonLd(ws, {
          ...(o.org ? { organisation: o.org } : {}),
          ...(o.orgUrl ? { organisationUrl: o.orgUrl } : {}),
          ...(labels.length > 0 ? { labels } : {}),
        });
        const text = JSON.stringify(doc, null, 2) + '\n';
        if (o.out) {
          writeFileAtomic(o.out, text);
          println(
            opts.json
              ? JSON.stringify({ out: o.out, reviews: (doc['@graph'] as unknown[]).length })
              : `wrote ${(doc['@graph'] as unknown[]).length} ClaimReview item(s) to ${o.out}`,
          );
        } else process.stdout.write(text);
      });
    });

  program
    .command('monitor')
    .description(
      'capture again every URL cited in open cases; record edits, removals and corrections; mark retracted cases',
    )
    .option('--once', 'one pass, then exit')
    .option('--interval <minutes>', 'minutes between passes when not --once', '60')
    .option('--allow-private-network', 'allow loopback and private addresses (tests, internal mirrors)')
    .action(async (o: { once?: boolean; interval: string; allowPrivateNetwork?: boolean }, cmd: Command) => {
      const opts = g(cmd);
      const minutes = positiveInt(o.interval, '--interval');
      for (;;) {
        const reports = await withWorkspace(opts, (ws) =>
          monitorCases(ws, o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
        );
        if (opts.json) printJson(reports);
        else printMonitor(reports);
        if (o.once) return;
        await sleep(minutes * 60_000);
      }
    });
};
