import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './raw-http.js';
import { startS3TestServer, type S3TestServer } from './s3-test-server.js';

let server: S3TestServer;

beforeAll(async () => {
  server = await startS3TestServer();
  await server.store.createBucket('proto');
});

afterAll(async () => {
  await server.close();
});

const send = (request: Parameters<typeof rawRequest>[1]): ReturnType<typeof rawRequest> =>
  rawRequest(server.url, request);
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const crc32Base64 = (data: Buffer): string =>
  Buffer.from(crc32(data).toString(16).padStart(8, '0'), 'hex').toString('base64');
const stored = async (key: string): Promise<Buffer | undefined> => {
  try {
    const got = await server.store.getObject('proto', key);
    const chunks: Buffer[] = [];
    for await (const chunk of got.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch {
    return undefined;
  }
};

/** Frames `data` as aws-chunked: `chunkSize` chunks, optional signatures, then trailers. */
function awsChunked(
  data: Buffer,
  options: { chunkSize: number; signed?: boolean; trailers?: string[] },
): Buffer {
  const sig = options.signed ? `;chunk-signature=${'0'.repeat(64)}` : '';
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; at += options.chunkSize) {
    const chunk = data.subarray(at, at + options.chunkSize);
    pieces.push(Buffer.from(`${chunk.length.toString(16)}${sig}\r\n`), chunk, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`0${sig}\r\n`));
  for (const trailer of options.trailers ?? []) pieces.push(Buffer.from(`${trailer}\r\n`));
  pieces.push(Buffer.from('\r\n'));
  return Buffer.concat(pieces);
}

/** Splits a buffer into pieces of awkward sizes, so framing straddles TCP writes. */
function shards(buffer: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, size = 1; at < buffer.length; at += size, size = ((size * 7) % 9000) + 1)
    out.push(buffer.subarray(at, at + size));
  return out;
}

