import { sql } from 'kysely';
import type { Store } from './database.js';

/**
 * A value that differs whenever the database may have changed since it was last read: on SQLite,
 * the rows this connection changed (`total_changes()`) with the commits of every other
 * connection and process (`PRAGMA data_version`). Read it before reading data; a result read
 * afterwards may be reused for as long as the stamp reads the same, and is then exactly what a
 * fresh read would return. Null on PostgreSQL, where no such cheap exact stamp exists, so callers
 * must not reuse results there.
 */
export async function changeStamp(store: Store): Promise<string | null> {
  if (store.dialect !== 'sqlite') return null;
  const r = await sql<{
    t: number;
    d: number;
  }>`select total_changes() as t, (select data_version from pragma_data_version) as d`.execute(store.db);
  const row = r.rows[0];
  return row ? `${row.t}:${row.d}` : null;
}
