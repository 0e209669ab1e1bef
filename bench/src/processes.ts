import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root (this file runs compiled, from bench/dist/src). */
export const ROOT = resolve(import.meta.dirname, '../../..');

export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  readonly readyMs: number;
  stop(): Promise<void>;
}

/**
 * Spawns a server process and resolves with its URL, taken from the first stdout line that
 * `pickUrl` recognises, and the time from spawn to that line.
 */
export async function spawnServer(
  args: readonly string[],
  pickUrl: (line: string) => string | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const found = pickUrl(line);
      if (found) resolveUrl(found);
    });
  });
  const readyMs = performance.now() - started;
  return {
    url,
    child,
    readyMs,
    stop: async () => {
      // A child that died of a signal (e.g. a benchmark's SIGKILL) has no exit code.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The URL in Plinth's "ready" log line. */
export function plinthReadyUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === 'Plinth is ready' ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
