import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { parseS3Uri } from '../../artifacts/s3-uri.js';
import { extractTarGz } from './system-tar.js';

/**
 * Downloads a gzipped tarball object (`s3://bucket/key`) and extracts it into `dir`, which is
 * emptied first; entries that would land outside `dir` are refused. Throws an Error whose
 * message, led by `what` (e.g. "the source directory"), is worded as a FailureReason.
 */
export async function unpackTarGzObject(
  store: ObjectStore,
  target: { uri: string; dir: string; what: string },
): Promise<void> {
  const archive = `${target.dir}.tar.gz`;
  await rm(target.dir, { recursive: true, force: true });
  await mkdir(target.dir, { recursive: true });
  try {
    const { bucket, key } = parseS3Uri(target.uri, target.what);
    const content = await store.getObject(bucket, key);
    await pipeline(content.body, createWriteStream(archive));
    await extractTarGz(archive, target.dir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not unpack ${target.what} ${target.uri}: ${reason}`, { cause: error });
  } finally {
    await rm(archive, { force: true });
  }
}
