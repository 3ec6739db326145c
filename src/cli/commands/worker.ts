import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { DEFAULT_JOB_TIMEOUT_SECONDS, runQueued, runWorker } from '../../pipeline/queue.js';
import { globalOpts, withWorkspace, type CommandModule } from '../context.js';
import { printJson, println, safe } from '../output.js';

function positiveInt(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new AppError('invalid_input', `${flag} must be a whole number of at least 1 (got "${v}")`);
    return n;
  };
}

/** Resolves on the first SIGINT or SIGTERM, so the worker finishes the jobs in hand and stops. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** `claimtrace queue` and `claimtrace worker`: pipeline work shared through PostgreSQL. */
export const workerCommands: CommandModule = (program: Command) => {
  program
    .command('queue')
    .description('queue pending document work in PostgreSQL for `claimtrace worker` processes (needs DATABASE_URL)')
    .option('--job-timeout <seconds>', 'seconds before an unfinished job counts as lost and is retried', positiveInt('--job-timeout'), DEFAULT_JOB_TIMEOUT_SECONDS)
    .option('--retries <n>', 'times a lost job is retried', positiveInt('--retries'), 3)
    .option('--wait', 'wait until workers have processed every job, then run the workspace stages (verdicts) here')
    .action(async (o: { jobTimeout: number; retries: number; wait?: boolean }, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const r = await runQueued(ws, { jobTimeoutSeconds: o.jobTimeout, retryLimit: o.retries, wait: o.wait === true });
        if (opts.json) {
          printJson(r);
          return;
        }
        for (const q of r.queued) println(`queued ${q.queued} document(s) for ${q.stage}`);
        for (const rep of r.reports) println(`${rep.stage}: ${safe(rep.detail)}`);
        if (!o.wait) println('start workers with `claimtrace worker` (any number, on any machine with DATABASE_URL)');
      });
    });

  program
    .command('worker')
    .description('process queued document work from PostgreSQL until stopped (needs DATABASE_URL)')
    .option('--concurrency <n>', 'worker threads, and jobs taken per round', positiveInt('--concurrency'))
    .option('--exit-when-idle', 'stop once no job is waiting, running or due for retry')
    .option('--maintenance-interval <seconds>', 'how often to look for lost jobs to retry', positiveInt('--maintenance-interval'), 60)
    .action(async (o: { concurrency?: number; exitWhenIdle?: boolean; maintenanceInterval: number }, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const summary = await runWorker(ws, {
          ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
          exitWhenIdle: o.exitWhenIdle === true,
          maintenanceIntervalSeconds: o.maintenanceInterval,
          pollingIntervalSeconds: 1,
          stop: stopSignal(),
          // One line per job, as it finishes: a log for people and for tests that count jobs.
          onJob: (job, outcome) => {
            if (opts.json) println(JSON.stringify({ documentId: job.documentId, stage: job.stage, status: outcome.status, pid: process.pid }));
            else println(`${job.stage} ${job.documentId}: ${outcome.status}${outcome.status === 'failed' ? ` (${safe(outcome.error)})` : ''}`);
          },
        });
        if (!opts.json) println(`worker stopped: ${summary.processed} job(s) (${Object.entries(summary.byStatus).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'})`);
      });
    });
};
