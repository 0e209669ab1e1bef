import { sql } from 'kysely';
import type { Kysely, RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import type { CompiledQueryCache, Placeholder } from './compiled-query-cache.js';
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
 * between pages or share a timestamp. The SQL is compiled once per shape (which filters, which
 * sort) through `queries`.
 */
export async function listResources(
  db: Kysely<Database>,
  { query, queries }: { query: ListQuery; queries: CompiledQueryCache },
): Promise<ListPage<ResourceRecord>> {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new RangeError(`ListQuery.limit must be an integer of at least 1, got ${query.limit}`);
  }
  const key = SORT_KEYS[query.sortBy];
  const direction = query.sortOrder === 'Ascending' ? 'asc' : 'desc';
  const queryFingerprint = fingerprintOf(query);
  const filters = filtersOf(query, { key, direction, queryFingerprint });

  const includeBody = query.includeBody ?? true;
  const shape = {
    key: [
      'resources.list',
      query.sortBy,
      direction,
      includeBody,
      ...filters.map((f) => f.name),
    ].join('|'),
    values: [query.resourceType, ...filters.flatMap((f) => f.values), query.limit + 1],
  };
  const rows = await queries.execute(db, shape, (placeholders) => {
    let select = db
      .selectFrom('resources')
      .select(includeBody ? ALL_COLUMNS : SUMMARY_COLUMNS)
      .where('resource_type', '=', placeholders[0]!);
    let next = 1;
    for (const filter of filters) {
      select = filter.where(select, placeholders.slice(next, next + filter.values.length));
      next += filter.values.length;
    }
    select = select.orderBy(key.expression, direction);
    if (!key.unique) select = select.orderBy('arn', direction);
    return select.limit(value<number>(placeholders[next]!));
  });

  const pageRows = rows.slice(0, query.limit);
  const last = pageRows[pageRows.length - 1];
  const items = pageRows.map(toRecord);
  if (rows.length <= query.limit || last === undefined) return { items };
  const nextCursor = encodeCursor(queryFingerprint, { value: key.valueOf(last), after: last.arn });
  return { items, nextCursor };
}

/** Every column but the body, which summaries do without: an empty JSON object stands in. */
const SUMMARY_COLUMNS = [
  'resource_type',
  'name',
  'name_key',
  'arn',
  'arn_key',
  'status',
  'creation_time',
  'last_modified_time',
  sql<string>`'{}'`.as('body'),
] as const;
const ALL_COLUMNS = [...SUMMARY_COLUMNS.slice(0, -1), 'body'] as const;

type ResourceSelect = SelectQueryBuilder<Database, 'resources', ResourceRow>;

/** One WHERE condition of a list: its name in the shape, its values, and how it reads in SQL. */
interface Filter {
  readonly name: string;
  readonly values: readonly unknown[];
  where(select: ResourceSelect, placeholders: readonly Placeholder[]): ResourceSelect;
}

/** A placeholder where Kysely's types want a value of another type; it is compiled, never run. */
function value<T>(placeholder: Placeholder): T {
  return placeholder as unknown as T;
}

function filtersOf(
  query: ListQuery,
  context: { key: SortKey; direction: 'asc' | 'desc'; queryFingerprint: string },
): Filter[] {
  const filters: Filter[] = [];
  const add = (name: string, values: readonly unknown[], where: Filter['where']) =>
    filters.push({ name, values, where });
  if (query.nameContains !== undefined && query.nameContains !== '') {
    // name_key and the needle are both folded in JS, so LIKE's own case rules (insensitive for
    // ASCII in SQLite, sensitive in Postgres) never come into play.
    const pattern = `%${escapeLike(foldCase(query.nameContains))}%`;
    add('nameContains', [pattern], (s, [p]) =>
      s.where(sql<SqlBool>`name_key like ${p} escape '!'`),
    );
  }
  const bounds = [
    ['creationTimeAfter', query.creationTimeAfter, 'creation_time', '>='],
    ['creationTimeBefore', query.creationTimeBefore, 'creation_time', '<'],
    ['lastModifiedTimeAfter', query.lastModifiedTimeAfter, 'last_modified_time', '>='],
    ['lastModifiedTimeBefore', query.lastModifiedTimeBefore, 'last_modified_time', '<'],
  ] as const;
  for (const [name, date, column, operator] of bounds) {
    if (date) add(name, [date.getTime()], (s, [p]) => s.where(column, operator, value<number>(p!)));
  }
  if (query.statusEquals !== undefined) {
    add('statusEquals', [query.statusEquals], (s, [p]) => s.where('status', '=', p!));
  }
  if (query.cursor !== undefined) {
    const { key, direction, queryFingerprint } = context;
    const position = decodeCursor(query.cursor, queryFingerprint, key.valueType);
    const after = direction === 'asc' ? sql.raw('>') : sql.raw('<');
    // A row-value comparison, which both SQLite (3.15+) and Postgres serve from the
    // (type, key, arn) index.
    if (key.unique) {
      add('after', [position.value], (s, [v]) =>
        s.where(sql<SqlBool>`${key.expression} ${after} ${v}`),
      );
    } else {
      add('afterWithArn', [position.value, position.after], (s, [v, arn]) =>
        s.where(sql<SqlBool>`(${key.expression}, arn) ${after} (${v}, ${arn})`),
      );
    }
  }
  return filters;
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
