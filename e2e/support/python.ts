import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Debian's interpreter, where CI installs the reference libraries (boto3, scikit-learn,
 * xgboost); another python3 may come first on PATH without them.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Whether Debian's Python can import every module named (CI installs them; a laptop may not). */
export function hasPython(...modules: string[]): boolean {
  return (
    existsSync(DEBIAN_PYTHON) &&
    spawnSync(DEBIAN_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')]).status === 0
  );
}

/**
 * Runs a Python script with Debian's interpreter, `input` on its stdin, and returns what it
 * printed; throws with its stderr when it fails.
 */
export function runPython(
  script: string,
  options: { args?: readonly string[]; input?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const result = spawnSync(DEBIAN_PYTHON, ['-c', script, ...(options.args ?? [])], {
    encoding: 'utf8',
    input: options.input,
    env: { ...process.env, OMP_NUM_THREADS: '1', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (result.status !== 0)
    throw new Error(`python exited with ${result.status}: ${result.stderr || result.error}`);
  return result.stdout;
}
