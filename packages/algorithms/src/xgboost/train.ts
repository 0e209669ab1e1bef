import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readJobInput } from '../common/job-config.js';
import { type LogLine, createLogger } from '../common/log.js';
import { runTrainProgram as runTrainer } from '../common/train-program.js';
import type { ContractPaths } from '../contract/paths.js';
import { boost } from './boost.js';
import { parseHyperparameters } from './hyperparameters.js';
import { MODEL_FILE, stringifyModelJson } from './model-json.js';
import { modelJson } from './model-writer.js';
import { checkLabels, objectiveSetup } from './objective-setup.js';
import { readChannelData } from './training-data.js';

/** Below this many rows per thread, more threads cost more than they save. */
const ROWS_PER_THREAD = 16384;

/**
 * Trains SageMaker's XGBoost (1.7-1, algorithm mode) on a contract root: reads `train` and the
 * optional `validation` channel, boosts trees with the `hist` method, prints each round's
 * metrics as xgboost does, and writes `model/xgboost-model` in xgboost's JSON model format.
 */
export async function trainXGBoost(paths: ContractPaths, write: LogLine): Promise<void> {
  const log = createLogger(write);
  const job = await readJobInput(paths, {
    algorithm: 'XGBoost',
    optionalChannels: ['validation'],
    requiredHyperparameters: 'num_round',
  });
  const hp = parseHyperparameters(job.hyperparameters);
  log(`Hyperparameters: ${JSON.stringify(hp)}`);
  if (hp.treeMethod !== 'hist')
    log(`tree_method '${hp.treeMethod}' runs as 'hist' (Plinth's only tree method).`);
  if (job.hosts.length > 1)
    log(
      `${job.host} of ${job.hosts.length} hosts trains on its own data only: XGBoost does not combine hosts yet, and the job's model is ${job.hosts[0]}'s.`,
    );
  const train = await readChannelData(job.train, { csvWeights: hp.csvWeights, readAhead: true });
  checkLabels(hp, train.labels, 'train');
  log(`Train matrix has ${train.rows} rows and ${train.dim} columns`);
  const channel = job.channels.validation;
  const validation =
    channel &&
    (await readChannelData(channel, {
      csvWeights: hp.csvWeights,
      featureDim: train.dim,
      readAhead: true,
    }));
  if (validation) {
    checkLabels(hp, validation.labels, 'validation');
    log(`Validation matrix has ${validation.rows} rows`);
  } else if (hp.earlyStoppingRounds !== undefined)
    log('early_stopping_rounds has no effect without a validation channel.');
  const threads = Math.max(
    1,
    Math.min(hp.nthread ?? availableParallelism(), Math.ceil(train.rows / ROWS_PER_THREAD)),
  );
  const setup = objectiveSetup(hp);
  const started = Date.now();
  const result = await boost({
    hp,
    setup,
    train,
    validation,
    threads,
    print: (line) => write(line),
    log,
  });
  log(
    `Trained ${result.trees.length} trees in ${((Date.now() - started) / 1000).toFixed(1)} s on ${threads} thread(s)`,
  );
  const model = modelJson(result.trees, result.treeInfo, {
    objective: hp.objective,
    numFeature: train.dim,
    numClass: hp.numClass,
    baseScore: hp.baseScore,
    numParallelTree: hp.numParallelTree,
    scalePosWeight: hp.scalePosWeight,
    poissonMaxDeltaStep: setup.gradients?.poissonMaxDeltaStep ?? 0.7,
    tweedieVariancePower: hp.tweedieVariancePower,
    attributes: {
      best_iteration: String(result.rounds - 1),
      best_ntree_limit: String(result.rounds * hp.numParallelTree),
    },
  });
  await mkdir(paths.model, { recursive: true });
  const file = join(paths.model, MODEL_FILE);
  await writeFile(file, stringifyModelJson(model));
  log(`Wrote the model to ${file}`);
}

/**
 * The XGBoost training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`); on failure
 * writes the reason to `output/failure` and returns exit code 1.
 */
export function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  return runTrainer(env, write, { algorithm: 'XGBoost', train: trainXGBoost });
}
