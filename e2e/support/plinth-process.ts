import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The installed `plinth` command (it runs the build `npm test` makes with tsc -b first). */
export const PLINTH_BIN = resolve(import.meta.dirname, '../../packages/cli/bin/plinth.js');

export interface PlinthProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Milliseconds from spawn to the "ready" log line. */
  readonly startupMs: number;
  /** Every log line the server wrote so far. */
  readonly logs: string[];
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly args?: readonly string[];
  /** Reuse a data directory (to test restarts); a fresh temporary one by default. */
  readonly dataDir?: string;
}

/**
 * Starts `plinth serve` as a real child process on a free port with its own data directory
 * and resolves once it logs that it is ready.
 */
export async function startPlinthProcess(options: StartOptions = {}): Promise<PlinthProcess> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'plinth-e2e-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [PLINTH_BIN, 'serve', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])],
    {
      // Tests run several jobs at once on small machines: room for them unless a test says otherwise.
      env: { ...process.env, PLINTH_LOG_LEVEL: 'info', PLINTH_CPUS: '64', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`plinth serve did not become ready:\n${logs.join('\n')}`)),
      20_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`plinth serve exited with ${code}:\n${logs.join('\n')}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      const entry = parseJson(line);
      if (entry?.msg === 'Plinth is ready' && typeof entry.url === 'string') {
        clearTimeout(timer);
        resolveUrl(entry.url);
      }
    });
  });
  const startupMs = performance.now() - started;
  return {
    url,
    dataDir,
    child,
    startupMs,
    logs,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
