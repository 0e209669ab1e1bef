import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './s3-errors.js';

/** Longest chunk-size, CRLF or trailer line accepted; real ones are well under 200 bytes. */
const MAX_LINE_BYTES = 8 * 1024;
/** Largest chunk size; SDKs use 64 KiB to a few MiB. */
const MAX_CHUNK_BYTES = 2 ** 40;

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

/**
 * Decodes S3's `aws-chunked` content encoding as a stream: `<hex size>[;chunk-signature=..]`
 * CRLF, that many bytes, CRLF, ... then a zero-size chunk followed by trailer lines
 * (`x-amz-checksum-crc32:<base64>`) and an empty line. Only the user's bytes are passed on.
 * Chunk signatures are not verified (the seed signature is, by the authenticator).
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailer headers, names in lower case; complete once the stream has ended. */
  readonly trailers = new Map<string, string>();
  private state: State = 'size';
  private line: Buffer[] = [];
  private lineBytes = 0;
  private remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // Tolerate a body that ends right after its trailers without the final empty line.
    const finished = this.state === 'done' || (this.state === 'trailer' && this.lineBytes === 0);
    callback(finished ? null : incomplete());
  }

  private consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.push(chunk.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      if (this.state === 'done') return; // anything after the final empty line is ignored
      const newline = chunk.indexOf(0x0a, offset);
      const end = newline < 0 ? chunk.length : newline;
      this.line.push(chunk.subarray(offset, end));
      this.lineBytes += end - offset;
      if (this.lineBytes > MAX_LINE_BYTES)
        throw malformed('a line of the aws-chunked body is too long');
      if (newline < 0) return;
      offset = newline + 1;
      const text = Buffer.concat(this.line).toString('latin1').replace(/\r$/, '');
      this.line = [];
      this.lineBytes = 0;
      this.onLine(text);
    }
  }

  private onLine(text: string): void {
    switch (this.state) {
      case 'size': {
        const match = /^([0-9a-fA-F]{1,16})(;.*)?$/.exec(text);
        if (!match) throw malformed(`invalid chunk header '${text.slice(0, 80)}'`);
        const size = parseInt(match[1] ?? '', 16);
        if (size > MAX_CHUNK_BYTES) throw malformed('chunk too large');
        this.remaining = size;
        this.state = size === 0 ? 'trailer' : 'data';
        return;
      }
      case 'data-end':
        if (text !== '') throw malformed('chunk data is longer than its declared size');
        this.state = 'size';
        return;
      case 'trailer': {
        if (text === '') {
          this.state = 'done';
          return;
        }
        const colon = text.indexOf(':');
        if (colon <= 0) throw malformed(`invalid trailer '${text.slice(0, 80)}'`);
        this.trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
        return;
      }
      case 'data':
      case 'done':
        return;
    }
  }
}

function malformed(detail: string): S3Error {
  return new S3Error('InvalidRequest', `The aws-chunked request body is malformed: ${detail}.`);
}

function incomplete(): S3Error {
  return new S3Error(
    'IncompleteBody',
    'The request body ended before the final aws-chunked chunk.',
  );
}
