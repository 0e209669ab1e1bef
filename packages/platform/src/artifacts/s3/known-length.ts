import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A body whose length is known, and how to release what was used to learn it. */
export interface SizedBody {
  readonly body: Readable;
  readonly length: number;
  release(): Promise<void>;
}

/**
 * S3 needs a body's length before the first byte. When the caller does not know it, the body
 * is spooled to a temp file (never held in memory) and read back from there.
 */
export async function withKnownLength(
  body: Readable,
  length: number | undefined,
): Promise<SizedBody> {
  if (length !== undefined) return { body, length, release: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'plinth-s3-'));
  const release = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, 'body');
    await pipeline(body, createWriteStream(path));
    return { body: createReadStream(path), length: (await stat(path)).size, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * Sends a body through `send` so that a failing body aborts the request. The SDK pipes bodies
 * without listening for their errors: the request would wait for the missing bytes forever.
 * The body's own error is what the caller sees.
 */
export async function sendGuarded<T>(
  body: Readable,
  send: (body: Readable, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const guarded = new PassThrough();
  let failure: unknown;
  body.on('error', (error) => {
    failure = error;
    body.unpipe(guarded);
    controller.abort();
  });
  body.pipe(guarded);
  try {
    return await send(guarded, controller.signal);
  } catch (error) {
    throw failure ?? error;
  } finally {
    body.unpipe(guarded);
  }
}
