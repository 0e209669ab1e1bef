import { Kysely } from 'kysely';
import { KyselyMetadataStore } from './kysely/kysely-metadata-store.js';
import { migrateToLatest } from './kysely/migrations.js';
import type { Database, DialectName } from './kysely/schema.js';
import { redactCredentials } from '../core/redact.js';
import type { MetadataStore } from './metadata-store.js';
import { createSqliteDialect } from './sqlite/sqlite-dialect.js';

/**
 * Opens the metadata store named by a database URL and brings its schema up to date:
 * `sqlite:<path>` (`sqlite:///abs/path` also works), `sqlite::memory:`, or
 * `postgres://user@host:port/db` (`postgresql://` too). `postgresSchema` puts the tables in that
 * schema, created if missing; tests use it to isolate runs. Several processes may open one
 * Postgres database at once; migrations run under a lock.
 */
export async function openMetadataStore(
  databaseUrl: string,
  options: { postgresSchema?: string } = {},
): Promise<MetadataStore> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlitePath(databaseUrl)) });
    return migrated(db, { dialect: 'sqlite' });
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // Loaded on demand: the default SQLite install should not pay for pg at start-up.
    const { createPostgresConnection } = await import('./postgres/postgres-dialect.js');
    const connection = await createPostgresConnection(databaseUrl, {
      ...(options.postgresSchema === undefined ? {} : { schema: options.postgresSchema }),
    });
    const db = new Kysely<Database>({ dialect: connection.dialect });
    return migrated(db, { dialect: 'postgres', schema: connection.schema });
  }
  throw new Error(
    `PLINTH_DATABASE_URL must be sqlite:<path>, sqlite::memory: or ` +
      `postgres://user:password@host:port/database (postgresql:// also accepted), ` +
      `got '${redactCredentials(databaseUrl)}'`,
  );
}

async function migrated(
  db: Kysely<Database>,
  options: { dialect: DialectName; schema?: string },
): Promise<MetadataStore> {
  try {
    await migrateToLatest(db, options);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyMetadataStore(db);
}

function sqlitePath(databaseUrl: string): string {
  const rest = databaseUrl.slice('sqlite:'.length);
  if (rest === '') throw new Error(`PLINTH_DATABASE_URL 'sqlite:' needs a file path or :memory:`);
  // sqlite:///abs/path is the URL form of sqlite:/abs/path.
  return rest.startsWith('//') ? rest.slice(2) : rest;
}
