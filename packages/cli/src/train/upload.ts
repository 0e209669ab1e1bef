import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import type { S3Connection } from '../client.js';

/** A local file and the key it is uploaded to. */
export interface LocalFile {
  readonly path: string;
  readonly key: string;
  readonly size: number;
}

/**
 * The files of a local file or folder (recursively, in name order) with their keys under
 * `prefix`: a file keeps its name, a folder's files their paths below it, as `aws s3 cp
 * --recursive` lays them out.
 */
export async function listLocalFiles(localPath: string, prefix: string): Promise<LocalFile[]> {
  const info = await stat(localPath);
  if (!info.isDirectory())
    return [{ path: localPath, key: prefix + basename(localPath), size: info.size }];
  const entries = await readdir(localPath, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        const key = prefix + relative(localPath, path).split(sep).join('/');
        return { path, key, size: (await stat(path)).size };
      }),
  );
  return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Creates a bucket unless the caller already has it. */
export async function ensureBucket(s3: S3Connection, bucket: string): Promise<void> {
  try {
    await s3.client.send(new s3.sdk.CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
  }
}

/** What `uploadFiles` needs. */
export interface UploadOptions {
  readonly s3: S3Connection;
  readonly bucket: string;
  readonly files: readonly LocalFile[];
  /** Called as bytes go out, with the running total over all the files. */
  readonly onProgress: (bytesSent: number) => void;
}

/** Uploads files one after another with PutObject, reporting bytes as they are read out. */
export async function uploadFiles(options: UploadOptions): Promise<void> {
  const { s3, bucket, onProgress } = options;
  let sent = 0;
  for (const file of options.files) {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        onProgress(sent);
        callback(null, chunk);
      },
    });
    const source = createReadStream(file.path);
    source.on('error', (error) => counter.destroy(error));
    await s3.client.send(
      new s3.sdk.PutObjectCommand({
        Bucket: bucket,
        Key: file.key,
        Body: source.pipe(counter),
        ContentLength: file.size,
      }),
    );
  }
}
