import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './processes.js';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Requests answered, whatever their status. */
  readonly requests: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly non2xx: number;
}

export interface LoadOptions {
  readonly url: string;
  /** Appended to `url`, e.g. `/endpoints/my-endpoint/invocations`; none by default. */
  readonly path?: string;
  /** An AWS JSON operation's `X-Amz-Target`; omitted for other protocols. */
  readonly target?: string;
  /** The body's Content-Type: AWS JSON 1.1 unless given. */
  readonly contentType?: string;
  readonly accept?: string;
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
}

const AWS_JSON = 'application/x-amz-json-1.1';

/**
 * Runs autocannon in its own process, POSTing the same body over and over, loopback only,
 * bounded in time. The body goes through a file: a command-line argument is limited to 128 KiB.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const bin = resolve(ROOT, 'node_modules/autocannon/autocannon.js');
  const dir = await mkdtemp(join(tmpdir(), 'plinth-bench-load-'));
  const bodyFile = join(dir, 'body');
  await writeFile(bodyFile, options.body);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? AWS_JSON };
  if (options.target !== undefined) headers['x-amz-target'] = options.target;
  if (options.accept !== undefined) headers.accept = options.accept;
  const args = [
    bin,
    '--json',
    '-c',
    String(options.connections),
    '-d',
    String(options.seconds),
    '-m',
    'POST',
    ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]),
    '-i',
    bodyFile,
    options.url + (options.path ?? ''),
  ];
  try {
    const output = await new Promise<string>((resolveOut, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('exit', (code) =>
        code === 0 ? resolveOut(text) : reject(new Error(`autocannon exited with ${code}`)),
      );
    });
    const result = JSON.parse(output) as {
      requests: { average: number; total: number };
      latency: { p50: number; p99: number };
      errors: number;
      non2xx: number;
    };
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: result.requests.total,
      errors: result.errors,
      non2xx: result.non2xx,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
