import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { silentLogger } from '../../logging/logger.js';
import { CaptureWriter } from './capture-writer.js';
import { captureSettings } from './capture-settings.js';

let dir: string;
let store: FileObjectStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plinth-capture-'));
  store = new FileObjectStore(join(dir, 'store'));
  await store.createBucket('monitor');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function objects(): Promise<{ key: string; lines: Record<string, unknown>[] }[]> {
  const page = await store.listObjects('monitor', {});
  return Promise.all(
    page.objects.map(async (o) => {
      const content = await store.getObject('monitor', o.key);
      const chunks: Buffer[] = [];
      for await (const chunk of content.body) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8').trim();
      return {
        key: o.key,
        lines: text.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>),
      };
    }),
  );
}

describe('CaptureWriter', () => {
  it("writes sampled invocations as SageMaker's capture files, one JSON line each", async () => {
    const draws = [0.1, 0.9, 0.2];
    const writer = new CaptureWriter({
      objectStore: store,
      clock: { now: () => new Date('2026-11-23T19:04:05.006Z') },
      ids: { uuid: () => 'u-1' },
      logger: silentLogger,
      random: () => draws.shift() ?? 0,
    });
    const settings = captureSettings({
      InitialSamplingPercentage: 50,
      DestinationS3Uri: 's3://monitor/capture/',
      CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
    })!;
    const at = new Date('2026-11-23T19:04:03.250Z');
    for (const [i, body] of ['1,2', '3,4', '5,6'].entries()) {
      writer.record(
        { endpoint: 'ep', variant: 'AllTraffic', settings },
        {
          eventId: `e-${i}`,
          ...(i === 2 ? { inferenceId: 'mine' } : {}),
          inferenceTime: at,
          input: { contentType: 'text/csv', body: Buffer.from(body) },
          output: { contentType: 'application/json', body: Buffer.from('{"p":1}') },
        },
      );
    }
    await writer.close();
    const written = await objects();
    expect(written.map((o) => o.key)).toEqual([
      'capture/ep/AllTraffic/2026/11/23/19/04-05-006-u-1.jsonl',
    ]);
    // 0.9 * 100 >= 50: the second invocation is not sampled.
    expect(written[0]!.lines).toEqual([
      {
        captureData: {
          endpointInput: {
            observedContentType: 'text/csv',
            mode: 'INPUT',
            data: '1,2',
            encoding: 'CSV',
          },
          endpointOutput: {
            observedContentType: 'application/json',
            mode: 'OUTPUT',
            data: Buffer.from('{"p":1}').toString('base64'),
            encoding: 'BASE64',
          },
        },
        eventMetadata: { eventId: 'e-0', inferenceTime: '2026-11-23T19:04:03Z' },
        eventVersion: '0',
      },
      expect.objectContaining({
        eventMetadata: {
          eventId: 'e-2',
          inferenceId: 'mine',
          inferenceTime: '2026-11-23T19:04:03Z',
        },
      }),
    ]);
  });

  it('captures nothing when capture is disabled, and only the side asked for', () => {
    const base = {
      InitialSamplingPercentage: 100,
      DestinationS3Uri: 's3://monitor',
      CaptureOptions: [{ CaptureMode: 'Input' as const }],
    };
    expect(captureSettings({ ...base, EnableCapture: false })).toBeUndefined();
    expect(captureSettings(base)).toMatchObject({ input: true, output: false });
  });
});
