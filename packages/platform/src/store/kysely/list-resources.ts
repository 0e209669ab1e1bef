import { sql } from 'kysely';
import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { ListPage, ListQuery, ResourceRecord, SortBy } from '../metadata-store.js';
import { decodeCursor, encodeCursor, fingerprint } from './cursor.js';
import { foldCase, toRecord } from './resource-rows.js';
import type { ResourceRow } from './resource-rows.js';
import type { Database } from './schema.js';

interface SortKey {
  /** The SQL the rows are ordered by; index definitions in migrations.ts match it exactly. */
  readonly expression: RawBuilder<string | number>;
  readonly valueType: 'string' | 'number';
  /**
   * Unique within a resource type, so needs no arn tie-breaker. Leaving arn out of the ORDER BY
   * lets the (type, name_key) unique index stream the rows instead of the planner sorting them.
   */
  readonly unique: boolean;
  valueOf(row: ResourceRow): string | number;
}

const SORT_KEYS: Record<SortBy, SortKey> = {
  Name: {
    expression: sql`name_key`,
    valueType: 'string',
    unique: true,
    valueOf: (row) => row.name_key,
  },
  CreationTime: {
    expression: sql`creation_time`,
    valueType: 'number',
    unique: false,
    valueOf: (row) => Number(row.creation_time),
  },
  // A null status sorts as '' on both backends (their own null ordering differs).
  Status: {
    expression: sql`coalesce(status, '')`,
    valueType: 'string',
    unique: false,
    valueOf: (row) => row.status ?? '',
  },
  LastModifiedTime: {
    expression: sql`last_modified_time`,
    valueType: 'number',
    unique: false,
    valueOf: (row) => Number(row.last_modified_time),
  },
};

/**
 * One page of a resource list, by keyset: rows strictly after the cursor's (sort value, arn) in
 * the query's order. Unlike an offset, this never repeats or skips a row when rows are inserted
 * between pages or share a timestamp.
 */
export async function listResources(
  db: Kysely<Database>,
  query: ListQuery,
): Promise<ListPage<ResourceRecord>> {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new RangeError(`ListQuery.limit must be an integer of at least 1, got ${query.limit}`);
  }
  const key = SORT_KEYS[query.sortBy];
  const direction = query.sortOrder === 'Ascending' ? 'asc' : 'desc';
  const queryFingerprint = fingerprintOf(query);

  let select = db
    .selectFrom('resources')
    .selectAll()
    .where('resource_type', '=', query.resourceType);
  if (query.nameContains !== undefined && query.nameContains !== '') {
    // name_key and the needle are both folded in JS, so LIKE's own case rules (insensitive for
    // ASCII in SQLite, sensitive in Postgres) never come into play.
    const pattern = `%${escapeLike(foldCase(query.nameContains))}%`;
    select = select.where(sql<SqlBool>`name_key like ${pattern} escape '!'`);
  }
  if (query.creationTimeAfter) {
    select = select.where('creation_time', '>=', query.creationTimeAfter.getTime());
  }
  if (query.creationTimeBefore) {
    select = select.where('creation_time', '<', query.creationTimeBefore.getTime());
  }
  if (query.lastModifiedTimeAfter) {
    select = select.where('last_modified_time', '>=', query.lastModifiedTimeAfter.getTime());
  }
  if (query.lastModifiedTimeBefore) {
    select = select.where('last_modified_time', '<', query.lastModifiedTimeBefore.getTime());
  }
  if (query.statusEquals !== undefined) select = select.where('status', '=', query.statusEquals);
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor, queryFingerprint, key.valueType);
    const after = direction === 'asc' ? sql.raw('>') : sql.raw('<');
    // A row-value comparison, which both SQLite (3.15+) and Postgres serve from the
    // (type, key, arn) index.
    select = select.where(
      key.unique
        ? sql<SqlBool>`${key.expression} ${after} ${position.value}`
        : sql<SqlBool>`(${key.expression}, arn) ${after} (${position.value}, ${position.after})`,
    );
  }
  select = select.orderBy(key.expression, direction);
  if (!key.unique) select = select.orderBy('arn', direction);
  const rows = await select.limit(query.limit + 1).execute();

  const pageRows = rows.slice(0, query.limit);
  const last = pageRows[pageRows.length - 1];
  const items = pageRows.map(toRecord);
  if (rows.length <= query.limit || last === undefined) return { items };
  const nextCursor = encodeCursor(queryFingerprint, { value: key.valueOf(last), after: last.arn });
  return { items, nextCursor };
}

/** Everything that decides which rows a list returns and in what order, but not the page size. */
function fingerprintOf(query: ListQuery): string {
  return fingerprint([
    'resources',
    query.resourceType,
    query.nameContains ?? null,
    query.creationTimeAfter?.getTime() ?? null,
    query.creationTimeBefore?.getTime() ?? null,
    query.lastModifiedTimeAfter?.getTime() ?? null,
    query.lastModifiedTimeBefore?.getTime() ?? null,
    query.statusEquals ?? null,
    query.sortBy,
    query.sortOrder,
  ]);
}

/**
 * Makes `%` and `_` (and the escape character itself) match literally. '!' rather than '\'
 * escapes, so the SQL text reads the same whatever Postgres's standard_conforming_strings says.
 */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
