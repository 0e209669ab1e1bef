import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from './processes.js';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly target: string;
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
}

/** Runs autocannon in its own process against one AWS JSON operation, loopback only, bounded in time. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const bin = resolve(ROOT, 'node_modules/autocannon/autocannon.js');
  const args = [
    bin,
    '--json',
    '-c',
    String(options.connections),
    '-d',
    String(options.seconds),
    '-m',
    'POST',
    '-H',
    `x-amz-target=${options.target}`,
    '-H',
    'content-type=application/x-amz-json-1.1',
    '-b',
    options.body,
    options.url,
  ];
  const output = await new Promise<string>((resolveOut, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolveOut(text) : reject(new Error(`autocannon exited with ${code}`)),
    );
  });
  const result = JSON.parse(output) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}
