import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { planDataProcessing } from './data-processing.js';
import { callModel } from './model-calls.js';
import { transformObject, type ObjectTransformRules } from './transform-object.js';

/**
 * A model server that answers each CSV line with its first field doubled, after a delay that
 * shrinks along the file (so later requests finish first), and refuses rows that say "bad".
 */
function startDoubler(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push(body);
      const lines = body.split('\n').filter(Boolean);
      if (lines.some((l) => l.includes('bad'))) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Record has a bad feature.');
        return;
      }
      const first = Number(lines[0]!.split(',')[0]);
      setTimeout(
        () => {
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.end(lines.map((l) => `${Number(l.split(',')[0]) * 2}\n`).join(''));
        },
        Math.max(0, 40 - first),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
      }),
    ),
  );
}

describe('transformObject', () => {
  let dir: string;
  let store: FileObjectStore;
  let model: Awaited<ReturnType<typeof startDoubler>>;

  const rules = (overrides: Partial<ObjectTransformRules> = {}): ObjectTransformRules => ({
    split: 'Line',
    compression: 'None',
    batching: { strategy: 'MultiRecord', maxPayloadBytes: 12, terminator: Buffer.from('\n') },
    concurrency: 4,
    assembleWith: 'Line',
    plan: planDataProcessing(undefined),
    inputFormat: 'csv',
    accept: 'text/csv',
    ...overrides,
  });

  async function put(key: string, body: Buffer | string): Promise<void> {
    await store.putObject({ bucket: 'data', key, body: Readable.from([Buffer.from(body)]) });
  }

  async function read(key: string): Promise<string> {
    const content = await store.getObject('data', key);
    const chunks: Buffer[] = [];
    for await (const chunk of content.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  }

  function run(key: string, objectRules: ObjectTransformRules) {
    return transformObject({
      store,
      source: { bucket: 'data', key },
      output: { bucket: 'data', key: `out/${key}.out` },
      rules: objectRules,
      call: (body) =>
        callModel(
          { url: model.url, outstanding: 0 },
          {
            job: 'test',
            headers: { 'content-type': 'text/csv' },
            timeoutMs: 5_000,
            maxRetries: 0,
            stopped: () => false,
          },
          body,
        ),
      scratchFile: join(dir, 'scratch.out'),
      signal: new AbortController().signal,
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-transform-'));
    store = new FileObjectStore(join(dir, 'objects'));
    await store.createBucket('data');
    model = await startDoubler();
  });
  afterAll(async () => {
    model.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one output line per input line, in input order, with requests overlapping', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},1`);
    await put('in/a.csv', `${rows.join('\n')}\n`);
    model.requests.length = 0;
    const { records } = await run('in/a.csv', rules());
    expect(records).toBe(30);
    expect(await read('out/in/a.csv.out')).toBe(rows.map((_, i) => `${i * 2}\n`).join(''));
    // Several records per request, never more than the payload limit.
    expect(model.requests.length).toBeLessThan(30);
    expect(model.requests.every((r) => r.length <= 12)).toBe(true);
  });

  it('reads gzip input and joins answers to their input rows', async () => {
    await put('in/b.csv.gz', gzipSync('1,x\n2,y\n3,z\n'));
    const joined = rules({
      compression: 'Gzip',
      plan: planDataProcessing({ JoinSource: 'Input' }),
    });
    expect((await run('in/b.csv.gz', joined)).records).toBe(3);
    expect(await read('out/in/b.csv.gz.out')).toBe('1,x,2\n2,y,4\n3,z,6\n');
  });

  it('names the object, line and the model status and message when a record is refused', async () => {
    await put('in/c.csv', '1,1\n2,2\n\n4,bad\n5,5\n');
    const error = await run('in/c.csv', rules()).catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe(
      's3://data/in/c.csv, line 4: the model answered 400: Record has a bad feature.',
    );
    // Nothing is written for an object that failed.
    await expect(store.headObject('data', 'out/in/c.csv.out')).rejects.toThrow();
  });

  it('fails a record larger than MaxPayloadInMB, naming its line', async () => {
    await put('in/d.csv', '1,1\n2,22222222222222\n');
    const error = await run('in/d.csv', rules()).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(
      /^s3:\/\/data\/in\/d.csv, line 2: the record is 17 bytes, more than MaxPayloadInMB/,
    );
  });

  it('says so when Gzip input is not gzip', async () => {
    await put('in/e.csv', '1,1\n');
    const error = await run('in/e.csv', rules({ compression: 'Gzip' })).catch(
      (e: unknown) => e as Error,
    );
    expect((error as Error).message).toMatch(/^s3:\/\/data\/in\/e.csv: it is not gzip data/);
  });
});
