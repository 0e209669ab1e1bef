import type { Readable } from 'node:stream';
import { DataFormatError, located } from './errors.js';

/** dmlc RecordIO's magic number, written little-endian before every record part. */
export const RECORDIO_MAGIC = 0xced7230a;
const LENGTH_MASK = (1 << 29) - 1;
const MAGIC_BYTES = Buffer.from([0x0a, 0x23, 0xd7, 0xce]);

/** Where RecordIO bytes come from: a whole file in memory, or a stream of chunks. */
export type ByteSource = Buffer | Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** Options for {@link readRecordIO}. */
export interface ReadRecordIOOptions {
  /** Named in error messages, e.g. the file's path. */
  source?: string;
}

/**
 * Yields each record's payload from RecordIO framing, the container the SageMaker SDK's
 * `write_numpy_to_dense_tensor` and MXNet write. Multi-part records (cflag 1, 2..., 3) are
 * joined the way dmlc-core's `RecordIOReader` joins them: the writer split the payload where
 * it contained the magic number at a 4-byte boundary and dropped those 4 bytes, so they are
 * put back between the parts.
 */
export async function* readRecordIO(
  input: ByteSource,
  options: ReadRecordIOOptions = {},
): AsyncGenerator<Buffer> {
  const parser = new RecordIOParser(options.source);
  if (input instanceof Uint8Array) {
    yield* parser.push(input);
  } else {
    for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
      if (typeof chunk === 'string') throw new TypeError('readRecordIO needs a binary stream');
      yield* parser.push(chunk);
    }
  }
  parser.finish();
}

/**
 * Frames payloads as RecordIO exactly as the SageMaker SDK's `_write_recordio` does: magic,
 * length (continuation flag 0), payload, zero padding to a multiple of 4 bytes.
 */
export function writeRecordIO(payloads: Iterable<Uint8Array>): Buffer {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const payload of payloads) {
    if (payload.length > LENGTH_MASK)
      throw new RangeError(`A RecordIO record holds at most ${LENGTH_MASK} bytes`);
    const header = Buffer.allocUnsafe(8);
    header.writeUInt32LE(RECORDIO_MAGIC, 0);
    header.writeUInt32LE(payload.length, 4);
    const padding = (4 - (payload.length % 4)) % 4;
    parts.push(header, payload);
    if (padding > 0) parts.push(Buffer.alloc(padding));
    total += 8 + payload.length + padding;
  }
  return Buffer.concat(parts, total);
}

/**
 * Incremental RecordIO decoder. Chunks are queued and only joined once a whole record part is
 * available, so a large record arriving in many small chunks is copied once, not once per chunk.
 */
class RecordIOParser {
  private chunks: Uint8Array[] = [];
  private queued = 0;
  /** Absolute offset of the first queued byte, for error messages. */
  private offset = 0;
  /** Parts of a multi-part record seen so far, and where that record started. */
  private parts: Buffer[] = [];
  private recordStart = 0;

  constructor(private readonly source: string | undefined) {}

  *push(chunk: Uint8Array): Generator<Buffer> {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.queued += chunk.length;
    while (this.queued >= 8) {
      const header = this.peek(8);
      const magic = header.readUInt32LE(0);
      if (magic !== RECORDIO_MAGIC) {
        throw new DataFormatError(
          located(
            this.source,
            `not valid RecordIO: expected the magic number 0x${RECORDIO_MAGIC.toString(16)} at byte offset ${this.offset} but found 0x${magic.toString(16).padStart(8, '0')}. Check that the data is application/x-recordio-protobuf (for example written by the SageMaker SDK's record_set or write_numpy_to_dense_tensor).`,
          ),
        );
      }
      const word = header.readUInt32LE(4);
      const length = word & LENGTH_MASK;
      const cflag = word >>> 29;
      const padded = (length + 3) & ~3;
      if (this.queued < 8 + padded) return;
      const at = this.offset;
      const part = this.take(8 + padded).subarray(8, 8 + length);
      const record = this.assemble(cflag, part, at);
      if (record !== undefined) yield record;
    }
  }

  /** Throws when the input ended inside a record. */
  finish(): void {
    if (this.queued > 0) {
      throw new DataFormatError(
        located(
          this.source,
          `RecordIO data is truncated: the record at byte offset ${this.offset} is incomplete (${this.queued} bytes left over).`,
        ),
      );
    }
    if (this.parts.length > 0) {
      throw new DataFormatError(
        located(
          this.source,
          `RecordIO data is truncated: the multi-part record starting at byte offset ${this.recordStart} has no final part.`,
        ),
      );
    }
  }

  private assemble(cflag: number, part: Buffer, at: number): Buffer | undefined {
    const inRecord = this.parts.length > 0;
    if ((cflag === 0 || cflag === 1) === inRecord || cflag > 3) {
      throw new DataFormatError(
        located(
          this.source,
          `invalid RecordIO continuation flag ${cflag} at byte offset ${at}` +
            (inRecord ? ` inside the record that starts at byte offset ${this.recordStart}.` : '.'),
        ),
      );
    }
    if (cflag === 0) return part;
    if (cflag === 1) this.recordStart = at;
    this.parts.push(part);
    if (cflag !== 3) {
      this.parts.push(MAGIC_BYTES);
      return undefined;
    }
    const record = Buffer.concat(this.parts);
    this.parts = [];
    return record;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return Buffer.from(first.buffer, first.byteOffset, n);
    // A header split across chunks: join only as many chunks as it spans.
    const spanned: Uint8Array[] = [];
    for (let got = 0; got < n;) {
      const chunk = this.chunks[spanned.length]!;
      spanned.push(chunk);
      got += chunk.length;
    }
    return Buffer.concat(spanned).subarray(0, n);
  }

  /** Removes n queued bytes; the result may share memory with the input chunks. */
  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const want = n - filled;
      if (chunk.length <= want) {
        if (filled === 0 && chunk.length === n) {
          this.chunks.shift();
          this.consumed(n);
          return Buffer.from(chunk.buffer, chunk.byteOffset, n);
        }
        out.set(chunk, filled);
        filled += chunk.length;
        this.chunks.shift();
      } else {
        if (filled === 0) {
          this.chunks[0] = chunk.subarray(want);
          this.consumed(n);
          return Buffer.from(chunk.buffer, chunk.byteOffset, n);
        }
        out.set(chunk.subarray(0, want), filled);
        this.chunks[0] = chunk.subarray(want);
        filled = n;
      }
    }
    this.consumed(n);
    return out;
  }

  private consumed(n: number): void {
    this.queued -= n;
    this.offset += n;
  }
}
