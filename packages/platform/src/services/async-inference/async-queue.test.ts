import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { parseS3Uri } from '../../artifacts/s3-uri.js';
import { createTestContext } from '../testing/service-context.js';
import { AsyncQueue } from './async-queue.js';
import type { AsyncRequest } from './async-request.js';

describe('AsyncQueue (real SQLite and a file object store)', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let queue: AsyncQueue;
  let dir: string;
  let objects: FileObjectStore;
  let n = 0;

  function request(id: string): Omit<AsyncRequest, 'status'> {
    return {
      id,
      endpoint: 'shop',
      inferenceId: `inference-${id}`,
      inputLocation: 's3://in/payload.csv',
      outputLocation: `s3://out/results/${id}.out`,
      failureLocation: `s3://out/failures/${id}-error.out`,
      contentType: 'text/csv',
      receivedTime: ctx.clock.now(),
      requestTtlSeconds: 21_600,
      invocationTimeoutSeconds: 900,
      maxConcurrentPerInstance: 4,
      notify: {
        successTopic: 'arn:aws:sns:us-east-1:111122223333:ok',
        responseInSuccess: false,
        responseInError: false,
      },
    };
  }

  /** A queued request, a second later than the previous one. */
  async function accepted(): Promise<AsyncRequest> {
    ctx.clock.advance(1000);
    return queue.enqueue(request(`r${++n}`));
  }

  async function write(uri: string): Promise<void> {
    const { bucket, key } = parseS3Uri(uri);
    await objects.putObject({ bucket, key, body: Readable.from([Buffer.from('answer')]) });
  }

  const exists = async (uri: string) => {
    const { bucket, key } = parseS3Uri(uri);
    return objects.headObject(bucket, key).then(
      () => true,
      () => false,
    );
  };

  beforeEach(async () => {
    ctx = await createTestContext();
    queue = new AsyncQueue(ctx);
    dir = mkdtempSync(join(tmpdir(), 'plinth-async-queue-'));
    objects = new FileObjectStore(dir);
    await objects.createBucket('out');
  });
  afterEach(async () => {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves a request Queued -> Running -> Succeeded, and forgets it once notified', async () => {
    const queued = await accepted();
    expect(queued.status).toBe('Queued');
    expect((await queue.find(queued.id))?.status).toBe('Queued');
    const running = await queue.start(queued);
    expect((await queue.find(queued.id))?.status).toBe('Running');
    await queue.finish(running, {
      status: 'Succeeded',
      result: { contentType: 'application/json' },
    });
    const finished = await queue.find(queued.id);
    expect(finished).toMatchObject({
      status: 'Succeeded',
      result: { contentType: 'application/json' },
      receivedTime: queued.receivedTime,
    });
    await queue.forget(finished!);
    expect(await queue.find(queued.id)).toBeUndefined();
  });

  it('puts a request back to Queued when no instance could take it', async () => {
    const running = await queue.start(await accepted());
    await queue.release(running);
    expect((await queue.find(running.id))?.status).toBe('Queued');
  });

  it('after a restart, finishes Running requests whose object exists and requeues the others, oldest first', async () => {
    const waiting = await accepted();
    const answered = await queue.start(await accepted());
    const failed = await queue.start(await accepted());
    const interrupted = await queue.start(await accepted());
    const notifying = await queue.finish(await queue.start(await accepted()), {
      status: 'Succeeded',
      result: {},
    });
    await write(answered.outputLocation);
    await write(failed.failureLocation!);

    const found = await new AsyncQueue(ctx).reconcile(exists);

    expect(found.recovered.map((r) => r.id).sort()).toEqual([answered.id, failed.id].sort());
    expect(found.requeued).toBe(1);
    // The one whose model never answered runs again; the one that never started keeps its place.
    expect(found.queued.map((r) => r.id)).toEqual([waiting.id, interrupted.id]);
    expect(found.queued.every((r) => r.status === 'Queued')).toBe(true);
    // Finished ones are not run again; their notifications are (re)sent.
    expect(found.finished.map((r) => [r.id, r.status]).sort()).toEqual(
      [
        [answered.id, 'Succeeded'],
        [failed.id, 'Failed'],
        [notifying.id, 'Succeeded'],
      ].sort(),
    );
    expect(found.finished.find((r) => r.id === failed.id)?.result?.failureReason).toMatch(
      /before Plinth restarted/,
    );
  });

  it('reconciles to the same state when run twice (a second restart changes nothing)', async () => {
    const answered = await queue.start(await accepted());
    await write(answered.outputLocation);
    await queue.start(await accepted());
    const first = await queue.reconcile(exists);
    const second = await queue.reconcile(exists);
    expect(second).toEqual({ ...first, recovered: [], requeued: 0 });
  });
});
