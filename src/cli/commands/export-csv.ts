import type { Command } from 'commander';
import { ClaimsRepo, type StoredClaim } from '../../store/claims-repo.js';
import { globalOpts, withWorkspace, type CommandModule } from '../context.js';
import { writeFileAtomic } from '../../store/atomic-file.js';

const COLUMNS = ['id', 'document_id', 'url', 'published', 'actor', 'subject', 'predicate', 'object', 'polarity', 'modality', 'speaker', 'event_date', 'quote', 'verdict', 'verdict_as_of', 'review'] as const;

/**
 * One CSV cell, safe to open in a spreadsheet: a value starting with = + - @, tab or carriage
 * return would run as a formula (OWASP "CSV injection"), so it gets a leading apostrophe; then
 * RFC 4180 quoting for commas, quotes and line breaks.
 */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The claims as CSV, header first, CRLF line ends (RFC 4180). */
export function claimsCsv(claims: StoredClaim[]): string {
  const rows = claims.map((c) => [
    c.id,
    c.documentId,
    c.url ?? c.location,
    c.published,
    c.actor,
    c.subject,
    c.predicate,
    c.object,
    c.polarity,
    c.modality,
    c.speaker,
    c.eventDate,
    c.quote,
    c.verdict?.label ?? null,
    c.verdict?.asOf ?? null,
    c.review?.label ?? null,
  ]);
  return [[...COLUMNS], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}


async function exportCsv(cmd: Command, out: string | undefined): Promise<void> {
  await withWorkspace(globalOpts(cmd), async (ws) => {
    const csv = claimsCsv(await new ClaimsRepo(ws.db, ws.id).list());
    if (out) writeFileAtomic(out, csv);
    else process.stdout.write(csv);
  });
}

/**
 * `claims --csv` and `export csv`: claims for spreadsheets, with formula injection neutralised.
 * `claims` is defined in main.ts; its action is swapped for this one only when --csv is given.
 */
export const exportCsvCommands: CommandModule = (program) => {
  const claims = program.commands.find((c) => c.name() === 'claims');
  if (claims) {
    claims.option('--csv', 'print every claim as CSV (spreadsheet-safe) instead of a table').option('--out <file>', 'with --csv: write to this file');
    claims.hook('preAction', (cmd) => {
      const o = cmd.opts<{ csv?: boolean; out?: string }>();
      if (o.csv) cmd.action(async () => exportCsv(cmd, o.out));
    });
  }
  const exp = program.commands.find((c) => c.name() === 'export') ?? program.command('export').description('export claims and reviews');
  exp
    .command('csv')
    .description('every claim with its verdict as CSV (cells that a spreadsheet would run as formulas are neutralised)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (o: { out?: string }, cmd: Command) => exportCsv(cmd, o.out));
};
