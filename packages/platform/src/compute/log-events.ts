import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One line a job's program wrote, with when it was written (CloudWatch's log event). */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

const EVENTS_SUFFIX = '.events.jsonl';

/**
 * Appends a host's log lines with their times to `<jobDir>/<host>.events.jsonl`, beside the
 * plain log the executor writes: the plain log is for reading, this one serves log APIs.
 */
export class LogEventWriter {
  readonly #stream: WriteStream;

  constructor(jobDir: string, host: string) {
    this.#stream = createWriteStream(join(jobDir, `${host}${EVENTS_SUFFIX}`), { flags: 'a' });
  }

  append(event: LogEvent): void {
    this.#stream.write(`${JSON.stringify(event)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#stream.end(resolve));
  }
}

/** The hosts that have written events in a job's directory, in name order. */
export async function listEventHosts(jobDir: string): Promise<string[]> {
  const files = await readdir(jobDir).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith(EVENTS_SUFFIX))
    .map((f) => f.slice(0, -EVENTS_SUFFIX.length))
    .sort();
}

/** Every event a host has written so far (a partly written last line is left for later). */
export async function readEvents(jobDir: string, host: string): Promise<LogEvent[]> {
  const text = await readFile(join(jobDir, `${host}${EVENTS_SUFFIX}`), 'utf8').catch(() => '');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEvent);
}
