import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectChecksum, ObjectHeaders } from '../object-store.js';

/*
 * Files written atomically, each with a JSON sidecar describing it. Data goes to a temp file
 * in the store's own temp folder (same file system), is fsynced, then renamed into place, so
 * a crash leaves the old bytes or the new ones, never half. The sidecar records the identity
 * (inode, size, mtime) of the data file it describes: a crash or race between the two renames
 * is detected on read and the ETag is recomputed rather than a stale one returned.
 */

/** The sidecar of an object or part. */
export interface BlobMeta {
  readonly etag: string;
  readonly contentType?: string;
  readonly metadata?: Record<string, string>;
  readonly headers?: ObjectHeaders;
  readonly checksum?: ObjectChecksum;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** A temp file just written, with the MD5 of its bytes. */
export interface TempFile {
  readonly path: string;
  readonly md5: Buffer;
  readonly size: number;
  readonly stats: Stats;
}

/** What identifies a data file for its sidecar. */
export function identityOf(stats: Stats): Pick<BlobMeta, 'ino' | 'size' | 'mtimeMs'> {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs };
}

/** Whether `meta` was written for the data file described by `stats`. */
export function describes(meta: BlobMeta, stats: Stats): boolean {
  return meta.ino === stats.ino && meta.size === stats.size && meta.mtimeMs === stats.mtimeMs;
}

/** A fresh name in the temp folder. */
export function tempPath(tmpDir: string): string {
  return join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
}

/**
 * Streams `sources` (one after the other) into a new temp file, hashing as it goes, and
 * fsyncs it. On any error (including one the source stream raises) the temp file is removed.
 */
export async function writeTempFile(
  tmpDir: string,
  sources: readonly (() => Readable)[],
): Promise<TempFile> {
  const path = tempPath(tmpDir);
  const md5 = createHash('md5');
  let size = 0;
  const handle = await open(path, 'wx');
  try {
    for (const openSource of sources) {
      for await (const chunk of openSource()) {
        const buffer = chunk as Buffer;
        md5.update(buffer);
        size += buffer.length;
        await handle.write(buffer);
      }
    }
    // A rename after a crash must not expose an empty or partial file.
    await handle.sync();
    const stats = await handle.stat();
    await handle.close();
    return { path, md5: md5.digest(), size, stats };
  } catch (error) {
    await handle.close();
    await rm(path, { force: true });
    throw error;
  }
}

/**
 * Creates the directories `components` below `base`, one level at a time and never `base`
 * itself, so that a bucket deleted meanwhile is not brought back. Returns false when `base`
 * is gone.
 */
export async function ensureDirs(base: string, components: readonly string[]): Promise<boolean> {
  let current = base;
  for (const component of components) {
    current = join(current, component);
    try {
      await mkdir(current);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') return false;
      if (code !== 'EEXIST') throw error;
    }
  }
  return true;
}

/**
 * Renames `from` to `base/components...`, creating the directories. Retries when a concurrent
 * delete pruned a directory between our mkdir and rename. Returns false when `base` is gone.
 */
export async function installFile(
  from: string,
  base: string,
  components: readonly string[],
): Promise<boolean> {
  const target = join(base, ...components);
  for (let attempt = 0; ; attempt++) {
    if (!(await ensureDirs(base, components.slice(0, -1)))) return false;
    try {
      await rename(from, target);
      return true;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || attempt >= 4) throw error;
    }
  }
}

/** Writes a sidecar atomically (temp + rename) at `base/components...`. */
export async function writeMeta(
  tmpDir: string,
  target: { base: string; components: readonly string[] },
  meta: BlobMeta,
): Promise<boolean> {
  const path = tempPath(tmpDir);
  await writeFile(path, JSON.stringify(meta), { flag: 'wx' });
  try {
    return await installFile(path, target.base, target.components);
  } finally {
    await rm(path, { force: true });
  }
}

/** Reads a sidecar, or undefined when it is missing or unreadable. */
export async function readMeta(path: string): Promise<BlobMeta | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof (parsed as BlobMeta).etag !== 'string'
    ) {
      return undefined;
    }
    return parsed as BlobMeta;
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** The quoted MD5 of a file's bytes, for when its sidecar is missing or stale. */
export async function md5Etag(path: string): Promise<string> {
  const md5 = createHash('md5');
  await pipeline(createReadStream(path), md5);
  return `"${md5.digest('hex')}"`;
}

/** The errno code of a Node file-system error. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
