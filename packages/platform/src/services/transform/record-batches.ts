import type { InputRecord } from './record-split.js';

/** BatchStrategy: one record per request, or as many as fit in MaxPayloadInMB. */
export type BatchStrategy = 'SingleRecord' | 'MultiRecord';

/** A record as it is sent (after InputFilter), with the input it came from (for JoinSource). */
export interface BatchRecord extends InputRecord {
  readonly original: Buffer;
}

/** One request's worth of records and the body that carries them. */
export interface RecordBatch {
  readonly records: readonly BatchRecord[];
  readonly payload: Buffer;
}

/** A record larger than MaxPayloadInMB: it cannot be sent at all. */
export class RecordTooLargeError extends Error {
  constructor(
    readonly position: number,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `the record is ${bytes} bytes, more than MaxPayloadInMB allows (${limitBytes} bytes); raise MaxPayloadInMB or split the input into smaller records`,
    );
    this.name = 'RecordTooLargeError';
  }
}

/** How records are grouped into requests. */
export interface BatchingRules {
  readonly strategy: BatchStrategy;
  /** The largest body; 0 for no limit (MaxPayloadInMB 0: the body is streamed to the model). */
  readonly maxPayloadBytes: number;
  /** Written after each record in a body: `\n` for Line split, nothing for framed records. */
  readonly terminator: Buffer;
}

/**
 * Groups records, in order, into request bodies: one each for SingleRecord; for MultiRecord as
 * many as fit in the payload limit. A record that alone exceeds the limit throws
 * RecordTooLargeError.
 */
export class RecordBatcher {
  #records: BatchRecord[] = [];
  #bytes = 0;

  constructor(private readonly rules: BatchingRules) {}

  /** The batches this record closes (its own, for SingleRecord). */
  add(record: BatchRecord): RecordBatch[] {
    const { maxPayloadBytes, terminator, strategy } = this.rules;
    const size = record.data.length + terminator.length;
    if (maxPayloadBytes > 0 && size > maxPayloadBytes) {
      throw new RecordTooLargeError(record.position, size, maxPayloadBytes);
    }
    const closed: RecordBatch[] = [];
    if (maxPayloadBytes > 0 && this.#bytes + size > maxPayloadBytes) closed.push(...this.flush());
    this.#records.push(record);
    this.#bytes += size;
    if (strategy === 'SingleRecord') closed.push(...this.flush());
    return closed;
  }

  /** The batch still open, if any. */
  flush(): RecordBatch[] {
    if (this.#records.length === 0) return [];
    const { terminator } = this.rules;
    const parts = this.#records.flatMap((r) =>
      terminator.length > 0 ? [r.data, terminator] : [r.data],
    );
    const batch = { records: this.#records, payload: Buffer.concat(parts) };
    this.#records = [];
    this.#bytes = 0;
    return [batch];
  }
}
