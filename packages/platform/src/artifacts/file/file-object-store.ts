import { mkdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { resolveRange } from '../byte-range.js';
import { NoSuchBucketError, NoSuchKeyError } from '../errors.js';
import type {
  BucketInfo,
  ByteRange,
  CompletedPart,
  ListObjectsOptions,
  ListObjectsPage,
  ObjectContent,
  ObjectInfo,
  ObjectStore,
  ObjectSummary,
  ObjectWriteOptions,
  PartInfo,
  PutObjectInput,
  PutObjectResult,
  UploadPartInput,
  UploadRef,
} from '../object-store.js';
import { errorCode, installFile, md5Etag, writeMeta, writeTempFile } from './blob-files.js';
import { listPage } from './file-listing.js';
import { FileBuckets } from './file-buckets.js';
import { FileMultipart } from './file-multipart.js';
import { keyToPathComponents } from './key-paths.js';
import {
  loadMeta,
  md5OfHandle,
  openObject,
  pruneEmptyDirs,
  resolveChecksum,
  toObjectInfo,
  writeFields,
  type ObjectPaths,
} from './object-files.js';
import { StoreLayout } from './store-layout.js';

/**
 * The default object store: buckets are folders under a root folder, objects are files in
 * them (see key-paths.ts), metadata lives in a separate sidecar tree. Suits one machine; every
 * write is atomic and no key can reach outside its bucket folder.
 */
export class FileObjectStore implements ObjectStore {
  private readonly layout: StoreLayout;
  private readonly buckets: FileBuckets;
  private readonly multipart: FileMultipart;

  constructor(root: string) {
    this.layout = new StoreLayout(root);
    this.buckets = new FileBuckets(this.layout);
    this.multipart = new FileMultipart(this.layout, {
      requireBucket: (bucket) => this.requireBucket(bucket),
      writeObject: (target, write) => this.writeObject(target, write),
    });
  }

  createBucket(bucket: string): Promise<void> {
    return this.buckets.create(bucket);
  }

  bucketExists(bucket: string): Promise<boolean> {
    return this.buckets.exists(bucket);
  }

  listBuckets(): Promise<BucketInfo[]> {
    return this.buckets.list();
  }

  deleteBucket(bucket: string): Promise<void> {
    return this.buckets.delete(bucket);
  }

  async putObject(input: PutObjectInput): Promise<PutObjectResult> {
    const body = input.body;
    const result = await this.writeObject(input, {
      sources: [() => body],
      options: input,
      checksum: () => resolveChecksum(input.checksum),
    });
    return { etag: result.etag, size: result.size };
  }

  async getObject(
    bucket: string,
    key: string,
    options: { range?: ByteRange } = {},
  ): Promise<ObjectContent> {
    const paths = await this.objectPaths(bucket, key);
    const opened = await openObject(paths.data);
    if (!opened) throw await this.missing(bucket, key);
    const { handle, stats } = opened;
    try {
      const meta = await loadMeta(paths, stats, {
        tmpDir: this.layout.tmpDir,
        hash: () => md5OfHandle(handle, stats.size),
      });
      const info = toObjectInfo(key, meta, stats);
      const range = options.range ? resolveRange(options.range, stats.size) : undefined;
      const start = range?.start ?? 0;
      const end = range?.end ?? stats.size - 1;
      const contentLength = end - start + 1;
      let body: Readable;
      if (contentLength > 0) {
        body = handle.createReadStream({ start, end, autoClose: true });
      } else {
        await handle.close(); // an empty object: nothing to read
        body = Readable.from([]);
      }
      return { ...info, body, contentLength, ...(range ? { range } : {}) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo> {
    const paths = await this.objectPaths(bucket, key);
    const opened = await openObject(paths.data);
    if (!opened) throw await this.missing(bucket, key);
    try {
      const meta = await loadMeta(paths, opened.stats, {
        tmpDir: this.layout.tmpDir,
        hash: () => md5OfHandle(opened.handle, opened.stats.size),
      });
      return toObjectInfo(key, meta, opened.stats);
    } finally {
      await opened.handle.close();
    }
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.requireBucket(bucket);
    const components = keyToPathComponents(key);
    for (const base of [this.layout.bucketDir(bucket), this.layout.metaDir(bucket)]) {
      try {
        await unlink(join(base, ...components));
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR' && code !== 'EPERM')
          throw error;
      }
      await pruneEmptyDirs(base, components);
    }
  }

  async copyObject(
    source: { bucket: string; key: string },
    target: { bucket: string; key: string },
    replace?: ObjectWriteOptions,
  ): Promise<ObjectSummary> {
    await this.requireBucket(target.bucket);
    keyToPathComponents(target.key);
    const content = await this.getObject(source.bucket, source.key);
    const result = await this.writeObject(target, {
      sources: [() => content.body],
      options: replace ?? content,
      checksum: () => (replace ? undefined : content.checksum),
    });
    return {
      key: target.key,
      size: result.size,
      etag: result.etag,
      lastModified: result.lastModified,
    };
  }

  async listObjects(bucket: string, options: ListObjectsOptions = {}): Promise<ListObjectsPage> {
    await this.requireBucket(bucket);
    const metaDir = this.layout.metaDir(bucket);
    const bucketDir = this.layout.bucketDir(bucket);
    return listPage(bucketDir, options, async ({ key, path }) => {
      let stats;
      try {
        stats = await stat(path);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return undefined; // deleted while we listed
        throw error;
      }
      const meta = await loadMeta(
        { data: path, meta: join(metaDir, path.slice(bucketDir.length)) },
        stats,
        {
          tmpDir: this.layout.tmpDir,
          hash: () => md5Etag(path),
        },
      );
      return { key, size: stats.size, etag: meta.etag, lastModified: stats.mtime };
    });
  }

  createMultipartUpload(
    bucket: string,
    key: string,
    options?: ObjectWriteOptions,
  ): Promise<string> {
    return this.multipart.create(bucket, key, options);
  }

  uploadPart(input: UploadPartInput): Promise<{ etag: string; size: number }> {
    return this.multipart.uploadPart(input);
  }

  listParts(upload: UploadRef): Promise<PartInfo[]> {
    return this.multipart.listParts(upload);
  }

  completeMultipartUpload(
    upload: UploadRef,
    parts: readonly CompletedPart[],
  ): Promise<PutObjectResult> {
    return this.multipart.complete(upload, parts);
  }

  abortMultipartUpload(upload: UploadRef): Promise<void> {
    return this.multipart.abort(upload);
  }

  /**
   * Streams `write.sources` into a temp file and renames it over the object, then writes its
   * sidecar. `write.etag`, when given, replaces the MD5 of the bytes (multipart ETags).
   */
  private async writeObject(
    target: { bucket: string; key: string },
    write: {
      sources: readonly (() => Readable)[];
      options: ObjectWriteOptions;
      checksum?: () => PutObjectInput['checksum'];
      etag?: string;
    },
  ): Promise<PutObjectResult & { lastModified: Date }> {
    await this.requireBucket(target.bucket);
    const components = keyToPathComponents(target.key);
    const temp = await writeTempFile(this.layout.tmpDir, write.sources);
    try {
      if (!(await installFile(temp.path, this.layout.bucketDir(target.bucket), components))) {
        throw new NoSuchBucketError(target.bucket);
      }
    } catch (error) {
      await rm(temp.path, { force: true });
      throw error;
    }
    const etag = write.etag ?? `"${temp.md5.toString('hex')}"`;
    const fields = writeFields(write.options, resolveChecksum(write.checksum?.()));
    await mkdir(this.layout.metaDir(target.bucket), { recursive: true });
    await writeMeta(
      this.layout.tmpDir,
      { base: this.layout.metaDir(target.bucket), components },
      { ...fields, etag, ino: temp.stats.ino, size: temp.stats.size, mtimeMs: temp.stats.mtimeMs },
    );
    return { etag, size: temp.size, lastModified: temp.stats.mtime };
  }

  private async objectPaths(bucket: string, key: string): Promise<ObjectPaths> {
    await this.requireBucket(bucket);
    const components = keyToPathComponents(key);
    return {
      data: join(this.layout.bucketDir(bucket), ...components),
      meta: join(this.layout.metaDir(bucket), ...components),
    };
  }

  private async missing(bucket: string, key: string): Promise<Error> {
    return (await this.bucketExists(bucket))
      ? new NoSuchKeyError(bucket, key)
      : new NoSuchBucketError(bucket);
  }

  private requireBucket(bucket: string): Promise<void> {
    return this.buckets.require(bucket);
  }
}
