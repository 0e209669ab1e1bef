import { expect, it } from 'vitest';
import { InvalidCursorError } from '../metadata-store.js';
import type { MetadataStore, Tag } from '../metadata-store.js';
import type { SuiteContext } from '../metadata-store.suite.js';
import { makeRecord, testArn, within } from './records.js';

const ARN = testArn('model', 'tagged');

/** Every tag of an ARN, page by page. */
async function allTags(store: MetadataStore, arn: string, limit: number): Promise<Tag[]> {
  const tags: Tag[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.tags.list(arn, { limit, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    tags.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return tags;
}

/** Tests of the tag repository. */
export function defineTagTests(use: () => SuiteContext): void {
  it('upserts tags and lists them in key order', async () => {
    const { store } = use();
    await store.tags.put(ARN, [
      { Key: 'b', Value: '1' },
      { Key: 'a', Value: '2' },
    ]);
    await store.tags.put(ARN, [
      { Key: 'a', Value: 'replaced' },
      { Key: 'C', Value: 'ü ✓' },
    ]);
    await store.tags.put(ARN, []);
    expect((await store.tags.list(ARN, { limit: 10 })).items).toEqual([
      { Key: 'C', Value: 'ü ✓' },
      { Key: 'a', Value: 'replaced' },
      { Key: 'b', Value: '1' },
    ]);
    expect(await store.tags.count(ARN)).toBe(3);
  });

  it('takes the last value when one put names a key twice', async () => {
    const { store } = use();
    await store.tags.put(ARN, [
      { Key: 'k', Value: 'first' },
      { Key: 'k', Value: 'last' },
    ]);
    expect((await store.tags.list(ARN, { limit: 10 })).items).toEqual([
      { Key: 'k', Value: 'last' },
    ]);
  });

  it('keeps each ARN’s tags apart', async () => {
    const { store } = use();
    const other = testArn('model', 'other');
    await store.tags.put(ARN, [{ Key: 'k', Value: 'mine' }]);
    await store.tags.put(other, [
      { Key: 'k', Value: 'theirs' },
      { Key: 'x', Value: '' },
    ]);
    expect(await store.tags.count(ARN)).toBe(1);
    expect(await store.tags.count(other)).toBe(2);
    expect(await store.tags.count(testArn('model', 'none'))).toBe(0);
    expect((await store.tags.list(ARN, { limit: 10 })).items).toEqual([
      { Key: 'k', Value: 'mine' },
    ]);
  });

  it('pages through tags exactly once each, with cursors bound to the ARN', async () => {
    const { store } = use();
    const tags = Array.from({ length: 7 }, (_, i) => ({ Key: `key-${i}`, Value: `v${i}` }));
    await store.tags.put(ARN, tags);
    for (const limit of [1, 2, 3, 7, 8]) expect(await allTags(store, ARN, limit)).toEqual(tags);

    const { nextCursor } = await store.tags.list(ARN, { limit: 2 });
    expect(nextCursor).toBeDefined();
    await expect(
      store.tags.list(testArn('model', 'other'), { limit: 2, cursor: nextCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.tags.list(ARN, { limit: 2, cursor: 'garbage' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('removes the named keys and ignores absent ones', async () => {
    const { store } = use();
    await store.tags.put(ARN, [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
      { Key: 'c', Value: '3' },
    ]);
    await store.tags.remove(ARN, ['a', 'c', 'absent']);
    await store.tags.remove(ARN, []);
    await store.tags.remove(testArn('model', 'none'), ['b']);
    expect((await store.tags.list(ARN, { limit: 10 })).items).toEqual([{ Key: 'b', Value: '2' }]);
  });
}

/** Tests of `transaction`: atomicity, joining from the outer store, savepoints. */
export function defineTransactionTests(use: () => SuiteContext): void {
  const record = makeRecord({ name: 'InTx' });

  it('commits everything and returns the work’s result', async () => {
    const { store } = use();
    const result = await store.transaction(async (repos) => {
      await repos.resources.insert(record);
      await repos.tags.put(record.arn, [{ Key: 'k', Value: 'v' }]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await store.resources.get('model', 'intx')).toEqual(record);
    expect(await store.tags.count(record.arn)).toBe(1);
  });

  it('rolls back every change when the work throws', async () => {
    const { store } = use();
    const survivor = makeRecord({ name: 'Survivor', status: 'InService' });
    await store.resources.insert(survivor);
    const failure = new Error('boom');
    await expect(
      store.transaction(async (repos) => {
        await repos.resources.insert(record);
        await repos.tags.put(record.arn, [{ Key: 'k', Value: 'v' }]);
        await repos.resources.update('model', 'survivor', {
          status: 'Failed',
          lastModifiedTime: new Date(9),
        });
        await repos.resources.delete('model', 'survivor');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await store.resources.get('model', 'InTx')).toBeUndefined();
    expect(await store.tags.count(record.arn)).toBe(0);
    expect(await store.resources.get('model', 'Survivor')).toEqual(survivor);
  });

  it('lets the outer store join the transaction instead of deadlocking', async () => {
    const { store } = use();
    const seen = await within(
      5_000,
      store.transaction(async (repos) => {
        await repos.resources.insert(record);
        // The outer store sees the uncommitted row: it runs inside the same transaction.
        const viaStore = await store.resources.get('model', 'InTx');
        await store.tags.put(record.arn, [{ Key: 'outer', Value: 'yes' }]);
        await store.resources.update('model', 'InTx', {
          status: 'Updated',
          lastModifiedTime: new Date(5),
        });
        return viaStore;
      }),
    );
    expect(seen).toEqual(record);
    expect((await store.resources.get('model', 'InTx'))?.status).toBe('Updated');

    const failure = new Error('undo the outer store too');
    await expect(
      within(
        5_000,
        store.transaction(async () => {
          await store.resources.insert(makeRecord({ name: 'Outer' }));
          await store.tags.put(record.arn, [{ Key: 'second', Value: 'no' }]);
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    expect(await store.resources.get('model', 'Outer')).toBeUndefined();
    expect((await store.tags.list(record.arn, { limit: 10 })).items).toEqual([
      { Key: 'outer', Value: 'yes' },
    ]);
  });

  it('undoes only a failed nested transaction', async () => {
    const { store } = use();
    await within(
      5_000,
      store.transaction(async (repos) => {
        await repos.resources.insert(record);
        await expect(
          store.transaction(async (inner) => {
            await inner.resources.insert(makeRecord({ name: 'Nested' }));
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
        await store.transaction((inner) =>
          inner.tags.put(record.arn, [{ Key: 'kept', Value: '1' }]),
        );
      }),
    );
    expect(await store.resources.get('model', 'InTx')).toEqual(record);
    expect(await store.resources.get('model', 'Nested')).toBeUndefined();
    expect(await store.tags.count(record.arn)).toBe(1);
  });

  it('can carry on after a duplicate inside a transaction', async () => {
    const { store } = use();
    await store.resources.insert(record);
    await store.transaction(async (repos) => {
      await expect(repos.resources.insert(makeRecord({ name: 'intx' }))).rejects.toThrow(
        'already exists',
      );
      await repos.resources.insert(makeRecord({ name: 'After' }));
    });
    expect((await store.resources.get('model', 'after'))?.name).toBe('After');
  });
}
