import { PostgresDialect } from 'kysely';
import pg from 'pg';

/** Schema names we accept: unquoted identifiers only, so they need no quoting anywhere. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A Postgres dialect ready for Kysely, and the schema its tables live in. */
export interface PostgresConnection {
  readonly dialect: PostgresDialect;
  /** The schema unqualified table names resolve to (`current_schema()`). */
  readonly schema: string;
}

/**
 * Opens a pg Pool on `url` and checks it can connect. With `schema`, every connection's
 * search_path is that schema alone, which is created if missing (tests use one per run).
 * Kysely ends the pool when the Kysely instance is destroyed.
 */
export async function createPostgresConnection(
  url: string,
  options: { schema?: string } = {},
): Promise<PostgresConnection> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Postgres schema '${schema}' must match ${String(SCHEMA_NAME)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    types: { getTypeParser: getTypeParser as typeof pg.types.getTypeParser },
    // A startup parameter, so the search_path holds for every connection the pool opens.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, that would
  // crash the process. The pool discards the client and the next query reports the failure.
  pool.on('error', () => undefined);
  try {
    if (schema !== undefined) await createSchemaIfMissing(pool, schema);
    const result = await pool.query<{ schema: string | null }>('select current_schema() as schema');
    const current = result.rows[0]?.schema;
    if (!current) throw new Error('Postgres has no current schema: check the search_path');
    return { dialect: new PostgresDialect({ pool }), schema: current };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

async function createSchemaIfMissing(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`create schema if not exists ${schema}`);
  } catch (error) {
    // Two starts creating the schema at once: "if not exists" can still lose the race with a
    // unique violation (23505) or duplicate_schema (42P06). Either way the schema now exists.
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

/**
 * pg's type parsers, except int8 (bigint, count(*)) becomes a number instead of a string. Scoped
 * to this pool rather than set globally with pg.types.setTypeParser, so other pg users are unaffected.
 */
function getTypeParser(oid: number, format?: 'text' | 'binary'): (text: string) => unknown {
  return oid === INT8_OID ? parseInt8 : builtinTypeParser(oid, format ?? 'text');
}

const INT8_OID: number = pg.types.builtins.INT8;

// pg-types declares getTypeParser as overloads returning `any`; this is the shape we use.
const builtinTypeParser = pg.types.getTypeParser.bind(pg.types) as (
  oid: number,
  format: 'text' | 'binary',
) => (text: string) => unknown;

function parseInt8(text: string): number {
  const value = Number(text);
  // Epoch milliseconds and row counts fit; refuse to round anything that does not.
  if (!Number.isSafeInteger(value))
    throw new RangeError(`int8 ${text} does not fit a JavaScript number`);
  return value;
}
