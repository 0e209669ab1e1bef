import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openMetadataStore } from '../open-metadata-store.js';
import { describeWithPostgres, dropSchema, uniqueSchemaName } from '../testing/postgres.js';
import { createPostgresConnection } from './postgres-dialect.js';

await describeWithPostgres('createPostgresConnection', (url) => {
  /** Runs `work` on a Kysely over a fresh schema, then drops the schema. */
  async function withSchema(
    work: (db: Kysely<unknown>, schema: string) => Promise<void>,
  ): Promise<void> {
    const schema = uniqueSchemaName();
    const connection = await createPostgresConnection(url, { schema });
    const db = new Kysely<unknown>({ dialect: connection.dialect });
    try {
      expect(connection.schema).toBe(schema);
      await work(db, schema);
    } finally {
      await db.destroy();
      await dropSchema(url, schema);
    }
  }

  it('creates the schema and makes it the search path of every connection', async () => {
    await withSchema(async (db, schema) => {
      const current = await Promise.all(
        [1, 2, 3].map(() =>
          sql<{ s: string }>`select current_schema() as s, pg_sleep(0.05)`.execute(db),
        ),
      );
      expect(current.map((r) => r.rows[0]?.s)).toEqual([schema, schema, schema]);
    });
  });

  it('returns bigint as numbers for its own pool only', async () => {
    await withSchema(async (db) => {
      const { rows } = await sql<{ big: unknown; n: unknown }>`
        select 9007199254740991::bigint as big, count(*) as n from generate_series(1, 3)`.execute(
        db,
      );
      expect(rows[0]).toEqual({ big: 9007199254740991, n: 3 });
      await expect(sql`select 9007199254740993::bigint as too_big`.execute(db)).rejects.toThrow(
        RangeError,
      );
      // The global parser is untouched: other pg users still get strings.
      const globalParser = pg.types.getTypeParser(pg.types.builtins.INT8) as (
        text: string,
      ) => unknown;
      expect(globalParser('5')).toBe('5');
    });
  });

  it('collates text columns bytewise, as SQLite does, whatever the database locale', async () => {
    const schema = uniqueSchemaName();
    const store = await openMetadataStore(url, { postgresSchema: schema });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ column_name: string; collation_name: string | null }>(
        `select column_name, collation_name from information_schema.columns
          where table_schema = $1 and column_name in ('name_key', 'status', 'arn', 'key')`,
        [schema],
      );
      expect(rows).toHaveLength(4);
      for (const row of rows) expect(row.collation_name, row.column_name).toBe('C');
    } finally {
      await client.end();
      await store.close();
      await dropSchema(url, schema);
    }
  });

  it('refuses a schema name that would need quoting', async () => {
    await expect(createPostgresConnection(url, { schema: 'Bad-Name; drop' })).rejects.toThrow(
      /schema/,
    );
  });
});
