import type { Readable } from 'node:stream';
import { ProtocolError } from './error-map.js';

/** Past this many bytes an oversized body is no longer read to its end: the connection is cut. */
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Reads a request body of at most `limit` bytes. A larger body is read to its end and thrown
 * away before the 413 is answered: a server that answers and closes while the client is still
 * sending leaves the client with a broken pipe instead of the error. Bodies beyond
 * `MAX_DRAIN_BYTES` are not worth that and end the connection.
 */
export function readBoundedBody(payload: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) payload.destroy();
    });
    payload.on('error', reject);
    payload.on('close', () => {
      if (size > limit) reject(tooLarge(limit));
    });
    payload.on('end', () =>
      size > limit ? reject(tooLarge(limit)) : resolve(Buffer.concat(chunks, size)),
    );
  });
}

function tooLarge(limit: number): ProtocolError {
  return new ProtocolError(
    { type: 'RequestEntityTooLargeException', status: 413 },
    `Request body exceeds the limit of ${limit} bytes`,
  );
}
