import Database from 'better-sqlite3';
import { Kysely, Migrator, NO_MIGRATIONS, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { AppError } from '../errors.js';
import * as m001 from './migrations/001-initial.js';
import * as m002 from './migrations/002-listing-indexes.js';
import type { Tables } from './schema.js';

/** Where the data lives: an embedded SQLite file, or a PostgreSQL server. */
export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export type Db = Kysely<Tables>;

export interface Store {
  db: Db;
  dialect: DatabaseTarget['kind'];
  /**
   * Refreshes the query planner's statistics after bulk writes. Without them SQLite walked every
   * active claim and sorted it for each page of the claim listing (1.6 ms) instead of walking
   * documents in publication order through the listing indexes (0.4 ms).
   */
  optimize(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS: Record<string, Migration> = { '001-initial': m001, '002-listing-indexes': m002 };

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

// pg returns int8/numeric as strings; our counts and sizes fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** How many distinct SQL texts keep a prepared statement; repositories use a few dozen shapes. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query afresh, which costs more than running most of our
 * small queries. Statements are reused per SQL text (least recently used dropped first). Nothing
 * streams from SQLite, so a cached statement is never busy when it is handed out again.
 */
function withStatementCache(sqlite: Database.Database): { close(): void; prepare(sql: string): Database.Statement } {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql) => {
      let stmt = cache.get(sql);
      if (stmt !== undefined) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/**
 * Opens the store and brings its schema up to date. This is the only module that knows which
 * database engine is underneath; everything else talks Kysely.
 */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  let db: Db;
  let optimize: () => Promise<void>;
  if (target.kind === 'sqlite') {
    const sqlite = new Database(target.path);
    // WAL keeps readers going during writes; synchronous=FULL so a committed capture survives a crash.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    // Bounded sampling keeps ANALYZE to milliseconds however large the tables grow.
    sqlite.pragma('analysis_limit = 1000');
    optimize = () => {
      sqlite.pragma('optimize');
      return Promise.resolve();
    };
  } else {
    const pool = new pg.Pool({ connectionString: target.url, max: 8 });
    db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
    // Autovacuum analyses in time on a server; after a bulk run the listing tables are done now.
    optimize = async () => {
      await sql`ANALYZE documents, claims, verdicts, reviews`.execute(db);
    };
  }
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('internal', `database migration ${failed} failed: ${String(error)}`);
  }
  // Tables first analysed now (e.g. a workspace filled before this version) get statistics.
  if (target.kind === 'sqlite') await optimize();
  return { db, dialect: target.kind, optimize, close: () => db.destroy() };
}

/** Drops every table (used by the contract suite to start from an empty PostgreSQL schema). */
export async function resetStore(target: DatabaseTarget): Promise<void> {
  const store = await openStore(target);
  const migrator = new Migrator({ db: store.db, provider });
  const { error } = await migrator.migrateTo(NO_MIGRATIONS);
  await store.close();
  if (error) throw new AppError('internal', `could not reset the database: ${String(error)}`);
}
