import { describe, expect, it } from 'vitest';
import { RecordBatcher, RecordTooLargeError, type BatchRecord } from './record-batches.js';

const record = (text: string, position: number): BatchRecord => ({
  data: Buffer.from(text),
  original: Buffer.from(text),
  position,
});
const newline = Buffer.from('\n');

describe('record batching', () => {
  it('sends one record per request for SingleRecord', () => {
    const batcher = new RecordBatcher({
      strategy: 'SingleRecord',
      maxPayloadBytes: 100,
      terminator: newline,
    });
    const batches = [record('a', 1), record('b', 2)].flatMap((r) => batcher.add(r));
    expect(batches.map((b) => b.payload.toString())).toEqual(['a\n', 'b\n']);
    expect(batcher.flush()).toEqual([]);
  });

  it('fills MultiRecord requests up to the payload limit, in order', () => {
    const batcher = new RecordBatcher({
      strategy: 'MultiRecord',
      maxPayloadBytes: 8,
      terminator: newline,
    });
    const batches = ['111', '222', '333', '4', '5555555'].flatMap((t, i) =>
      batcher.add(record(t, i + 1)),
    );
    batches.push(...batcher.flush());
    expect(batches.map((b) => b.payload.toString())).toEqual([
      '111\n222\n',
      '333\n4\n',
      '5555555\n',
    ]);
    expect(batches.map((b) => b.records.map((r) => r.position))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('refuses a record larger than the limit, naming it', () => {
    const batcher = new RecordBatcher({
      strategy: 'MultiRecord',
      maxPayloadBytes: 4,
      terminator: newline,
    });
    batcher.add(record('ok', 1));
    const error = (() => {
      try {
        batcher.add(record('too long', 2));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect((error as RecordTooLargeError).position).toBe(2);
    expect((error as Error).message).toMatch(
      /9 bytes, more than MaxPayloadInMB allows \(4 bytes\)/,
    );
  });

  it('has no limit for MaxPayloadInMB 0, and adds nothing between framed records', () => {
    const batcher = new RecordBatcher({
      strategy: 'MultiRecord',
      maxPayloadBytes: 0,
      terminator: Buffer.alloc(0),
    });
    expect(batcher.add(record('x'.repeat(10_000), 1))).toEqual([]);
    batcher.add(record('yy', 2));
    expect(batcher.flush()[0]!.payload.length).toBe(10_002);
  });
});
