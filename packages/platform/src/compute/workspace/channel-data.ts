import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { formatS3Uri, parseS3Uri, type S3Location } from '../../artifacts/s3-uri.js';
import type { ChannelSpec } from '../workspace.js';

/** Objects downloaded at once per channel: enough to overlap latency, few enough for file handles. */
export const DOWNLOAD_CONCURRENCY = 4;

/** The largest manifest file read; it is a list of keys, read whole to parse it. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** One object to download and where below the channel folder it goes. */
export interface ChannelObject {
  readonly source: S3Location;
  readonly relativePath: string;
}

/** Where a channel's data comes from and which host is asking. */
export interface ChannelDownload {
  readonly channel: ChannelSpec;
  readonly dir: string;
  readonly hostIndex: number;
  readonly hostCount: number;
}

/**
 * Downloads a channel's objects into its folder, streaming each one. ShardedByS3Key gives host
 * i of N every N-th object in key order. Throws an Error whose message is a FailureReason.
 */
export async function downloadChannel(
  store: ObjectStore,
  download: ChannelDownload,
): Promise<void> {
  const { channel, dir } = download;
  const all = await listChannel(store, channel);
  if (all.length === 0) {
    throw new Error(`No objects found under ${channel.s3Uri} for channel '${channel.name}'.`);
  }
  const ordered = channel.shuffleSeed === undefined ? all : shuffle(all, channel.shuffleSeed);
  const mine =
    channel.distribution === 'ShardedByS3Key'
      ? ordered.filter((_, index) => index % download.hostCount === download.hostIndex)
      : ordered;
  await downloadObjects(store, { objects: mine, dir, label: `channel '${channel.name}'` });
}

/**
 * Downloads every object under an `s3://` prefix into `dir`, keeping key paths below the prefix;
 * returns how many there were (none is not an error). Throws an Error worded as a FailureReason.
 */
export async function downloadPrefix(
  store: ObjectStore,
  target: { uri: string; dir: string; label: string },
): Promise<number> {
  const location = parseS3Uri(target.uri, target.label);
  let objects: ChannelObject[];
  try {
    objects = await listPrefix(store, location);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not read ${target.uri} for ${target.label}: ${reason}`, {
      cause: error,
    });
  }
  await downloadObjects(store, { objects, dir: target.dir, label: target.label });
  return objects.length;
}

/** Streams objects into `dir`, a few at a time. */
async function downloadObjects(
  store: ObjectStore,
  batch: { objects: readonly ChannelObject[]; dir: string; label: string },
): Promise<void> {
  const { objects, dir, label } = batch;
  await mkdir(dir, { recursive: true });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const object = objects[next++];
      if (object) await downloadObject(store, { object, dir, label });
    }
  };
  await Promise.all(Array.from({ length: DOWNLOAD_CONCURRENCY }, worker));
}

/**
 * A channel's objects in key order, each with its path below the prefix (S3Prefix) or its key
 * as the manifest lists it (ManifestFile). Throws an Error worded as a FailureReason.
 */
export async function listChannel(
  store: ObjectStore,
  channel: ChannelSpec,
): Promise<ChannelObject[]> {
  const location = parseS3Uri(channel.s3Uri, `Channel '${channel.name}' S3Uri`);
  try {
    switch (channel.s3DataType) {
      case 'S3Prefix':
        return await listPrefix(store, location);
      case 'ManifestFile':
        return await readManifest(store, location);
      case 'AugmentedManifestFile':
        throw new Error('AugmentedManifestFile channels are not supported yet');
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not read ${channel.s3Uri} for channel '${channel.name}': ${reason}`, {
      cause: error,
    });
  }
}

/** Every object under the prefix, in key order, keeping its key path below the prefix. */
async function listPrefix(store: ObjectStore, location: S3Location): Promise<ChannelObject[]> {
  const objects: ChannelObject[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.listObjects(location.bucket, {
      prefix: location.key,
      ...(continuationToken ? { continuationToken } : {}),
    });
    for (const summary of page.objects) {
      if (summary.key.endsWith('/')) continue; // a console-made "folder" marker, not data
      const below = summary.key.slice(location.key.length).replace(/^\/+/, '');
      // The URI named one object exactly: it lands under its own name.
      const relativePath = below === '' ? (summary.key.split('/').pop() ?? '') : below;
      objects.push({ source: { bucket: location.bucket, key: summary.key }, relativePath });
    }
    continuationToken = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (continuationToken);
  return objects;
}

/** A manifest: `[{"prefix": "s3://b/p/"}, "rel/key1", ...]`; objects in key order. */
async function readManifest(store: ObjectStore, location: S3Location): Promise<ChannelObject[]> {
  const content = await store.getObject(location.bucket, location.key);
  if (content.contentLength > MAX_MANIFEST_BYTES) {
    content.body.destroy();
    throw new Error(`the manifest is larger than ${MAX_MANIFEST_BYTES} bytes`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of content.body) chunks.push(chunk as Buffer);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Error('the manifest is not valid JSON');
  }
  const [head, ...keys] = Array.isArray(parsed) ? (parsed as unknown[]) : [];
  const prefixUri = (head as { prefix?: unknown } | undefined)?.prefix;
  if (
    typeof prefixUri !== 'string' ||
    !keys.every((key): key is string => typeof key === 'string')
  ) {
    throw new Error('the manifest must be a JSON array: [{"prefix": "s3://..."}, "key", ...]');
  }
  const prefix = parseS3Uri(prefixUri, 'manifest prefix');
  return keys
    .map((key) => ({ source: { bucket: prefix.bucket, key: prefix.key + key }, relativePath: key }))
    .sort((a, b) => Buffer.compare(Buffer.from(a.source.key), Buffer.from(b.source.key)));
}

async function downloadObject(
  store: ObjectStore,
  target: { object: ChannelObject; dir: string; label: string },
): Promise<void> {
  const { object, dir } = target;
  const path = safeJoin(dir, object.relativePath);
  if (!path) {
    throw new Error(
      `The object ${formatS3Uri(object.source)} of ${target.label} has a key that ` +
        `cannot be a file path inside the channel folder ('${object.relativePath}').`,
    );
  }
  await mkdir(dirname(path), { recursive: true });
  try {
    const content = await store.getObject(object.source.bucket, object.source.key);
    await pipeline(content.body, createWriteStream(path));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not download ${formatS3Uri(object.source)}: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * The objects in the order a seed gives (Fisher-Yates over a mulberry32 stream), as ShuffleConfig
 * asks: the same seed always gives the same order, so every host agrees on the shards.
 */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = Number(BigInt.asUintN(32, BigInt(Math.trunc(seed))));
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `dir/relative` if it stays strictly inside `dir` with no empty, `.` or `..` segments. */
function safeJoin(dir: string, relativePath: string): string | undefined {
  const segments = relativePath.split('/');
  const bad = segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'));
  // On Windows a backslash would be a folder separator too.
  if (bad || (sep === '\\' && relativePath.includes('\\'))) return undefined;
  const path = resolve(dir, ...segments);
  const inside = relative(resolve(dir), path);
  return inside && !inside.startsWith(`..${sep}`) && inside !== '..' ? join(path) : undefined;
}
