import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type ContractPaths, contractPaths } from '../contract/paths.js';
import { DataFormatError } from '../data/index.js';
import { HyperparameterError, JobConfigError } from './errors.js';
import { type LogLine, logPrefix } from './log.js';

/** A training algorithm as its program runs it. */
export interface Trainer {
  /** As users know it, e.g. `k-means`, for internal-error messages. */
  algorithm: string;
  /** Trains on a contract root; throws on failure. */
  train(paths: ContractPaths, write: LogLine): Promise<void>;
}

// Failures whose message is written for the user; anything else is reported as internal.
const USER_ERRORS = [HyperparameterError, JobConfigError, DataFormatError, RangeError];

/**
 * Runs a training program on `PLINTH_ML_ROOT` (default `/opt/ml`), its hosts sharing
 * `PLINTH_SHARED_DIR` when Plinth gives one; on failure writes the
 * reason to `output/failure`, as SageMaker's built-ins do, and returns exit code 1.
 */
export async function runTrainProgram(
  env: NodeJS.ProcessEnv,
  write: LogLine,
  trainer: Trainer,
): Promise<number> {
  const paths = contractPaths(env.PLINTH_ML_ROOT ?? '/opt/ml', env.PLINTH_SHARED_DIR);
  try {
    await trainer.train(paths, write);
    return 0;
  } catch (error) {
    const known = USER_ERRORS.some((type) => error instanceof type);
    const reason = known
      ? (error as Error).message
      : `Internal error in ${trainer.algorithm} training: ${error instanceof Error ? error.message : String(error)}`;
    write(`${logPrefix(new Date(), 'ERROR')} ${reason}`);
    if (!known && error instanceof Error && error.stack) write(error.stack);
    await mkdir(dirname(paths.failure), { recursive: true });
    await writeFile(paths.failure, reason);
    return 1;
  }
}
