import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, open, rm, rmdir, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ObjectChecksum,
  ObjectInfo,
  ObjectWriteOptions,
  PutObjectInput,
} from '../object-store.js';
import {
  describes,
  errorCode,
  identityOf,
  readMeta,
  tempPath,
  type BlobMeta,
} from './blob-files.js';

/** Content type S3 gives an object stored without one. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** How often a sidecar that does not match its data file is re-read before the ETag is recomputed. */
const STALE_META_RETRIES = 3;
const STALE_META_WAIT_MS = 10;

/** Where one object's data file and sidecar are. */
export interface ObjectPaths {
  readonly data: string;
  readonly meta: string;
}

/** An object opened for reading: the handle keeps its bytes even if it is replaced meanwhile. */
export interface OpenedObject {
  readonly handle: FileHandle;
  readonly stats: Stats;
}

/** Opens a data file without following a symlink; undefined when there is no such object. */
export async function openObject(path: string): Promise<OpenedObject | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENAMETOOLONG')
      return undefined;
    throw error;
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    return undefined;
  }
  return { handle, stats };
}

/**
 * The sidecar of a data file with the given stats: re-read briefly when it describes another
 * version (a writer is between its two renames), recomputed from the bytes when still stale or
 * missing. A missing one is written back, but only if no writer got there first.
 */
export async function loadMeta(
  paths: ObjectPaths,
  stats: Stats,
  options: { tmpDir: string; hash: () => Promise<string> },
): Promise<BlobMeta> {
  let meta = await readMeta(paths.meta);
  for (let i = 0; meta && !describes(meta, stats) && i < STALE_META_RETRIES; i++) {
    await sleep(STALE_META_WAIT_MS);
    meta = await readMeta(paths.meta);
  }
  if (meta && describes(meta, stats)) return meta;
  const healed: BlobMeta = { etag: await options.hash(), ...identityOf(stats) };
  if (!meta) await writeMetaIfAbsent(options.tmpDir, paths.meta, healed);
  return healed;
}

async function writeMetaIfAbsent(tmpDir: string, path: string, meta: BlobMeta): Promise<void> {
  const temp = tempPath(tmpDir);
  try {
    await writeFile(temp, JSON.stringify(meta), { flag: 'wx' });
    // link() fails if the sidecar exists: a writer's fresh sidecar always wins over ours.
    await link(temp, path);
  } catch {
    // Healing only saves recomputing the ETag next time; a file system without hard links,
    // or a writer that got there first, is no reason to fail the read.
  } finally {
    await rm(temp, { force: true });
  }
}

/** The quoted MD5 of the bytes behind an open handle (not of whatever the path names now). */
export async function md5OfHandle(handle: FileHandle, size: number): Promise<string> {
  const md5 = createHash('md5');
  const buffer = Buffer.allocUnsafe(Math.min(size, 1024 * 1024) || 1);
  for (let position = 0; position < size;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    md5.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return `"${md5.digest('hex')}"`;
}

/** The object description made of a sidecar and the data file's stats. */
export function toObjectInfo(key: string, meta: BlobMeta, stats: Stats): ObjectInfo {
  return {
    key,
    size: stats.size,
    etag: meta.etag,
    lastModified: stats.mtime,
    contentType: meta.contentType ?? DEFAULT_CONTENT_TYPE,
    metadata: meta.metadata ?? {},
    headers: meta.headers ?? {},
    ...(meta.checksum ? { checksum: meta.checksum } : {}),
  };
}

/** The sidecar fields that come from the writer rather than the bytes. */
export function writeFields(
  options: ObjectWriteOptions,
  checksum?: ObjectChecksum,
): Omit<BlobMeta, 'etag' | 'ino' | 'size' | 'mtimeMs'> {
  return {
    contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
    metadata: { ...(options.metadata ?? {}) },
    headers: { ...(options.headers ?? {}) },
    ...(checksum ? { checksum } : {}),
  };
}

/** Resolves `PutObjectInput.checksum`, which may only be known after the body was read. */
export function resolveChecksum(checksum: PutObjectInput['checksum']): ObjectChecksum | undefined {
  return typeof checksum === 'function' ? checksum() : checksum;
}

/** Removes the directories of `components` below `base` that became empty, deepest first. */
export async function pruneEmptyDirs(base: string, components: readonly string[]): Promise<void> {
  for (let depth = components.length - 1; depth > 0; depth--) {
    try {
      await rmdir(join(base, ...components.slice(0, depth)));
    } catch {
      return; // not empty (or already gone): the directories above are not empty either
    }
  }
}

/** Whether a path is an existing directory. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return false;
    throw error;
  }
}
