/** TransformInput.SplitType: how an input object is cut into records. */
export type SplitType = 'None' | 'Line' | 'RecordIO' | 'TFRecord';

/** One record of an input object. */
export interface InputRecord {
  /** Its bytes: a line without its line break, or a whole RecordIO / TFRecord frame. */
  readonly data: Buffer;
  /** Where it is, for messages: its line number (Line), record number (RecordIO, TFRecord), or 1. */
  readonly position: number;
}

/** Cuts an object's bytes, arriving in chunks, into records. */
export interface RecordSplitter {
  /** The records completed by this chunk. */
  push(chunk: Buffer): InputRecord[];
  /** The last records; throws an Error when the object ends inside a record. */
  end(): InputRecord[];
}

/** How a position is named in messages: `line 7`, `record 7`, or nothing for a whole object. */
export function positionLabel(split: SplitType, position: number): string {
  if (split === 'None') return '';
  return `${split === 'Line' ? 'line' : 'record'} ${position}`;
}

/** The splitter for a SplitType. */
export function createRecordSplitter(split: SplitType): RecordSplitter {
  switch (split) {
    case 'None':
      return new WholeObject();
    case 'Line':
      return new LineRecords();
    case 'RecordIO':
      return new FramedRecords(recordIoFrame);
    case 'TFRecord':
      return new FramedRecords(tfRecordFrame);
  }
}

/** SplitType None: the whole object is one record. */
class WholeObject implements RecordSplitter {
  readonly #chunks: Buffer[] = [];

  push(chunk: Buffer): InputRecord[] {
    this.#chunks.push(chunk);
    return [];
  }

  end(): InputRecord[] {
    return [{ data: Buffer.concat(this.#chunks), position: 1 }];
  }
}

/**
 * SplitType Line: a record per line, without its `\n` (or `\r\n`). Blank lines are not records,
 * but they count in line numbers.
 */
class LineRecords implements RecordSplitter {
  #pending: Buffer = Buffer.alloc(0);
  #line = 0;

  push(chunk: Buffer): InputRecord[] {
    const text = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const records: InputRecord[] = [];
    let start = 0;
    for (let newline = text.indexOf(10); newline >= 0; newline = text.indexOf(10, start)) {
      this.#take(text.subarray(start, newline), records);
      start = newline + 1;
    }
    this.#pending = Buffer.from(text.subarray(start));
    return records;
  }

  end(): InputRecord[] {
    const records: InputRecord[] = [];
    if (this.#pending.length > 0) this.#take(this.#pending, records);
    this.#pending = Buffer.alloc(0);
    return records;
  }

  #take(line: Buffer, records: InputRecord[]): void {
    this.#line += 1;
    const data = line.at(-1) === 13 ? line.subarray(0, -1) : line;
    if (data.length > 0) records.push({ data: Buffer.from(data), position: this.#line });
  }
}

/**
 * The length of the frame starting at `at` (the record's whole bytes, headers included), or
 * undefined when `bytes` does not hold all of it yet. Throws when the bytes are not a frame.
 */
type FrameLength = (bytes: Buffer, at: number) => number | undefined;

/** RecordIO or TFRecord: each record is one frame, sent as it is, headers and all. */
class FramedRecords implements RecordSplitter {
  #pending: Buffer = Buffer.alloc(0);
  #count = 0;

  constructor(private readonly frameLength: FrameLength) {}

  push(chunk: Buffer): InputRecord[] {
    const bytes = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const records: InputRecord[] = [];
    let at = 0;
    for (;;) {
      const length = this.frameLength(bytes, at);
      if (length === undefined) break;
      this.#count += 1;
      records.push({ data: Buffer.from(bytes.subarray(at, at + length)), position: this.#count });
      at += length;
    }
    this.#pending = Buffer.from(bytes.subarray(at));
    return records;
  }

  end(): InputRecord[] {
    if (this.#pending.length > 0) {
      throw new Error(
        `the object ends inside record ${this.#count + 1} (${this.#pending.length} bytes left over)`,
      );
    }
    return [];
  }
}

/** MXNet RecordIO's magic number, before every part of a record. */
const RECORDIO_MAGIC = 0xced7230a;
/** The low 29 bits of a part's second word are its length; the high 3 its continuation flag. */
const RECORDIO_LENGTH_MASK = (1 << 29) - 1;

/**
 * A RecordIO record: parts of `magic, flag<<29 | length, data, padding to 4 bytes`; a record
 * split over several parts (flags 1, 2, 3: first, middle, last) stays one record.
 */
function recordIoFrame(bytes: Buffer, start: number): number | undefined {
  let at = start;
  for (;;) {
    if (bytes.length - at < 8) return undefined;
    const magic = bytes.readUInt32LE(at);
    if (magic !== RECORDIO_MAGIC) {
      throw new Error(
        `the bytes at offset ${at} are not a RecordIO record (no magic number 0xced7230a)`,
      );
    }
    const word = bytes.readUInt32LE(at + 4);
    const length = word & RECORDIO_LENGTH_MASK;
    const flag = word >>> 29;
    const partEnd = at + 8 + length + ((4 - (length % 4)) % 4);
    if (bytes.length < partEnd) return undefined;
    at = partEnd;
    if (flag === 0 || flag === 3) return at - start;
  }
}

/** A TFRecord: `uint64 length, uint32 length CRC, data, uint32 data CRC` (CRCs not checked). */
function tfRecordFrame(bytes: Buffer, at: number): number | undefined {
  if (bytes.length - at < 12) return undefined;
  const length = bytes.readBigUInt64LE(at);
  if (length > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`the bytes at offset ${at} are not a TFRecord record (length ${length})`);
  }
  const total = 12 + Number(length) + 4;
  return bytes.length - at < total ? undefined : total;
}
