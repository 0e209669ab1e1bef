import { spawn } from 'node:child_process';
import { ROOT } from './processes.js';

/** A finished process: its wall time from spawn to exit, and what it printed. */
export interface TimedRun {
  readonly ms: number;
  readonly stdout: string;
}

/**
 * Runs a command from the repository root with extra environment variables and measures its
 * wall time, spawn to exit. Rejects with the end of its output when it exits non-zero.
 */
export async function runTimed(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<TimedRun> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolveCode, reject) => {
    child.once('error', reject);
    child.once('close', resolveCode);
  });
  const ms = performance.now() - started;
  if (code !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited with ${code}:\n${(stdout + stderr).slice(-2000)}`,
    );
  return { ms, stdout };
}
