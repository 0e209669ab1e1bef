import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Database, DialectName } from './schema.js';

/**
 * The schema's migrations, in code so a built server needs no migration files on disk. Names sort
 * in the order they must run; never rename or edit one that has shipped, add `0002_...` instead.
 */
export function createMigrationProvider(dialect: DialectName): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001_create_resources_and_tags': {
      up: (db: Kysely<unknown>) => createResourcesAndTags(db, dialect),
      down: async (db: Kysely<unknown>) => {
        await db.schema.dropTable('tags').execute();
        await db.schema.dropTable('resources').execute();
      },
    },
  };
  return { getMigrations: async () => migrations };
}

async function createResourcesAndTags(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  // Postgres compares text by the database's locale; "C" makes it compare bytes, as SQLite's
  // BINARY does, so names, statuses, ARNs and tag keys sort the same on both backends.
  const text = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  // SQLite's integer is already 64-bit; Postgres needs bigint for epoch milliseconds.
  const millis = dialect === 'postgres' ? sql`bigint` : sql`integer`;

  await db.schema
    .createTable('resources')
    .addColumn('resource_type', text, (col) => col.notNull())
    .addColumn('name', text, (col) => col.notNull())
    .addColumn('name_key', text, (col) => col.notNull())
    .addColumn('arn', text, (col) => col.notNull().unique())
    .addColumn('arn_key', text, (col) => col.notNull().unique())
    .addColumn('status', text)
    .addColumn('creation_time', millis, (col) => col.notNull())
    .addColumn('last_modified_time', millis, (col) => col.notNull())
    .addColumn('body', sql`text`, (col) => col.notNull())
    .addUniqueConstraint('resources_type_name_key_unique', ['resource_type', 'name_key'])
    .execute();

  // One index per sort key, each ending in arn, the keyset tie-breaker. Sorting by Name is served
  // by the unique constraint above: name_key is unique within a type, so needs no tie-breaker.
  await db.schema
    .createIndex('resources_type_creation_time')
    .on('resources')
    .columns(['resource_type', 'creation_time', 'arn'])
    .execute();
  await db.schema
    .createIndex('resources_type_last_modified_time')
    .on('resources')
    .columns(['resource_type', 'last_modified_time', 'arn'])
    .execute();
  // Lists sort a null status as '' so nulls order the same on both backends (SQLite puts nulls
  // first, Postgres last); the index is on that same expression so the planner can use it.
  await sql`create index resources_type_status on resources (resource_type, coalesce(status, ''), arn)`.execute(
    db,
  );

  await db.schema
    .createTable('tags')
    .addColumn('resource_arn', text, (col) => col.notNull())
    .addColumn('key', text, (col) => col.notNull())
    .addColumn('value', sql`text`, (col) => col.notNull())
    .addPrimaryKeyConstraint('tags_pkey', ['resource_arn', 'key'])
    .execute();
}

/**
 * Brings the schema up to date. Safe to call on every start and from several processes at once:
 * on Postgres Kysely's migrator holds an advisory lock while it runs; on SQLite we hold a write
 * lock (`begin immediate`) for the whole run, which also makes the run all-or-nothing, since
 * Kysely does not wrap SQLite migrations in a transaction.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  options: { dialect: DialectName; schema?: string },
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: createMigrationProvider(options.dialect),
    // Kysely looks for its bookkeeping tables in every schema unless told which one; with test
    // schemas side by side in one database it would otherwise find another schema's table.
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
  if (options.dialect === 'postgres') {
    throwIfFailed(await migrator.migrateToLatest());
    return;
  }
  // SQLite has one connection per store, so these statements and the migrator's share it.
  await sql`begin immediate`.execute(db);
  try {
    throwIfFailed(await migrator.migrateToLatest());
    await sql`commit`.execute(db);
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
}

function throwIfFailed(result: {
  error?: unknown;
  results?: readonly { migrationName: string; status: string }[];
}): void {
  if (result.error === undefined) return;
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
  const reason =
    result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
  throw new Error(`Metadata store migration ${failed ?? '(setup)'} failed: ${reason}`, {
    cause: result.error,
  });
}
