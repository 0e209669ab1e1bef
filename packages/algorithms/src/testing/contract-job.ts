// Helpers for tests that run the algorithm programs as the platform does: as child processes
// on a contract root built in a temporary directory.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The algorithms package directory. */
export const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The compiled entry file of a program, e.g. `kmeans-train`. */
export function programPath(name: string): string {
  return join(PACKAGE, 'dist/programs', `${name}.js`);
}

const BUILD_LOCK = join(PACKAGE, 'dist/.build-lock');
// A build holding the lock longer than this has died; its lock is taken over.
const STALE_LOCK_MS = 120_000;

/**
 * Compiles the package so `dist` matches `src`; the programs run from dist, as the platform
 * launches them. Test files run in parallel, so builds take turns: a program must never be
 * started while another file's build is rewriting it.
 */
export function buildPrograms(): void {
  mkdirSync(dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      const age = Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    execFileSync(process.execPath, [
      join(PACKAGE, '../../node_modules/typescript/bin/tsc'),
      '-b',
      PACKAGE,
    ]);
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** A training job's hyperparameters and channel files. */
export interface ContractJob {
  hyperparameters: Record<string, string>;
  channels: Record<string, { contentType: string; file: string; body: string | Buffer }>;
}

/** Writes a contract root (`input/config/*.json`, `input/data/<channel>/<file>`) for a job. */
export async function contractRoot(job: ContractJob): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'plinth-job-'));
  await mkdir(join(root, 'input/config'), { recursive: true });
  await writeFile(
    join(root, 'input/config/hyperparameters.json'),
    JSON.stringify(job.hyperparameters),
  );
  const dataConfig: Record<string, object> = {};
  for (const [name, channel] of Object.entries(job.channels)) {
    dataConfig[name] = { ContentType: channel.contentType, TrainingInputMode: 'File' };
    await mkdir(join(root, 'input/data', name), { recursive: true });
    await writeFile(join(root, 'input/data', name, channel.file), channel.body);
  }
  await writeFile(join(root, 'input/config/inputdataconfig.json'), JSON.stringify(dataConfig));
  return root;
}

/** Runs a training program on a contract root; resolves with its exit code and stdout. */
export function runTrainer(
  program: string,
  root: string,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [programPath(program)], {
      env: { ...process.env, PLINTH_ML_ROOT: root },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

/** Starts a serve program on a free port; resolves with the child and its base URL. */
export async function startServer(
  program: string,
  modelDir: string,
): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [programPath(program)], {
    env: { ...process.env, SM_MODEL_DIR: modelDir, SAGEMAKER_BIND_TO_PORT: '0' },
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on port (\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`${program} exited with ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Headerless CSV, one row per line. */
export const csv = (rows: readonly (readonly number[])[]): string =>
  rows.map((r) => `${r.join(',')}\n`).join('');
