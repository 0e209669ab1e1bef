import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { withStatementCache } from './statement-cache.js';

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MILLISECONDS = 5_000;

/** The path that means "a private database in memory" to SQLite. */
export const SQLITE_MEMORY_PATH = ':memory:';

/**
 * A Kysely dialect over one better-sqlite3 connection to the file at `path` (created, with its
 * directory, if missing). Kysely closes the connection when the Kysely instance is destroyed.
 *
 * One store per file per process: better-sqlite3 blocks the thread while it waits for a lock,
 * so two connections in one process contending for the write lock stall until the busy timeout.
 */
export function createSqliteDialect(path: string): SqliteDialect {
  if (path !== SQLITE_MEMORY_PATH && path !== '') mkdirSync(dirname(path), { recursive: true });
  const database = new Sqlite(path);
  try {
    // WAL lets readers proceed during a write; NORMAL sync is durable across crashes of the
    // process (not of the OS) in WAL mode, and much faster than FULL.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MILLISECONDS}`);
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return new SqliteDialect({ database: withStatementCache(database) });
}
