import { expect, it } from 'vitest';
import type { ObjectStore } from '../object-store.js';
import { bucketWith as makeBucket, keysOf as listKeys, md5Etag } from './suite-helpers.js';

/** Listing order, prefixes, delimiters and paging: part of the ObjectStore contract. */
export function describeListingContract(store: () => ObjectStore): void {
  const bucketWith = (objects: Record<string, string>): Promise<string> =>
    makeBucket(store(), objects);
  const keysOf = (bucket: string, options = {}): Promise<string[]> =>
    listKeys(store(), bucket, options);

  it('lists keys in UTF-8 binary order, with prefix, delimiter and start-after', async () => {
    const keys = [
      'b',
      'a',
      'a-b',
      'a/b',
      'é',
      '\uff61',
      '😀',
      'dir/x/1',
      'dir/x/2',
      'dir/y',
      'dir/z/deep/er',
      'dir0',
    ];
    const bucket = await bucketWith(Object.fromEntries(keys.map((k) => [k, k])));
    const utf8 = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(await keysOf(bucket)).toEqual(utf8);
    expect(await keysOf(bucket, { prefix: 'dir/' })).toEqual([
      'dir/x/1',
      'dir/x/2',
      'dir/y',
      'dir/z/deep/er',
    ]);
    const page = await store().listObjects(bucket, { prefix: 'dir/', delimiter: '/' });
    expect(page.objects.map((o) => o.key)).toEqual(['dir/y']);
    expect(page.commonPrefixes).toEqual(['dir/x/', 'dir/z/']);
    const top = await store().listObjects(bucket, { delimiter: '/' });
    expect(top.commonPrefixes).toEqual(['a/', 'dir/']);
    expect(top.objects.map((o) => o.key)).toEqual(utf8.filter((k) => !k.includes('/')));
    expect(await keysOf(bucket, { startAfter: 'dir/x/1' })).toEqual(
      utf8.slice(utf8.indexOf('dir/x/1') + 1),
    );
    const byDash = await store().listObjects(bucket, { delimiter: '-' });
    expect(byDash.commonPrefixes).toEqual(['a-']);
    const summary = (await store().listObjects(bucket, { prefix: 'dir/y' })).objects[0];
    expect(summary).toMatchObject({ key: 'dir/y', size: 5, etag: md5Etag('dir/y') });
  });

  it('pages through a listing with continuation tokens', async () => {
    const keys = Array.from({ length: 23 }, (_, i) => `k/${String(i).padStart(3, '0')}`);
    keys.push('p/1/a', 'p/1/b', 'p/2/a', 'p/3', 'q');
    const bucket = await bucketWith(Object.fromEntries(keys.map((k) => [k, 'v'])));
    const collect = async (options: { delimiter?: string }): Promise<string[]> => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await store().listObjects(bucket, {
          ...options,
          maxKeys: 4,
          continuationToken: token,
        });
        expect(page.objects.length + page.commonPrefixes.length).toBeLessThanOrEqual(4);
        // A page holds keys and common prefixes apart; in S3's order they interleave.
        const entries = [...page.objects.map((o) => o.key), ...page.commonPrefixes];
        seen.push(...entries.sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
        token = page.nextContinuationToken;
        expect(token !== undefined).toBe(page.isTruncated);
      } while (token);
      return seen;
    };
    expect(await collect({})).toEqual(keys);
    expect(await collect({ delimiter: '/' })).toEqual(['k/', 'p/', 'q']);
    const empty = await store().listObjects(bucket, { maxKeys: 0 });
    expect(empty.objects).toEqual([]);
  });
}
