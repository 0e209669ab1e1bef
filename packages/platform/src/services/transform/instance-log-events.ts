import { open } from 'node:fs/promises';
import type { Clock } from '../../core/clock.js';
import { LogEventWriter } from '../../compute/log-events.js';

/** How often the model servers' log files are read for new lines. */
const POLL_MS = 250;

/**
 * Copies the lines a transform instance's model servers write to their log files into the
 * instance's log events (`<jobDir>/<host>.events.jsonl`), so the CloudWatch Logs API serves them
 * as the stream `<job>/<host>-<epoch>`; the job's own lines (which object was done) go there too.
 */
export class InstanceLogEvents {
  readonly #writer: LogEventWriter;
  readonly #offsets = new Map<string, number>();
  readonly #partial = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> = Promise.resolve();

  constructor(
    jobDir: string,
    host: string,
    private readonly clock: Clock,
  ) {
    this.#writer = new LogEventWriter(jobDir, host);
  }

  /** Starts following these log files. */
  follow(files: readonly string[]): void {
    for (const file of files) this.#offsets.set(file, 0);
    this.#timer = setInterval(() => {
      this.#reading = this.#reading.then(() => this.#readAll());
    }, POLL_MS);
  }

  /** A line of the job's own, in the instance's log. */
  append(message: string): void {
    this.#writer.append({ timestamp: this.clock.now().getTime(), message });
  }

  /** Reads what is left and closes the events file. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#reading;
    await this.#readAll();
    for (const rest of this.#partial.values()) if (rest) this.append(rest);
    this.#partial.clear();
    await this.#writer.close();
  }

  async #readAll(): Promise<void> {
    for (const [file, offset] of this.#offsets) {
      const handle = await open(file, 'r').catch(() => undefined);
      if (!handle) continue;
      try {
        const { size } = await handle.stat();
        if (size <= offset) continue;
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        this.#offsets.set(file, offset + bytesRead);
        const text =
          (this.#partial.get(file) ?? '') + buffer.subarray(0, bytesRead).toString('utf8');
        const lines = text.split('\n');
        this.#partial.set(file, lines.pop() ?? '');
        for (const line of lines) this.append(line);
      } finally {
        await handle.close();
      }
    }
  }
}
