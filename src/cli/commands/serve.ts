import type { Command } from 'commander';
import { ingest } from '../../capture/ingest.js';
import { VERDICT_LABELS, type VerdictLabel } from '../../domain/verdict.js';
import { AppError } from '../../errors.js';
import { startServer, isLoopback } from '../../http/server.js';
import { AuditRepo } from '../../store/audit-repo.js';
import { ReviewsRepo, type ReviewAction } from '../../store/reviews-repo.js';
import { ROLES, TokensRepo, type Role } from '../../store/tokens-repo.js';
import type { Workspace } from '../../store/workspace.js';
import { choice, globalOpts, withWorkspace, type CommandModule } from '../context.js';
import { printJson, printTable, println, safe } from '../output.js';

export interface ServeCliOptions {
  port: number;
  host: string;
  /** Create an admin token for this run and print it (the demo). */
  demoToken?: boolean;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new AppError('invalid_input', `--port must be a number from 0 to 65535 (got "${v}")`);
  return n;
}

/**
 * Serves the workspace until SIGINT/SIGTERM, printing the dashboard URL. On loopback a token is
 * created when none exists (or always, for the demo) and printed once; its secret goes after #
 * in the URL, which browsers never send to the server.
 */
export async function serveWorkspace(ws: Workspace, opts: ServeCliOptions): Promise<void> {
  const tokens = new TokensRepo(ws.db, ws.id);
  let secret: string | null = null;
  if (isLoopback(opts.host) && (opts.demoToken || (await tokens.activeCount()) === 0)) {
    const created = await tokens.create(opts.demoToken ? 'demo-admin' : 'local-admin', 'admin');
    await new AuditRepo(ws.db, ws.id).record(ws.config.user, 'token.create', 'token', created.id, { name: created.name, role: created.role, auto: true });
    secret = created.token;
  }
  const server = await startServer(ws, { port: opts.port, host: opts.host });
  println(`claimtrace serve: dashboard and API at ${server.url} (API reference: ${server.url}api/v1/openapi.json)`);
  if (secret) {
    println(`admin token (shown once, keep it private): ${secret}`);
    println(`open: ${server.url}#token=${secret}`);
  } else {
    println('sign in with an API token (claimtrace token create --role viewer|analyst|counsel|admin)');
  }
  println('press Ctrl+C to stop');
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function review(ws: Workspace, action: ReviewAction, claimId: string, o: { label?: string; reason: string; evidence?: string }): Promise<unknown> {
  const label = o.label === undefined ? undefined : choice(o.label.toUpperCase(), VERDICT_LABELS, '--label');
  let evidenceDocumentId: string | null = null;
  if (o.evidence) {
    const [r] = await ingest(ws, [o.evidence], { overrides: { kind: 'other', title: `Review evidence: ${o.evidence}` } });
    if (!r || r.status === 'failed' || !r.documentId) throw new AppError('parse_failed', `the evidence file could not be captured: ${r?.error ?? 'no result'}`);
    evidenceDocumentId = r.documentId;
  }
  const saved = await new ReviewsRepo(ws.db, ws.id).add({ claimId, action, label: label as VerdictLabel | undefined, reason: o.reason, evidenceDocumentId, user: ws.config.user });
  await new AuditRepo(ws.db, ws.id).record(ws.config.user, `review.${action}`, 'claim', claimId, { reviewId: saved.id, label: saved.label, evidenceDocumentId });
  return saved;
}

/** serve, token and review commands. */
export const serveCommands: CommandModule = (program) => {
  program
    .command('serve')
    .description('serve the HTTP API (/api/v1) and the web dashboard')
    .option('--port <n>', 'port to listen on', '8787')
    .option('--host <host>', 'address to bind (non-loopback needs an existing token)', '127.0.0.1')
    .action(async (o: { port: string; host: string }, cmd: Command) => {
      await withWorkspace(globalOpts(cmd), (ws) => serveWorkspace(ws, { port: parsePort(o.port), host: o.host }));
    });

  const token = program.command('token').description('API tokens for the HTTP API and dashboard');
  token
    .command('create')
    .description('create a token; its secret is printed once and stored only as a hash')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'a name for the token (who or what uses it)')
    .action(async (o: { role: string; name?: string }, cmd: Command) => {
      const opts = globalOpts(cmd);
      const role = choice<Role>(o.role, ROLES, '--role');
      await withWorkspace(opts, async (ws) => {
        const created = await new TokensRepo(ws.db, ws.id).create(o.name ?? `${role}-${new Date().toISOString().slice(0, 10)}`, role);
        await new AuditRepo(ws.db, ws.id).record(ws.config.user, 'token.create', 'token', created.id, { name: created.name, role });
        if (opts.json) printJson(created);
        else {
          println(`created ${role} token ${created.id} (${safe(created.name)})`);
          println(`secret (shown once): ${created.token}`);
        }
      });
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const list = await new TokensRepo(ws.db, ws.id).list();
        if (opts.json) printJson(list);
        else printTable(['id', 'name', 'role', 'created', 'revoked'], list.map((t) => [t.id, t.name, t.role, t.createdAt, t.revokedAt]));
      });
    });

  const rev = program.command('review').description('human review of verdicts');
  for (const action of ['confirm', 'override'] as const) {
    rev
      .command(`${action} <claim>`)
      .description(action === 'confirm' ? 'confirm the automatic verdict of a claim' : 'override the verdict of a claim with your own label')
      .option('--label <label>', VERDICT_LABELS.join(' | '))
      .requiredOption('--reason <text>', 'why: kept beside the verdict and shown wherever it appears')
      .option('--evidence <file>', 'a file backing the decision (audit report, official letter); captured as a document')
      .action(async (claim: string, o: { label?: string; reason: string; evidence?: string }, cmd: Command) => {
        const opts = globalOpts(cmd);
        await withWorkspace(opts, async (ws) => {
          const saved = await review(ws, action, claim, o);
          if (opts.json) printJson(saved);
          else println(`${action === 'confirm' ? 'confirmed' : 'overrode'} ${claim}: ${(saved as { label: string }).label} (human review)`);
        });
      });
  }
  rev
    .command('queue')
    .description('NOT_ENOUGH_INFO claims waiting for a review, widest-spread narrative first')
    .option('--limit <n>', 'how many to show', '30')
    .action(async (o: { limit: string }, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const queue = await new ReviewsRepo(ws.db, ws.id).queue();
        const shown = queue.slice(0, Math.max(1, Number(o.limit) || 30));
        if (opts.json) {
          printJson(shown.map((i) => ({ claimId: i.claim.id, subject: i.claim.subject, predicate: i.claim.predicate, quote: i.claim.quote, spread: i.spread })));
          return;
        }
        if (queue.length === 0) {
          println('review queue is empty: no NOT_ENOUGH_INFO claim is waiting for a review');
          return;
        }
        printTable(
          ['claim', 'actors', 'docs', 'subject', 'predicate', 'quote'],
          shown.map((i) => [i.claim.id, i.spread.actors, i.spread.documents, i.claim.subject, i.claim.predicate, i.claim.quote]),
        );
        if (queue.length > shown.length) println(`... ${queue.length - shown.length} more`);
      });
    });
};
