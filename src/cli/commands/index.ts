import type { CommandModule } from '../context.js';

/** Command groups kept in their own files; main.ts registers each of them. */
export const COMMAND_MODULES: CommandModule[] = [];
