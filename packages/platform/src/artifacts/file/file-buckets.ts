import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertValidBucketName, bucketNameProblem } from '../bucket-names.js';
import { BucketAlreadyOwnedByYouError, BucketNotEmptyError, NoSuchBucketError } from '../errors.js';
import type { BucketInfo } from '../object-store.js';
import { errorCode } from './blob-files.js';
import { hasAnyKey } from './list-walk.js';
import { isDirectory } from './object-files.js';
import type { StoreLayout } from './store-layout.js';

/** The buckets of the file store: folders under the root, with a creation date beside them. */
export class FileBuckets {
  private readyPromise: Promise<void> | undefined;

  constructor(private readonly layout: StoreLayout) {}

  async create(bucket: string): Promise<void> {
    assertValidBucketName(bucket);
    await this.ready();
    try {
      await mkdir(this.layout.bucketDir(bucket));
    } catch (error) {
      if (errorCode(error) === 'EEXIST') throw new BucketAlreadyOwnedByYouError(bucket);
      throw error;
    }
    await mkdir(this.layout.metaDir(bucket), { recursive: true });
    await writeFile(
      this.layout.bucketInfoFile(bucket),
      JSON.stringify({ creationDate: new Date().toISOString() }),
    );
  }

  async exists(bucket: string): Promise<boolean> {
    return (
      bucketNameProblem(bucket) === undefined && (await isDirectory(this.layout.bucketDir(bucket)))
    );
  }

  async list(): Promise<BucketInfo[]> {
    await this.ready();
    const dirents = await readdir(this.layout.root, { withFileTypes: true });
    const names = dirents
      .filter((d) => d.isDirectory() && bucketNameProblem(d.name) === undefined)
      .map((d) => d.name);
    const buckets = await Promise.all(
      names.map(async (name) => ({ name, creationDate: await this.creationDate(name) })),
    );
    return buckets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(bucket: string): Promise<void> {
    await this.require(bucket);
    const dir = this.layout.bucketDir(bucket);
    if (await hasAnyKey(dir)) throw new BucketNotEmptyError(bucket);
    await rm(this.layout.uploadsDir(bucket), { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
    await rm(this.layout.metaDir(bucket), { recursive: true, force: true });
    await rm(this.layout.bucketInfoFile(bucket), { force: true });
  }

  /** Throws `NoSuchBucket` unless the bucket exists. */
  async require(bucket: string): Promise<void> {
    await this.ready();
    if (!(await this.exists(bucket))) throw new NoSuchBucketError(bucket);
  }

  private async creationDate(bucket: string): Promise<Date> {
    try {
      const info = JSON.parse(await readFile(this.layout.bucketInfoFile(bucket), 'utf8')) as {
        creationDate?: string;
      };
      if (info.creationDate) return new Date(info.creationDate);
    } catch {
      // no info file (a folder made by hand): fall back to the folder's own dates
    }
    const stats = await stat(this.layout.bucketDir(bucket));
    return stats.birthtimeMs > 0 ? stats.birthtime : stats.mtime;
  }

  private ready(): Promise<void> {
    this.readyPromise ??= (async () => {
      for (const dir of [
        this.layout.tmpDir,
        join(this.layout.root, '.meta'),
        join(this.layout.root, '.buckets'),
      ]) {
        await mkdir(dir, { recursive: true });
      }
    })();
    return this.readyPromise;
  }
}
