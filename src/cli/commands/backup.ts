import { resolve } from 'node:path';
import type { Command } from 'commander';
import { backupWorkspace, restoreWorkspace } from '../../store/backup.js';
import { configFor, globalOpts, withWorkspace, type CommandModule } from '../context.js';
import { printJson, println } from '../output.js';

/** `claimtrace backup FILE` and `claimtrace restore FILE`: one file holds the whole workspace. */
export const backupCommands: CommandModule = (program) => {
  program
    .command('backup <file>')
    .description('write the whole workspace (database rows, blobs, WARC files, keys) to one checked file')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = globalOpts(cmd);
      await withWorkspace(opts, async (ws) => {
        const manifest = await backupWorkspace(ws.db, ws.id, ws.paths.root, resolve(file));
        if (opts.json) printJson({ file: resolve(file), ...manifest });
        else {
          const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
          println(`backed up workspace ${ws.id}: ${Object.keys(manifest.files).length} files, ${rows} database rows -> ${resolve(file)}`);
          if (manifest.skippedTables.length > 0) println(`note: tables not in this backup format: ${manifest.skippedTables.join(', ')}`);
        }
      });
    });
  program
    .command('restore <file>')
    .description('restore a backup into a new workspace folder (--workspace DIR) on the configured database')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = globalOpts(cmd);
      const config = configFor(opts);
      const result = await restoreWorkspace(config, resolve(file));
      if (opts.json) printJson({ workspace: config.home, ...result });
      else println(`restored workspace ${result.workspaceId} into ${config.home}; run \`claimtrace evidence verify\` to check it`);
    });
};
