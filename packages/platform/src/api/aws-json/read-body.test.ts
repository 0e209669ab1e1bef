import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBoundedBody } from './read-body.js';

function chunks(count: number, size: number): Readable & { consumed: () => number } {
  let sent = 0;
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < count; i++) {
        sent += size;
        yield Buffer.alloc(size, 1);
      }
    })(),
  ) as Readable & { consumed: () => number };
  stream.consumed = () => sent;
  return stream;
}

describe('readBoundedBody', () => {
  it('returns a body within the limit whole', async () => {
    const body = await readBoundedBody(chunks(4, 100), 400);
    expect(body.length).toBe(400);
  });

  it('reads an oversized body to its end before refusing it with 413', async () => {
    const stream = chunks(50, 1000);
    await expect(readBoundedBody(stream, 10_000)).rejects.toMatchObject({
      wire: { type: 'RequestEntityTooLargeException', status: 413 },
      message: 'Request body exceeds the limit of 10000 bytes',
    });
    expect(stream.consumed()).toBe(50_000);
  });
});
