import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';

export interface DbCase {
  name: 'sqlite' | 'postgres';
  /** A fresh workspace config on this database: its own folder, and on PostgreSQL its own workspace id. */
  config(): Config;
}

/** PostgreSQL for tests comes only from TEST_DATABASE_URL, never DATABASE_URL. */
const pgUrl = process.env['TEST_DATABASE_URL'];

export function tempDir(prefix = 'claimtrace-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const sqliteCase: DbCase = {
  name: 'sqlite',
  config: () => loadConfig({ CLAIMTRACE_ALLOW_PRIVATE_NETWORK: '0' }, { home: join(tempDir(), 'ws') }),
};

const postgresCase: DbCase = {
  name: 'postgres',
  config: () => loadConfig({ DATABASE_URL: pgUrl }, { home: join(tempDir(), 'ws') }),
};

/**
 * Runs a suite once per database. Without TEST_DATABASE_URL the PostgreSQL run is skipped with
 * a message; under CI=true a skipped PostgreSQL run is a failure.
 */
export function describeEachDatabase(name: string, fn: (db: DbCase) => void): void {
  describe(`${name} [sqlite]`, () => fn(sqliteCase));
  if (pgUrl) {
    describe(`${name} [postgres]`, () => fn(postgresCase));
  } else if (process.env['CI'] === 'true') {
    describe(`${name} [postgres]`, () => {
      throw new Error('TEST_DATABASE_URL is not set: under CI the PostgreSQL contract suite must run (.ci/run starts a server)');
    });
  } else {
    console.warn(`[skipped] ${name} [postgres]: TEST_DATABASE_URL is not set (run .ci/start-postgres.sh and export its URL)`);
    describe.skip(`${name} [postgres] [skipped: TEST_DATABASE_URL not set]`, () => fn(postgresCase));
  }
}
