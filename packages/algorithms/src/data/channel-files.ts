import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Every file under a channel directory, recursively (SageMaker copies S3 keys below the
 * channel's prefix with their sub-folders), sorted by relative path in code-unit order so
 * every run reads records in the same order whatever the file system returns.
 */
export async function listChannelFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  await collect(dir, '', found);
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((relative) => join(dir, relative));
}

async function collect(root: string, relative: string, into: string[]): Promise<void> {
  const entries = await readdir(join(root, relative), { withFileTypes: true });
  for (const entry of entries) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) await collect(root, path, into);
    else if (entry.isFile()) into.push(path);
  }
}

/**
 * Opens a channel file as a byte stream, gunzipping it when it starts with the gzip magic
 * bytes. Sniffing rather than trusting the `.gz` suffix or `CompressionType: Gzip` handles
 * both uncompressed files in a Gzip channel and gzip files without the suffix.
 */
export async function openChannelFile(path: string): Promise<Readable> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const file = createReadStream(path);
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) return file;
  // pipeline destroys the gunzip stream with the file's error, so readers see read failures.
  return pipeline(file, createGunzip(), () => undefined);
}
