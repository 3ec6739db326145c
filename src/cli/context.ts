import { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { AppError } from '../errors.js';
import { openWorkspace, type Workspace } from '../store/workspace.js';

/** Options every command inherits from the program. */
export interface GlobalOpts {
  workspace?: string;
  json?: boolean;
}

export function globalOpts(cmd: Command): GlobalOpts {
  return cmd.optsWithGlobals<GlobalOpts>();
}

export function configFor(opts: GlobalOpts): Config {
  return loadConfig(process.env, opts.workspace ? { home: opts.workspace } : {});
}

/** Opens the workspace for one command and always closes it. */
export async function withWorkspace<T>(opts: GlobalOpts, fn: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await openWorkspace(configFor(opts));
  try {
    return await fn(ws);
  } finally {
    await ws.close();
  }
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function choice<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new AppError('invalid_input', `${what} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** A command group registers its subcommands on the program. */
export type CommandModule = (program: Command) => void;
