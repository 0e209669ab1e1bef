import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RECORDIO_MAGIC, readRecordIO, writeRecordIO } from './recordio.js';

async function collect(input: Parameters<typeof readRecordIO>[0]): Promise<string[]> {
  const out: string[] = [];
  for await (const record of readRecordIO(input, { source: 'train.rec' }))
    out.push(Buffer.from(record).toString('latin1'));
  return out;
}

/** One record part with an explicit continuation flag, as dmlc's writer emits them. */
function part(cflag: number, payload: string): Buffer {
  const body = Buffer.from(payload, 'latin1');
  const header = Buffer.alloc(8);
  header.writeUInt32LE(RECORDIO_MAGIC, 0);
  header.writeUInt32LE(((cflag << 29) | body.length) >>> 0, 4);
  return Buffer.concat([header, body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
}

describe('writeRecordIO', () => {
  it('writes magic, length and zero padding to 4 bytes, as the SDK does', () => {
    const bytes = writeRecordIO([Buffer.from('hello')]);
    // prettier-ignore
    expect([...bytes]).toEqual([
      0x0a, 0x23, 0xd7, 0xce, // magic 0xced7230a, little-endian
      0x05, 0x00, 0x00, 0x00, // length 5, continuation flag 0
      0x68, 0x65, 0x6c, 0x6c, 0x6f, // "hello"
      0x00, 0x00, 0x00, // padding to 16 bytes
    ]);
  });

  it('adds no padding to payloads already a multiple of 4, and frames empty payloads', () => {
    expect(writeRecordIO([Buffer.from('abcd')]).length).toBe(12);
    expect(writeRecordIO([Buffer.alloc(0)]).length).toBe(8);
  });
});

describe('readRecordIO', () => {
  it('round-trips several records of every padding length', async () => {
    const payloads = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'x'.repeat(1000)];
    const file = writeRecordIO(payloads.map((p) => Buffer.from(p, 'latin1')));
    expect(await collect(file)).toEqual(payloads);
  });

  it('reads a stream delivering one byte at a time', async () => {
    const payloads = ['first', 'second record', 'third'];
    const file = writeRecordIO(payloads.map((p) => Buffer.from(p)));
    const bytes = [...file].map((b) => Buffer.from([b]));
    expect(await collect(Readable.from(bytes))).toEqual(payloads);
  });

  it('joins multi-part records, restoring the magic the writer split them at', async () => {
    // dmlc-core drops the 4 magic bytes at each split and its reader puts them back.
    const magic = Buffer.from([0x0a, 0x23, 0xd7, 0xce]).toString('latin1');
    const file = Buffer.concat([
      part(0, 'solo'),
      part(1, 'abcd'),
      part(2, 'efgh'),
      part(3, 'ij'),
      part(0, 'next'),
    ]);
    expect(await collect(file)).toEqual(['solo', `abcd${magic}efgh${magic}ij`, 'next']);
  });

  it('names the byte offset of a bad magic number', async () => {
    const file = Buffer.concat([writeRecordIO([Buffer.from('ok')]), Buffer.from('garbage!')]);
    await expect(collect(file)).rejects.toThrow(
      /train\.rec: not valid RecordIO: expected the magic number 0xced7230a at byte offset 12 but found 0x62726167/,
    );
  });

  it('rejects CSV given as RecordIO at offset 0', async () => {
    await expect(collect(Buffer.from('1,2,3\n4,5,6\n'))).rejects.toThrow('at byte offset 0');
  });

  it('rejects truncated files and broken continuation sequences', async () => {
    const file = writeRecordIO([Buffer.from('complete'), Buffer.from('cut short')]);
    await expect(collect(file.subarray(0, file.length - 4))).rejects.toThrow(
      'the record at byte offset 16 is incomplete',
    );
    await expect(collect(Buffer.concat([part(1, 'abcd')]))).rejects.toThrow('has no final part');
    await expect(collect(part(3, 'abcd'))).rejects.toThrow('continuation flag 3 at byte offset 0');
    await expect(collect(Buffer.concat([part(1, 'abcd'), part(0, 'x')]))).rejects.toThrow(
      'continuation flag 0 at byte offset 12 inside the record that starts at byte offset 0',
    );
  });
});
