import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateResourceError } from './metadata-store.js';
import type { MetadataStore } from './metadata-store.js';
import { defineListTests } from './testing/list-resources.suite.js';
import { makeRecord, testArn } from './testing/records.js';
import { defineTagTests, defineTransactionTests } from './testing/tags-transactions.suite.js';

/** One database to run the suite against; a fresh one is made for every test. */
export interface MetadataStoreTarget {
  /** Opens a store on this database (again, if called again). */
  open(): Promise<MetadataStore>;
  /** Deletes the database; every store opened on it has been closed by then. */
  destroy(): Promise<void>;
  /** Whether rows outlive `close()` (not for an in-memory SQLite database). */
  readonly persistent: boolean;
  /** Whether several stores may open it at once (Postgres; not a SQLite file within one process). */
  readonly concurrentOpens: boolean;
}

/** What each test sees: the target's first store, and a way to open more that get closed after. */
export interface SuiteContext {
  readonly store: MetadataStore;
  readonly target: MetadataStoreTarget;
  /** Opens another store on the same database, closed after the test. */
  openAnother(): Promise<MetadataStore>;
  /** Makes a fresh database, destroyed after the test. */
  createTarget(): Promise<MetadataStoreTarget>;
}

/**
 * Defines the metadata store suite for one backend, as kysely's tests loop over dialects: every
 * backend must pass the same tests. Call inside a `describe` naming the backend.
 */
export function defineMetadataStoreSuite(createTarget: () => Promise<MetadataStoreTarget>): void {
  let current: SuiteContext | undefined;
  let cleanups: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    const target = await createTarget();
    cleanups.push(() => target.destroy());
    const store = await target.open();
    cleanups.push(() => store.close());
    current = {
      store,
      target,
      openAnother: async () => {
        const another = await target.open();
        cleanups.push(() => another.close());
        return another;
      },
      createTarget: async () => {
        const fresh = await createTarget();
        cleanups.push(() => fresh.destroy());
        return fresh;
      },
    };
  });

  afterEach(async () => {
    // Stores close before their databases are destroyed: newest first.
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
    current = undefined;
  });

  const use = (): SuiteContext => {
    if (!current) throw new Error('the suite context is only available inside a test');
    return current;
  };

  describe('resources', () => defineResourceTests(use));
  describe('list', () => defineListTests(use));
  describe('tags', () => defineTagTests(use));
  describe('transaction', () => defineTransactionTests(use));
  describe('lifecycle', () => defineLifecycleTests(use));
}

