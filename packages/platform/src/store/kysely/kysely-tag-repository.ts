import { sql } from 'kysely';
import type { ListPage, Tag, TagRepository } from '../metadata-store.js';
import { decodeCursor, encodeCursor, fingerprint } from './cursor.js';
import type { ExecutorSource } from './kysely-resource-repository.js';

/** Tags in the `tags` table, keyed by the exact ARN text. */
export class KyselyTagRepository implements TagRepository {
  readonly #db: ExecutorSource;

  constructor(db: ExecutorSource) {
    this.#db = db;
  }

  async put(arn: string, tags: readonly Tag[]): Promise<void> {
    // Last value wins for a key given twice; Postgres refuses an upsert that hits one row twice.
    const byKey = new Map(tags.map((tag) => [tag.Key, tag.Value]));
    if (byKey.size === 0) return;
    await this.#db()
      .insertInto('tags')
      .values([...byKey].map(([key, value]) => ({ resource_arn: arn, key, value })))
      .onConflict((oc) =>
        oc
          .columns(['resource_arn', 'key'])
          .doUpdateSet({ value: (eb) => eb.ref('excluded.value') }),
      )
      .execute();
  }

  async list(arn: string, page: { limit: number; cursor?: string }): Promise<ListPage<Tag>> {
    if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
      throw new RangeError(`Tag page limit must be an integer of at least 1, got ${page.limit}`);
    }
    const queryFingerprint = fingerprint(['tags', arn]);
    let select = this.#db()
      .selectFrom('tags')
      .select(['key', 'value'])
      .where('resource_arn', '=', arn);
    if (page.cursor !== undefined) {
      const position = decodeCursor(page.cursor, queryFingerprint, 'string');
      select = select.where('key', '>', position.value as string);
    }
    const rows = await select
      .orderBy('key')
      .limit(page.limit + 1)
      .execute();
    const items = rows.slice(0, page.limit).map((row) => ({ Key: row.key, Value: row.value }));
    const last = items[items.length - 1];
    if (rows.length <= page.limit || last === undefined) return { items };
    return { items, nextCursor: encodeCursor(queryFingerprint, { value: last.Key, after: '' }) };
  }

  async count(arn: string): Promise<number> {
    const row = await this.#db()
      .selectFrom('tags')
      .select(sql<number | string>`count(*)`.as('n'))
      .where('resource_arn', '=', arn)
      .executeTakeFirstOrThrow();
    // count(*) is int8 in Postgres; Number() covers a pool without our int8 parser.
    return Number(row.n);
  }

  async remove(arn: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#db()
      .deleteFrom('tags')
      .where('resource_arn', '=', arn)
      .where('key', 'in', [...keys])
      .execute();
  }
}
