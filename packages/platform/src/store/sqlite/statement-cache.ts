import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** How many distinct SQL texts keep their prepared statement. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely's SqliteDialect sees it, with prepared statements kept by SQL text.
 * Kysely prepares every query afresh, and preparing was an eighth of a DescribeModel request's
 * CPU time; the store issues a small, fixed set of SQL texts, so an LRU of them saves it all.
 * SQLite re-prepares a cached statement by itself if the schema changes under it.
 */
export function withStatementCache(
  database: Database,
  capacity = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (statement) {
        // Refresh its place: Map keeps insertion order, so the first key is the least recent.
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
