import { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteDialect, SQLITE_MEMORY_PATH } from '../sqlite/sqlite-dialect.js';
import { CompiledQueryCache } from './compiled-query-cache.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

describe('CompiledQueryCache', () => {
  let db: Kysely<Database>;

  beforeEach(async () => {
    db = new Kysely<Database>({ dialect: createSqliteDialect(SQLITE_MEMORY_PATH) });
    await migrateToLatest(db, { dialect: 'sqlite' });
    await db
      .insertInto('tags')
      .values([
        { resource_arn: 'a', key: 'k1', value: 'v1' },
        { resource_arn: 'a', key: 'k2', value: 'v2' },
        { resource_arn: 'b', key: 'k1', value: 'w1' },
      ])
      .execute();
  });
  afterEach(async () => db.destroy());

  it("builds a shape once and runs it with each call's values", async () => {
    const cache = new CompiledQueryCache();
    let builds = 0;
    const run = (arn: string, key: string) =>
      cache.execute(db, { key: 'tag', values: [arn, key] }, ([a, k]) => {
        builds += 1;
        return db
          .selectFrom('tags')
          .select('value')
          .where('resource_arn', '=', a!)
          .where('key', '=', k!);
      });
    expect(await run('a', 'k2')).toEqual([{ value: 'v2' }]);
    expect(await run('b', 'k1')).toEqual([{ value: 'w1' }]);
    expect(await run('b', 'k2')).toEqual([]);
    expect(builds).toBe(1);
  });

  it('fills parameters by placeholder, whatever order the SQL uses them in, and keeps constants', async () => {
    const cache = new CompiledQueryCache();
    const rows = await cache.execute(db, { key: 'reordered', values: ['k1', 'a'] }, ([k, a]) =>
      db
        .selectFrom('tags')
        .select('value')
        .where('resource_arn', '=', a!)
        .where('value', '!=', 'constant')
        .where('key', '=', k!),
    );
    expect(rows).toEqual([{ value: 'v1' }]);
  });

  it('refuses a shape that leaves a value out', async () => {
    const cache = new CompiledQueryCache();
    await expect(
      cache.execute(db, { key: 'bad', values: ['a', 'unused'] }, ([a]) =>
        db.selectFrom('tags').selectAll().where('resource_arn', '=', a!),
      ),
    ).rejects.toThrow('used 1 of its 2 parameters');
  });
});
