import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { MetadataRepositories, MetadataStore } from '../metadata-store.js';
import { CompiledQueryCache } from './compiled-query-cache.js';
import { KyselyResourceRepository } from './kysely-resource-repository.js';
import { KyselyTagRepository } from './kysely-tag-repository.js';
import type { Database } from './schema.js';

interface OpenTransaction {
  readonly trx: Kysely<Database>;
  /** False once `work` has settled, so stray late calls go back to the store's own handle. */
  active: boolean;
  savepoints: number;
}

/**
 * The metadata store over Kysely, the same for SQLite and Postgres (their differences live in
 * migrations.ts and the dialect factories). Expects an already migrated database.
 *
 * Inside `transaction(work)`, everything `work` does joins the transaction, whether through the
 * `repos` it is given or through this store itself (tracked with AsyncLocalStorage): that is what
 * keeps SQLite, whose single connection the transaction holds, from deadlocking, and what keeps
 * Postgres from waiting on row locks its own transaction holds. A nested `transaction` becomes a
 * savepoint, so its failure undoes only its own changes. Do not run two nested transactions
 * concurrently within one `work`; they share one connection and their savepoints would interleave.
 */
export class KyselyMetadataStore implements MetadataStore {
  readonly resources: KyselyResourceRepository;
  readonly tags: KyselyTagRepository;
  readonly #db: Kysely<Database>;
  readonly #open = new AsyncLocalStorage<OpenTransaction>();
  readonly #queries = new CompiledQueryCache();
  #closed: Promise<void> | undefined;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    const current = (): Kysely<Database> => this.#current();
    this.resources = new KyselyResourceRepository(current, this.#queries);
    this.tags = new KyselyTagRepository(current);
  }

  async transaction<T>(work: (repos: MetadataRepositories) => Promise<T>): Promise<T> {
    const open = this.#open.getStore();
    if (open?.active) return this.#withSavepoint(open, work);
    return this.#db.transaction().execute(async (trx) => {
      const opened: OpenTransaction = { trx, active: true, savepoints: 0 };
      try {
        return await this.#open.run(opened, () => work(this.#repositoriesOn(trx)));
      } finally {
        opened.active = false;
      }
    });
  }

  /** Closes the SQLite file or ends the Postgres pool; later calls are no-ops. */
  async close(): Promise<void> {
    this.#closed ??= this.#db.destroy();
    return this.#closed;
  }

  #repositoriesOn(trx: Kysely<Database>): MetadataRepositories {
    return {
      resources: new KyselyResourceRepository(() => trx, this.#queries),
      tags: new KyselyTagRepository(() => trx),
    };
  }

  #current(): Kysely<Database> {
    const open = this.#open.getStore();
    return open?.active ? open.trx : this.#db;
  }

  async #withSavepoint<T>(
    open: OpenTransaction,
    work: (repos: MetadataRepositories) => Promise<T>,
  ): Promise<T> {
    open.savepoints += 1;
    const name = sql.id(`plinth_savepoint_${open.savepoints}`);
    await sql`savepoint ${name}`.execute(open.trx);
    let result: T;
    try {
      result = await work(this.#repositoriesOn(open.trx));
    } catch (error) {
      // Rolling back to the savepoint also clears Postgres's "transaction aborted" state.
      await sql`rollback to savepoint ${name}`.execute(open.trx);
      await sql`release savepoint ${name}`.execute(open.trx);
      throw error;
    }
    await sql`release savepoint ${name}`.execute(open.trx);
    return result;
  }
}
