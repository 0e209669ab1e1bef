import type { Kysely } from 'kysely';
import { DuplicateResourceError } from '../metadata-store.js';
import type {
  ListPage,
  ListQuery,
  ResourceChanges,
  ResourceRecord,
  ResourceRepository,
} from '../metadata-store.js';
import type { CompiledQueryCache } from './compiled-query-cache.js';
import { listResources } from './list-resources.js';
import { foldCase, toRecord, toRow } from './resource-rows.js';
import type { Database } from './schema.js';

/** Supplies the database handle to use now: the store's, or an open transaction's. */
export type ExecutorSource = () => Kysely<Database>;

/** Resources in the `resources` table; names and ARNs are matched through their folded keys. */
export class KyselyResourceRepository implements ResourceRepository {
  readonly #db: ExecutorSource;
  readonly #queries: CompiledQueryCache;

  constructor(db: ExecutorSource, queries: CompiledQueryCache) {
    this.#db = db;
    this.#queries = queries;
  }

  async insert(record: ResourceRecord): Promise<void> {
    // ON CONFLICT DO NOTHING rather than catching the unique violation: in Postgres a failed
    // statement aborts the surrounding transaction, which a caller who catches the duplicate
    // error could then not continue.
    const inserted = await this.#db()
      .insertInto('resources')
      .values(toRow(record))
      .onConflict((oc) => oc.columns(['resource_type', 'name_key']).doNothing())
      .returning('arn')
      .executeTakeFirst();
    if (inserted === undefined) {
      throw new DuplicateResourceError(record.resourceType, record.name);
    }
  }

  async get(resourceType: string, name: string): Promise<ResourceRecord | undefined> {
    const db = this.#db();
    const [row] = await this.#queries.execute(
      db,
      { key: 'resources.get', values: [resourceType, foldCase(name)] },
      ([type, key]) =>
        db
          .selectFrom('resources')
          .selectAll()
          .where('resource_type', '=', type!)
          .where('name_key', '=', key!),
    );
    return row && toRecord(row);
  }

  async getByArn(arn: string): Promise<ResourceRecord | undefined> {
    const db = this.#db();
    const [row] = await this.#queries.execute(
      db,
      { key: 'resources.getByArn', values: [foldCase(arn)] },
      ([key]) => db.selectFrom('resources').selectAll().where('arn_key', '=', key!),
    );
    return row && toRecord(row);
  }

  async update(
    resourceType: string,
    name: string,
    changes: ResourceChanges,
  ): Promise<ResourceRecord | undefined> {
    const row = await this.#db()
      .updateTable('resources')
      .set({
        last_modified_time: changes.lastModifiedTime.getTime(),
        ...(changes.status === undefined ? {} : { status: changes.status }),
        ...(changes.body === undefined ? {} : { body: JSON.stringify(changes.body) }),
      })
      .where('resource_type', '=', resourceType)
      .where('name_key', '=', foldCase(name))
      .returningAll()
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async delete(resourceType: string, name: string): Promise<boolean> {
    const remove = async (trx: Kysely<Database>): Promise<boolean> => {
      const row = await trx
        .deleteFrom('resources')
        .where('resource_type', '=', resourceType)
        .where('name_key', '=', foldCase(name))
        .returning('arn')
        .executeTakeFirst();
      if (!row) return false;
      await trx.deleteFrom('tags').where('resource_arn', '=', row.arn).execute();
      return true;
    };
    const db = this.#db();
    // Inside a store transaction already: Kysely cannot nest, and needs not.
    return db.isTransaction ? remove(db) : db.transaction().execute(remove);
  }

  async list(query: ListQuery): Promise<ListPage<ResourceRecord>> {
    return listResources(this.#db(), { query, queries: this.#queries });
  }
}
