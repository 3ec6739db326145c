import type { Command } from 'commander';
import { recapture, type RecaptureResult } from '../../capture/recapture.js';
import { AppError } from '../../errors.js';
import { globalOpts, withWorkspace, type CommandModule } from '../context.js';
import { printJson, println, progressBar, safe } from '../output.js';

function printRecapture(results: RecaptureResult[]): void {
  if (results.length === 0) {
    println('no documents fetched from a URL: nothing to recapture');
    return;
  }
  for (const r of results) {
    if (r.status === 'failed') {
      println(`failed: ${r.documentId} ${safe(r.location)}: ${safe(r.error)} [${r.code}]`);
      continue;
    }
    const what = r.status === 'changed' ? 'text CHANGED' : r.bytesChanged ? 'text unchanged (bytes differ)' : 'unchanged';
    println(`${what}: ${r.documentId} ${safe(r.location)} (HTTP ${r.httpStatus}, new capture ${r.captureId})`);
    if (r.error) println(`  ${safe(r.error)} [${r.code}]`);
    for (const item of r.newItems) println(`  new feed item: ${safe(item.location)} -> ${item.documentId ?? item.status}`);
    if (r.diff) process.stdout.write(safe(r.diff).replace(/^/gm, '  ').trimEnd() + '\n');
  }
  const changed = results.filter((r) => r.status === 'changed').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  println(`recaptured ${results.length - failed} of ${results.length} document(s): ${changed} changed, ${failed} failed`);
}

/** `claimtrace recapture [DOC|--all]`: fetch URL documents again and report what changed. */
export const captureCommands: CommandModule = (program) => {
  program
    .command('recapture [document]')
    .description('fetch URL documents again, store each fetch as a new capture, and show whether the text changed (a diff)')
    .option('--all', 'every document that was fetched from a URL')
    .option('--allow-private-network', 'let fetches reach private, loopback and link-local addresses')
    .action(async (document: string | undefined, o: { all?: boolean; allowPrivateNetwork?: boolean }, cmd: Command) => {
      const opts = globalOpts(cmd);
      if ((document === undefined) === (o.all !== true)) throw new AppError('invalid_input', 'name one document id, or pass --all (not both)');
      await withWorkspace(opts, async (ws) => {
        const bar = progressBar(!opts.json);
        const results = await recapture(ws, document !== undefined ? { documentId: document } : { all: true }, {
          ...(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
          onItem: (_r, done, total) => {
            if (done === 1) bar.start('recapture', total);
            bar.update(done);
          },
        });
        bar.stop();
        if (opts.json) printJson(results);
        else printRecapture(results);
        if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
      });
    });
};
