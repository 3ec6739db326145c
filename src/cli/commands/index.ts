import type { CommandModule } from '../context.js';
import { backupCommands } from './backup.js';
import { captureCommands } from './capture.js';
import { exportCsvCommands } from './export-csv.js';
import { caseCommands } from './case.js';
import { coordinateCommands } from './coordinate.js';
import { listsCommands } from './lists.js';
import { serveCommands } from './serve.js';
import { workerCommands } from './worker.js';

/** Command groups kept in their own files; main.ts registers each of them. */
export const COMMAND_MODULES: CommandModule[] = [captureCommands, serveCommands, listsCommands, caseCommands, backupCommands, workerCommands, coordinateCommands, exportCsvCommands];
