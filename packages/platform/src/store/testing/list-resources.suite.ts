import { expect, it } from 'vitest';
import { InvalidCursorError } from '../metadata-store.js';
import type {
  ListQuery,
  MetadataStore,
  ResourceRecord,
  SortBy,
  SortOrder,
} from '../metadata-store.js';
import type { SuiteContext } from '../metadata-store.suite.js';
import { makeRecord } from './records.js';

const SORTS: readonly SortBy[] = ['Name', 'CreationTime', 'Status', 'LastModifiedTime'];
const ORDERS: readonly SortOrder[] = ['Ascending', 'Descending'];
const base = { resourceType: 'model', sortBy: 'Name', sortOrder: 'Ascending', limit: 100 } as const;

/** Every page of a query, followed to the end. */
async function listAll(store: MetadataStore, query: ListQuery): Promise<ResourceRecord[]> {
  const items: ResourceRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.resources.list({ ...query, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const names = (records: readonly ResourceRecord[]): string[] => records.map((r) => r.name);

/** The order the store promises: by sort value (null status as ''), then ARN; bytewise for ASCII. */
function expectedOrder(
  records: readonly ResourceRecord[],
  sortBy: SortBy,
  order: SortOrder,
): ResourceRecord[] {
  const valueOf = (r: ResourceRecord): string | number =>
    sortBy === 'Name'
      ? r.name.toLowerCase()
      : sortBy === 'Status'
        ? (r.status ?? '')
        : sortBy === 'CreationTime'
          ? r.creationTime.getTime()
          : r.lastModifiedTime.getTime();
  const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...records].sort(
    (a, b) => compare(valueOf(a), valueOf(b)) || compare(a.arn, b.arn),
  );
  return order === 'Ascending' ? sorted : sorted.reverse();
}

/** Resources sharing few timestamps and statuses, so ties are the rule rather than the exception. */
async function insertTies(store: MetadataStore, count: number): Promise<ResourceRecord[]> {
  const statuses = ['InService', 'Failed', null, 'Creating'];
  const records = Array.from({ length: count }, (_, i) =>
    makeRecord({
      name: `${i % 2 ? 'Model' : 'model'}-${String((i * 7) % count).padStart(2, '0')}`,
      status: statuses[i % statuses.length] ?? null,
      creationTime: 1_000 * (i % 3),
      lastModifiedTime: 5_000 + 1_000 * (i % 4),
    }),
  );
  for (const record of records) await store.resources.insert(record);
  return records;
}

/** Tests of `resources.list`: filters, sorts, keyset pagination and cursor checks. */
export function defineListTests(use: () => SuiteContext): void {
  it('lists only the requested type', async () => {
    const { store } = use();
    await store.resources.insert(makeRecord({ name: 'm1' }));
    await store.resources.insert(makeRecord({ name: 'e1', resourceType: 'endpoint' }));
    expect(names((await store.resources.list(base)).items)).toEqual(['m1']);
    expect(
      names((await store.resources.list({ ...base, resourceType: 'endpoint' })).items),
    ).toEqual(['e1']);
    expect((await store.resources.list({ ...base, resourceType: 'nothing' })).items).toEqual([]);
  });

  it('lists summaries without bodies when asked, and the same rows in the same order', async () => {
    const { store } = use();
    for (const name of ['b', 'a', 'c']) {
      await store.resources.insert(makeRecord({ name, body: { Big: name.repeat(100) } }));
    }
    const full = await store.resources.list({ ...base, limit: 2 });
    const summaries = await store.resources.list({ ...base, limit: 2, includeBody: false });
    expect(summaries.items.map((r) => r.body)).toEqual([{}, {}]);
    expect(summaries.items.map(({ body: _body, ...rest }) => rest)).toEqual(
      full.items.map(({ body: _body, ...rest }) => rest),
    );
    expect(full.items[0]!.body).toEqual({ Big: 'a'.repeat(100) });
    const next = await store.resources.list({
      ...base,
      limit: 2,
      includeBody: false,
      cursor: summaries.nextCursor!,
    });
    expect(names(next.items)).toEqual(['c']);
  });

  it('matches nameContains as a case-insensitive literal substring', async () => {
    const { store } = use();
    for (const name of ['Model_1', 'modelX1', 'per%cent', 'perXcent', 'bang!x', 'bangx', 'other']) {
      await store.resources.insert(makeRecord({ name }));
    }
    const matching = async (nameContains: string): Promise<string[]> =>
      names((await store.resources.list({ ...base, nameContains })).items);
    expect(await matching('MODEL')).toEqual(['Model_1', 'modelX1']);
    expect(await matching('_')).toEqual(['Model_1']);
    expect(await matching('l_1')).toEqual(['Model_1']);
    expect(await matching('%')).toEqual(['per%cent']);
    expect(await matching('!x')).toEqual(['bang!x']);
    expect(await matching('!')).toEqual(['bang!x']);
    expect(await matching('missing')).toEqual([]);
  });

  it('treats After bounds as inclusive and Before bounds as exclusive', async () => {
    const { store } = use();
    for (const [name, created, modified] of [
      ['t1', 1000, 10_000],
      ['t2', 2000, 20_000],
      ['t3', 3000, 30_000],
    ] as const) {
      await store.resources.insert(
        makeRecord({ name, creationTime: created, lastModifiedTime: modified }),
      );
    }
    const list = async (query: Partial<ListQuery>): Promise<string[]> =>
      names((await store.resources.list({ ...base, ...query })).items);
    expect(
      await list({ creationTimeAfter: new Date(1000), creationTimeBefore: new Date(3000) }),
    ).toEqual(['t1', 't2']);
    expect(await list({ creationTimeAfter: new Date(1001) })).toEqual(['t2', 't3']);
    expect(await list({ creationTimeBefore: new Date(2000) })).toEqual(['t1']);
    expect(
      await list({
        lastModifiedTimeAfter: new Date(10_000),
        lastModifiedTimeBefore: new Date(30_000),
      }),
    ).toEqual(['t1', 't2']);
    expect(await list({ lastModifiedTimeAfter: new Date(30_000) })).toEqual(['t3']);
    expect(await list({ lastModifiedTimeAfter: new Date(30_001) })).toEqual([]);
    expect(
      await list({ creationTimeAfter: new Date(1500), lastModifiedTimeBefore: new Date(30_000) }),
    ).toEqual(['t2']);
  });

  it('filters by exact status', async () => {
    const { store } = use();
    await store.resources.insert(makeRecord({ name: 'a', status: 'Failed' }));
    await store.resources.insert(makeRecord({ name: 'b', status: 'failed' }));
    await store.resources.insert(makeRecord({ name: 'c', status: null }));
    await store.resources.insert(makeRecord({ name: 'd', status: 'Failed' }));
    expect(names((await store.resources.list({ ...base, statusEquals: 'Failed' })).items)).toEqual([
      'a',
      'd',
    ]);
  });

  it('sorts by every key in both orders, ties broken by ARN', async () => {
    const { store } = use();
    const records = await insertTies(store, 12);
    for (const sortBy of SORTS) {
      for (const sortOrder of ORDERS) {
        const page = await store.resources.list({ ...base, sortBy, sortOrder });
        expect(names(page.items), `${sortBy} ${sortOrder}`).toEqual(
          names(expectedOrder(records, sortBy, sortOrder)),
        );
        expect(page.nextCursor).toBeUndefined();
      }
    }
  });

  it('pages through every row exactly once, in order, at any page size', async () => {
    const { store } = use();
    const records = await insertTies(store, 23);
    for (const sortBy of SORTS) {
      for (const sortOrder of ORDERS) {
        const expected = names(expectedOrder(records, sortBy, sortOrder));
        for (const limit of [1, 2, 3, 5, 7, 22, 23, 24]) {
          const all = await listAll(store, { ...base, sortBy, sortOrder, limit });
          expect(names(all), `${sortBy} ${sortOrder} limit ${limit}`).toEqual(expected);
        }
      }
    }
  });

  it('pages filtered lists, and ends without a cursor when the last page is exactly full', async () => {
    const { store } = use();
    const records = await insertTies(store, 12);
    const query = {
      ...base,
      sortBy: 'CreationTime',
      statusEquals: 'Failed',
      nameContains: 'MODEL',
    } as const;
    const expected = expectedOrder(
      records.filter((r) => r.status === 'Failed'),
      'CreationTime',
      'Ascending',
    );
    expect(names(await listAll(store, { ...query, limit: 1 }))).toEqual(names(expected));
    const full = await store.resources.list({ ...query, limit: expected.length });
    expect(full.items).toHaveLength(expected.length);
    expect(full.nextCursor).toBeUndefined();
  });

  it('neither repeats nor skips rows when rows are inserted between pages', async () => {
    const { store } = use();
    const original = await insertTies(store, 10);
    const query = { ...base, sortBy: 'CreationTime', limit: 3 } as const;
    const seen: ResourceRecord[] = [];
    let page = await store.resources.list(query);
    seen.push(...page.items);
    // Rows equal to, before and after the cursor's sort value.
    for (const [i, time] of [0, 1000, 2000, 9000].entries()) {
      await store.resources.insert(makeRecord({ name: `late-${i}`, creationTime: time }));
    }
    while (page.nextCursor) {
      page = await store.resources.list({ ...query, cursor: page.nextCursor });
      seen.push(...page.items);
    }
    const seenArns = seen.map((r) => r.arn);
    expect(new Set(seenArns).size).toBe(seenArns.length);
    for (const record of original) expect(seenArns).toContain(record.arn);
    expect(seenArns).toContain(makeRecord({ name: 'late-3' }).arn);
    expect(names(seen)).toEqual(names(expectedOrder(seen, 'CreationTime', 'Ascending')));
  });

  it('accepts a cursor only from the same query, whatever the page size', async () => {
    const { store } = use();
    await insertTies(store, 6);
    const query = { ...base, sortBy: 'CreationTime', nameContains: 'model', limit: 2 } as const;
    const { nextCursor: cursor } = await store.resources.list(query);
    expect(cursor).toBeDefined();
    expect((await store.resources.list({ ...query, limit: 3, cursor })).items).toHaveLength(3);

    const others: Partial<ListQuery>[] = [
      { sortOrder: 'Descending' },
      { sortBy: 'LastModifiedTime' },
      { sortBy: 'Name' },
      { resourceType: 'endpoint' },
      { nameContains: 'mode' },
      { statusEquals: 'Failed' },
      { creationTimeAfter: new Date(0) },
    ];
    for (const other of others) {
      await expect(
        store.resources.list({ ...query, ...other, cursor }),
        JSON.stringify(other),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    }
    const garbage = [
      'not a cursor',
      '',
      Buffer.from('{"q":').toString('base64url'),
      Buffer.from('[1,2,3]').toString('base64url'),
      Buffer.from(JSON.stringify({ q: 'x', v: 1, a: 'y' })).toString('base64url'),
      cursor!.slice(0, -4),
    ];
    for (const bad of garbage) {
      await expect(store.resources.list({ ...query, cursor: bad }), bad).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    }
  });

  it('rejects a page size below one', async () => {
    const { store } = use();
    await expect(store.resources.list({ ...base, limit: 0 })).rejects.toThrow(/limit/);
  });
}
