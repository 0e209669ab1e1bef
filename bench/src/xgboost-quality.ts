import { DEBIAN_PYTHON } from './python.js';
import { runTimed } from './timed-run.js';

/** A binary classifier's figures on the held-out rows. */
export interface XGBoostQuality {
  readonly auc: number;
  /** Fraction right, predicting 1 when the probability is above 0.5. */
  readonly accuracy: number;
  readonly logloss: number;
}

/** A model file the xgboost library refused to load, and the first line of its message. */
export interface Unloadable {
  readonly error: string;
}

/** Held-out figures of every model file, in order, and the held-out set's size. */
export interface HeldOut {
  readonly rows: number;
  readonly positives: number;
  readonly models: readonly (XGBoostQuality | Unloadable)[];
}

/**
 * Scores xgboost model files (xgboost's JSON format: Plinth's `model/xgboost-model` and the
 * anchor's) on a held-out CSV, label first: the python xgboost library loads each model and
 * predicts, scikit-learn computes the AUC, so both sides go through the same code (and Plinth's
 * model file is shown to load in xgboost itself).
 */
export async function xgboostHeldOut(
  test: string,
  models: readonly string[],
  threads: number,
): Promise<HeldOut> {
  const args = ['bench/python/xgboost_auc.py', '--test', test, '--threads', String(threads)];
  for (const model of models) args.push('--model', model);
  const pinned = String(threads);
  const { stdout } = await runTimed(DEBIAN_PYTHON, args, {
    OMP_NUM_THREADS: pinned,
    OPENBLAS_NUM_THREADS: pinned,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as HeldOut;
}