function defineResourceTests(use: () => SuiteContext): void {
  it('returns an inserted resource exactly as stored', async () => {
    const { store } = use();
    const record = makeRecord({
      name: 'MyModel',
      status: null,
      creationTime: 1_700_000_000_123,
      lastModifiedTime: 1_700_000_555_456,
      body: {
        ModelName: 'MyModel',
        Nested: { List: [1, 2.5, true, null, { Deep: 'x' }], Empty: {} },
        Unicode: 'Grüße — 模型 🚀 e\u0301 "quoted" \\ back\nslash \u0000 nul',
        Zebra: 1,
        Apple: 2,
      },
    });
    await store.resources.insert(record);

    const stored = await store.resources.get('model', 'MyModel');
    expect(stored).toEqual(record);
    // Key order survives too (a jsonb column would sort the keys).
    expect(JSON.stringify(stored?.body)).toBe(JSON.stringify(record.body));
    expect(stored?.creationTime.getTime()).toBe(1_700_000_000_123);
  });

  it('looks resources up by name and by ARN ignoring case', async () => {
    const { store } = use();
    const record = makeRecord({ name: 'MixedCase-Model' });
    await store.resources.insert(record);

    expect(await store.resources.get('model', 'mixedcase-model')).toEqual(record);
    expect(await store.resources.get('model', 'MIXEDCASE-MODEL')).toEqual(record);
    expect(await store.resources.getByArn(record.arn)).toEqual(record);
    expect(await store.resources.getByArn(record.arn.toUpperCase())).toEqual(record);
    expect(await store.resources.get('endpoint', 'MixedCase-Model')).toBeUndefined();
    expect(await store.resources.get('model', 'MixedCase')).toBeUndefined();
    expect(await store.resources.getByArn(testArn('model', 'other'))).toBeUndefined();
  });

  it('refuses a second resource whose name differs only in case, keeping the first', async () => {
    const { store } = use();
    const first = makeRecord({ name: 'Churn', body: { ModelName: 'Churn', Version: 1 } });
    await store.resources.insert(first);

    const second = { ...makeRecord({ name: 'CHURN', status: 'Failed' }), arn: 'arn:other' };
    const error = await store.resources.insert(second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateResourceError);
    expect(error).toMatchObject({ resourceType: 'model', resourceName: 'CHURN' });
    expect(await store.resources.get('model', 'churn')).toEqual(first);
    expect(await store.resources.getByArn('arn:other')).toBeUndefined();
  });

  it('folds non-ASCII letters the same way on every backend', async () => {
    const { store } = use();
    await store.resources.insert(makeRecord({ name: 'Ärger-Ω' }));
    await expect(store.resources.insert(makeRecord({ name: 'äRGER-ω' }))).rejects.toBeInstanceOf(
      DuplicateResourceError,
    );
    expect((await store.resources.get('model', 'ÄRGER-Ω'))?.name).toBe('Ärger-Ω');
  });

  it('allows the same name under another resource type', async () => {
    const { store } = use();
    await store.resources.insert(makeRecord({ name: 'shared', resourceType: 'model' }));
    await store.resources.insert(makeRecord({ name: 'shared', resourceType: 'endpoint' }));
    expect((await store.resources.get('endpoint', 'SHARED'))?.resourceType).toBe('endpoint');
    expect((await store.resources.get('model', 'shared'))?.resourceType).toBe('model');
  });

  it('updates by name ignoring case, changing only what it is given', async () => {
    const { store } = use();
    const record = makeRecord({ name: 'Job', status: 'InProgress', body: { A: 1 } });
    await store.resources.insert(record);

    const statusOnly = await store.resources.update('model', 'JOB', {
      status: 'Completed',
      lastModifiedTime: new Date(1_800_000_000_000),
    });
    expect(statusOnly).toEqual({
      ...record,
      status: 'Completed',
      lastModifiedTime: new Date(1_800_000_000_000),
    });

    const bodyAndNull = await store.resources.update('model', 'job', {
      status: null,
      body: { B: { C: 'ü' } },
      lastModifiedTime: new Date(1_900_000_000_000),
    });
    expect(bodyAndNull).toMatchObject({ status: null, body: { B: { C: 'ü' } }, name: 'Job' });
    expect(await store.resources.get('model', 'Job')).toEqual(bodyAndNull);
    expect(bodyAndNull?.creationTime).toEqual(record.creationTime);
  });

  it('updates nothing and returns undefined for an unknown resource', async () => {
    const { store } = use();
    await store.resources.insert(makeRecord({ name: 'known' }));
    const changes = { status: 'Failed', lastModifiedTime: new Date(1) };
    expect(await store.resources.update('model', 'unknown', changes)).toBeUndefined();
    expect(await store.resources.update('endpoint', 'known', changes)).toBeUndefined();
    expect((await store.resources.get('model', 'known'))?.status).toBe('InService');
  });

  it('deletes by name ignoring case, with its tags and only its tags', async () => {
    const { store } = use();
    const doomed = makeRecord({ name: 'Doomed' });
    const kept = makeRecord({ name: 'Kept' });
    await store.resources.insert(doomed);
    await store.resources.insert(kept);
    await store.tags.put(doomed.arn, [{ Key: 'team', Value: 'a' }]);
    await store.tags.put(kept.arn, [{ Key: 'team', Value: 'b' }]);

    expect(await store.resources.delete('model', 'DOOMED')).toBe(true);
    expect(await store.resources.get('model', 'doomed')).toBeUndefined();
    expect(await store.tags.count(doomed.arn)).toBe(0);
    expect(await store.resources.get('model', 'kept')).toEqual(kept);
    expect(await store.tags.count(kept.arn)).toBe(1);
    expect(await store.resources.delete('model', 'doomed')).toBe(false);
  });
}

function defineLifecycleTests(use: () => SuiteContext): void {
  it('keeps every row across a restart, and migrating again changes nothing', async (t) => {
    const { store, target } = use();
    if (!target.persistent) t.skip();
    const records = [
      makeRecord({ name: 'a', body: { X: '✓' } }),
      makeRecord({ name: 'b', status: null }),
    ];
    for (const record of records) await store.resources.insert(record);
    await store.tags.put(records[0]!.arn, [{ Key: 'k', Value: 'v' }]);
    await store.close();

    const reopened = await use().openAnother();
    await (await use().openAnother()).close(); // a third open: migrations are already applied
    const page = await reopened.resources.list({
      resourceType: 'model',
      sortBy: 'Name',
      sortOrder: 'Ascending',
      limit: 10,
    });
    expect(page.items).toEqual(records);
    expect((await reopened.tags.list(records[0]!.arn, { limit: 10 })).items).toEqual([
      { Key: 'k', Value: 'v' },
    ]);
  });

  it('survives several stores starting at once on a fresh database', async (t) => {
    if (!use().target.concurrentOpens) t.skip();
    const fresh = await use().createTarget();
    const stores = await Promise.all([fresh.open(), fresh.open(), fresh.open(), fresh.open()]);
    try {
      await stores[0].resources.insert(makeRecord({ name: 'seen-by-all' }));
      for (const store of stores) {
        expect((await store.resources.get('model', 'seen-by-all'))?.name).toBe('seen-by-all');
      }
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('releases its database on close; closing twice is harmless', async () => {
    const { store } = use();
    await store.close();
    await store.close();
    await expect(store.resources.get('model', 'x')).rejects.toThrow();
  });
}
