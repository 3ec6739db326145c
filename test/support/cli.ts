import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './shared.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

/** Runs the built CLI (bin/claimtrace.js over dist/) as a user would, in a child process. */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'claimtrace.js'), ...args], {
    cwd: opts.cwd ?? PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TZ: 'UTC', ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const stdout = r.stdout ?? '';
  return {
    code: r.status ?? -1,
    stdout,
    stderr: r.stderr ?? '',
    json<T>() {
      return JSON.parse(stdout) as T;
    },
  };
}
