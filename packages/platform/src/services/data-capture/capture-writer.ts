import { Readable } from 'node:stream';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import { captureLine, type CapturedInvocation } from './capture-record.js';
import type { CaptureSettings } from './capture-settings.js';

/** How often buffered captures are written out (SageMaker writes every few minutes). */
const DEFAULT_FLUSH_MS = 5_000;

/** Lines waiting for one capture file: same destination, endpoint, variant and hour. */
interface Batch {
  readonly bucket: string;
  readonly prefix: string;
  readonly lines: string[];
}

export interface CaptureWriterOptions {
  readonly objectStore: ObjectStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly flushIntervalMs?: number;
  /** Draws in [0, 1) deciding which invocations are sampled. */
  readonly random?: () => number;
}

/**
 * Data capture: samples an endpoint's invocations at its configuration's percentage and writes
 * them, a JSON line each, to `<DestinationS3Uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/` files as
 * SageMaker does, buffering a few seconds so that busy endpoints write few objects.
 */
export class CaptureWriter {
  readonly #batches = new Map<string, Batch>();
  readonly #timer: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: CaptureWriterOptions) {
    this.#timer = setInterval(
      () => void this.flush(),
      options.flushIntervalMs ?? DEFAULT_FLUSH_MS,
    ).unref();
  }

  /** Keeps the invocation for the next file if it is sampled. */
  record(
    where: { endpoint: string; variant: string; settings: CaptureSettings },
    invocation: CapturedInvocation,
  ): void {
    const random = this.options.random ?? Math.random;
    if (random() * 100 >= where.settings.samplingPercentage) return;
    const { bucket, key } = where.settings.destination;
    const hour = invocation.inferenceTime.toISOString().slice(0, 13); // 2026-11-23T19
    const [date, hh] = hour.split('T') as [string, string];
    const prefix = [
      key.replace(/\/+$/, ''),
      where.endpoint,
      where.variant,
      date.replaceAll('-', '/'),
      hh,
    ]
      .filter(Boolean)
      .join('/');
    const id = `${bucket}/${prefix}`;
    let batch = this.#batches.get(id);
    if (!batch) this.#batches.set(id, (batch = { bucket, prefix, lines: [] }));
    batch.lines.push(captureLine(where.settings, invocation));
  }

  /** Writes every buffered line out; resolves when they are stored. */
  flush(): Promise<void> {
    const batches = [...this.#batches.values()];
    this.#batches.clear();
    this.#flushing = this.#flushing.then(() => this.#write(batches));
    return this.#flushing;
  }

  /** Stops the timer and writes what is buffered. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #write(batches: readonly Batch[]): Promise<void> {
    for (const batch of batches) {
      const now = this.options.clock.now();
      const stamp = `${pad(now.getUTCMinutes())}-${pad(now.getUTCSeconds())}-${String(now.getUTCMilliseconds()).padStart(3, '0')}`;
      const key = `${batch.prefix}/${stamp}-${this.options.ids.uuid()}.jsonl`;
      const body = Buffer.from(batch.lines.join('\n') + '\n');
      try {
        await this.options.objectStore.putObject({
          bucket: batch.bucket,
          key,
          body: Readable.from([body]),
          contentLength: body.length,
          contentType: 'application/jsonlines',
        });
      } catch (error) {
        this.options.logger.error('Could not write captured invocations', {
          bucket: batch.bucket,
          key,
          lines: batch.lines.length,
          err: error,
        });
      }
    }
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
