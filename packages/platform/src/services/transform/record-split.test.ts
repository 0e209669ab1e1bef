import { describe, expect, it } from 'vitest';
import {
  createRecordSplitter,
  positionLabel,
  type InputRecord,
  type SplitType,
} from './record-split.js';

/** Feeds `bytes` in chunks of `size` and collects every record. */
function split(type: SplitType, bytes: Buffer, size: number): InputRecord[] {
  const splitter = createRecordSplitter(type);
  const records: InputRecord[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    records.push(...splitter.push(bytes.subarray(at, at + size)));
  }
  return [...records, ...splitter.end()];
}

function recordIo(payload: string, flag = 0): Buffer {
  const data = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0xced7230a, 0);
  header.writeUInt32LE(((flag << 29) | data.length) >>> 0, 4);
  return Buffer.concat([header, data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
}

function tfRecord(payload: string): Buffer {
  const data = Buffer.from(payload);
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(data.length), 0);
  return Buffer.concat([header, data, Buffer.alloc(4)]);
}

describe('record splitting', () => {
  it('cuts lines at any chunk size, numbering lines, skipping blank ones and CRs', () => {
    const text = Buffer.from('1,2\r\n3,4\n\n5,6\n7,8');
    for (const size of [1, 2, 3, 7, 100]) {
      const records = split('Line', text, size);
      expect(records.map((r) => [r.data.toString(), r.position])).toEqual([
        ['1,2', 1],
        ['3,4', 2],
        ['5,6', 4],
        ['7,8', 5],
      ]);
    }
  });

  it('keeps a whole object as one record for SplitType None', () => {
    const records = split('None', Buffer.from('a\nb\n'), 2);
    expect(records).toEqual([{ data: Buffer.from('a\nb\n'), position: 1 }]);
  });

  it('keeps RecordIO frames whole, multi-part records as one', () => {
    const first = recordIo('abcde');
    const multi = Buffer.concat([recordIo('xy', 1), recordIo('z', 2), recordIo('w', 3)]);
    const last = recordIo('1234');
    const bytes = Buffer.concat([first, multi, last]);
    for (const size of [1, 5, 64]) {
      const records = split('RecordIO', bytes, size);
      expect(records.map((r) => r.data)).toEqual([first, multi, last]);
      expect(records.map((r) => r.position)).toEqual([1, 2, 3]);
    }
  });

  it('refuses bytes that are not RecordIO, and an object cut inside a record', () => {
    expect(() => split('RecordIO', Buffer.from('not recordio at all'), 100)).toThrow(
      /offset 0 are not a RecordIO record/,
    );
    expect(() => split('RecordIO', recordIo('abcdef').subarray(0, 10), 100)).toThrow(
      /ends inside record 1/,
    );
  });

  it('keeps TFRecord frames whole', () => {
    const frames = [tfRecord('one'), tfRecord(''), tfRecord('three!')];
    const records = split('TFRecord', Buffer.concat(frames), 3);
    expect(records.map((r) => r.data)).toEqual(frames);
    expect(() => split('TFRecord', tfRecord('cut').subarray(0, 14), 100)).toThrow(/ends inside/);
  });

  it('names positions as lines or records', () => {
    expect(positionLabel('Line', 3)).toBe('line 3');
    expect(positionLabel('RecordIO', 3)).toBe('record 3');
    expect(positionLabel('None', 1)).toBe('');
  });
});
