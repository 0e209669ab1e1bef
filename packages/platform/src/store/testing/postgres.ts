import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';

/**
 * Test support for suites that need a real Postgres: find one, give each run its own schema,
 * and either skip (on a laptop without Postgres) or fail (in CI, where skipping would hide
 * untested code) when none is reachable.
 */

/** The Postgres tests connect to: `PLINTH_TEST_POSTGRES_URL`, or a local trust-auth default. */
export const TEST_POSTGRES_URL =
  process.env.PLINTH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const HOW_TO_START =
  'Start one with `docker run -d --rm -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust ' +
  '-e POSTGRES_DB=test postgres:16`, or point PLINTH_TEST_POSTGRES_URL at one.';

/** Long enough for a cold local server, short enough that a missing one costs little. */
const PROBE_TIMEOUT_MILLISECONDS = 3_000;

let probe: Promise<string | undefined> | undefined;

/** Resolves to the reason Postgres is unreachable, or undefined when it answers. Probed once per file. */
export function probeTestPostgres(): Promise<string | undefined> {
  probe ??= (async () => {
    const client = new pg.Client({
      connectionString: TEST_POSTGRES_URL,
      connectionTimeoutMillis: PROBE_TIMEOUT_MILLISECONDS,
    });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return probe;
}

/**
 * Defines `suite` (given the URL) under `name` when the test Postgres answers. Otherwise, when
 * `CI` is set, defines one failing test saying how to start Postgres; elsewhere it warns and
 * defines the suite as skipped. Call it with `await` at the top level of a test file.
 */
export async function describeWithPostgres(
  name: string,
  suite: (url: string) => void,
): Promise<void> {
  const failure = await probeTestPostgres();
  if (failure === undefined) {
    describe(name, () => suite(TEST_POSTGRES_URL));
    return;
  }
  const message = `No Postgres at ${TEST_POSTGRES_URL} (${failure}). ${HOW_TO_START}`;
  if (process.env.CI) {
    describe(name, () => {
      it('needs a reachable Postgres in CI', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`${message} Skipping the '${name}' tests.`);
  describe.skip(name, () => suite(TEST_POSTGRES_URL));
}

/** A schema name no other run uses. */
export function uniqueSchemaName(prefix = 'plinth_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Refusing to drop schema '${schema}'`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