describe('S3 API: request bodies', () => {
  it('decodes signed aws-chunked bodies split at any byte', async () => {
    const data = randomBytes(100_000);
    const body = awsChunked(data, { chunkSize: 8192, signed: true });
    const res = await send({
      method: 'PUT',
      path: '/proto/signed-chunks',
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'x-amz-decoded-content-length': String(data.length),
        'content-length': String(body.length),
      },
      body: shards(body),
    });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
    expect((await stored('signed-chunks'))?.equals(data)).toBe(true);
  });

  it('verifies and keeps a trailing checksum, and refuses a wrong one without storing', async () => {
    const data = randomBytes(40_000);
    const headers = {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': String(data.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };
    const good = await send({
      method: 'PUT',
      path: '/proto/trailer-ok',
      headers,
      body: [
        awsChunked(data, {
          chunkSize: 16_384,
          trailers: [`x-amz-checksum-crc32:${crc32Base64(data)}`],
        }),
      ],
    });
    expect(good.status).toBe(200);
    expect(good.headers['x-amz-checksum-crc32']).toBe(crc32Base64(data));
    const head = await send({
      method: 'HEAD',
      path: '/proto/trailer-ok',
      headers: { 'x-amz-checksum-mode': 'ENABLED' },
    });
    expect(head.headers['x-amz-checksum-crc32']).toBe(crc32Base64(data));
    const bad = await send({
      method: 'PUT',
      path: '/proto/trailer-bad',
      headers,
      body: [awsChunked(data, { chunkSize: 16_384, trailers: ['x-amz-checksum-crc32:AAAAAA=='] })],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>BadDigest</Code>');
    expect(await stored('trailer-bad')).toBeUndefined();
  });

  it('refuses truncated or malformed aws-chunked bodies', async () => {
    const data = randomBytes(1000);
    const framed = awsChunked(data, { chunkSize: 500 });
    const headers = {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    };
    const short = await send({
      method: 'PUT',
      path: '/proto/short',
      headers: { ...headers, 'x-amz-decoded-content-length': '2000' },
      body: [framed],
    });
    expect([short.status, short.body.match(/<Code>(\w+)/)?.[1]]).toEqual([400, 'IncompleteBody']);
    const garbage = await send({
      method: 'PUT',
      path: '/proto/garbage',
      headers,
      body: ['zz\r\nnot a chunk'],
    });
    expect([garbage.status, garbage.body.match(/<Code>(\w+)/)?.[1]]).toEqual([
      400,
      'InvalidRequest',
    ]);
    expect(await stored('short')).toBeUndefined();
    expect(await stored('garbage')).toBeUndefined();
  });

  it('checks x-amz-content-sha256 and Content-MD5 against the bytes received', async () => {
    const ok = await send({
      method: 'PUT',
      path: '/proto/sha-ok',
      headers: { 'x-amz-content-sha256': sha256('right') },
      body: ['right'],
    });
    expect(ok.status).toBe(200);
    const bad = await send({
      method: 'PUT',
      path: '/proto/sha-bad',
      headers: { 'x-amz-content-sha256': sha256('right') },
      body: ['wrong'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect(bad.body).toContain(
      `<ClientComputedContentSHA256>${sha256('right')}</ClientComputedContentSHA256>`,
    );
    expect(await stored('sha-bad')).toBeUndefined();
    const md5 = createHash('md5').update('right').digest('base64');
    const badMd5 = await send({
      method: 'PUT',
      path: '/proto/md5-bad',
      headers: { 'content-md5': md5 },
      body: ['wrong'],
    });
    expect(badMd5.body).toContain('<Code>BadDigest</Code>');
    const invalidMd5 = await send({
      method: 'PUT',
      path: '/proto/md5-bad',
      headers: { 'content-md5': 'xx' },
      body: ['wrong'],
    });
    expect(invalidMd5.body).toContain('<Code>InvalidDigest</Code>');
    expect(await stored('md5-bad')).toBeUndefined();
  });

  it('waits for the body after answering Expect: 100-continue', async () => {
    const res = await send({
      method: 'PUT',
      path: '/proto/continued',
      headers: { expect: '100-continue', 'content-length': '9' },
      body: ['continued'],
    });
    expect(res).toMatchObject({ status: 200, continued: true });
    expect((await stored('continued'))?.toString()).toBe('continued');
  });

  it('refuses a body over 5 GiB before reading it', async () => {
    const res = await send({
      method: 'PUT',
      path: '/proto/huge',
      headers: { 'content-length': String(5 * 1024 ** 3 + 1) },
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>EntityTooLarge</Code>');
  });
});

describe('S3 API: requests and errors', () => {
  it('answers errors as S3 does, with a request id, and HEAD errors without a body', async () => {
    const res = await send({ method: 'GET', path: '/proto/missing%20key' });
    const id = String(res.headers['x-amz-request-id']);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>` +
        `<BucketName>proto</BucketName><Key>missing key</Key><Resource>/proto/missing key</Resource><RequestId>${id}</RequestId></Error>`,
    );
    const head = await send({ method: 'HEAD', path: '/proto/missing' });
    expect([head.status, head.body, typeof head.headers['x-amz-request-id']]).toEqual([
      404,
      '',
      'string',
    ]);
    const long = await send({ method: 'PUT', path: `/proto/${'k'.repeat(1025)}`, body: ['x'] });
    expect([long.status, long.body.match(/<Code>(\w+)/)?.[1]]).toEqual([400, 'KeyTooLongError']);
    const patch = await send({ method: 'PATCH', path: '/proto/k' });
    expect([patch.status, patch.body.match(/<Code>(\w+)/)?.[1]]).toEqual([405, 'MethodNotAllowed']);
    const xml = await send({
      method: 'POST',
      path: '/proto?delete',
      body: ['<Delete><Object><Key>a</Key></Objec></Delete>'],
    });
    expect([xml.status, xml.body.match(/<Code>(\w+)/)?.[1]]).toEqual([400, 'MalformedXML']);
  });

  it('refuses sub-resources it does not implement rather than doing something else', async () => {
    for (const [method, path] of [
      ['GET', '/proto?policy'],
      ['GET', '/proto?versions'],
      ['GET', '/proto?uploads'],
      ['PUT', '/proto?versioning'],
      ['GET', '/proto/k?tagging'],
      ['PUT', '/proto/k?acl'],
      ['DELETE', '/proto?cors'],
    ] as const) {
      const res = await send({ method, path, body: method === 'PUT' ? ['<x/>'] : [] });
      expect([path, res.status, res.body.match(/<Code>(\w+)/)?.[1]]).toEqual([
        path,
        501,
        'NotImplemented',
      ]);
    }
    expect(await stored('k')).toBeUndefined();
  });

  it('takes keys from the raw path: dot segments stay keys inside the bucket', async () => {
    for (const path of ['/proto/../escaped', '/proto/%2e%2e/%2E%2E/x', '/proto/a/./b']) {
      expect((await send({ method: 'PUT', path, body: [path] })).status).toBe(200);
    }
    expect((await stored('../escaped'))?.toString()).toBe('/proto/../escaped');
    expect((await stored('../../x'))?.toString()).toBe('/proto/%2e%2e/%2E%2E/x');
    expect((await stored('a/./b'))?.toString()).toBe('/proto/a/./b');
    expect((await readdir(server.root)).sort()).toEqual(['.buckets', '.meta', '.tmp', 'proto']);
    const list = await send({ method: 'GET', path: '/proto?list-type=2&prefix=..' });
    expect(list.body).toContain('<Key>../escaped</Key>');
  });
});
