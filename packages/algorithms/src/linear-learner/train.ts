import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { readChannel } from '../common/channel.js';
import { type ChannelInput, readJobInput } from '../common/job-config.js';
import {
  type LogLine,
  type QualityMetric,
  createLogger,
  progressMetric,
  qualityMetric,
} from '../common/log.js';
import { createRandom } from '../common/random.js';
import { runTrainProgram as runTrainer } from '../common/train-program.js';
import type { ContractPaths } from '../contract/paths.js';
import { EPOCH_CACHE_BYTES, cacheBatches } from '../data/batch-cache.js';
import { type Candidate, fitLinearLearner } from './fit.js';
import { type LinearLearnerHyperparameters, parseHyperparameters } from './hyperparameters.js';
import { Evaluator, OBJECTIVE_METRIC, channelMetrics } from './metrics.js';
import { saveModel } from './model.js';
import { LINEAR_LEARNER_SEED, planModels, trainingSettings } from './plans.js';
import { BatchPreparer } from './prepare.js';
import { classWeights, sampleScaler } from './scaler.js';

const HINT = 'linear-learner reads the label from the first CSV column and features from the rest';

/**
 * Trains linear-learner on a contract root: samples the scaler, trains `num_models` models in
 * parallel, selects one on the validation channel (else on training loss), writes
 * `model/model.json`, and logs SageMaker's metric lines. Throws on failure.
 */
export async function trainLinearLearner(paths: ContractPaths, write: LogLine): Promise<void> {
  const log = createLogger(write);
  const job = await readJobInput(paths, {
    algorithm: 'linear-learner',
    optionalChannels: ['validation', 'test'],
    requiredHyperparameters: 'predictor_type (and num_classes for multiclass_classifier)',
  });
  const hp = parseHyperparameters(job.hyperparameters);
  log(`Hyperparameters: ${JSON.stringify(hp)}`);
  if (job.hosts.length > 1) {
    log(
      `${job.host} of ${job.hosts.length} hosts trains on its own data only: linear-learner does not combine hosts yet, and the job's model is ${job.hosts[0]}'s. Use InstanceCount 1 (or FullyReplicated channels) to train on all the data.`,
    );
  }
  const criterion = hp.selectionCriterion;
  if (
    hp.predictorType === 'binary_classifier' &&
    criterion !== 'accuracy' &&
    criterion !== 'loss_function'
  )
    log(`binary_classifier_model_selection_criteria=${criterion} is treated as accuracy.`);
  const given = hp.featureDim === 'auto' ? undefined : hp.featureDim;
  const sample = await sampleScaler(reader(hp, {})(job.train), hp);
  const dim = sample.dim;
  log(`Scaler fitted on ${sample.rows} records with ${dim} features`);
  // Training and evaluation read in a worker, ahead of the models; the scaler's sample does not.
  const read = reader(hp, {
    featureDim: dim,
    readAhead: true,
    ...(given === undefined && { expected: `The 'train' channel's records have ${dim} features` }),
  });
  const random = createRandom(LINEAR_LEARNER_SEED);
  const plans = planModels(hp, random);
  const { normalization } = sample;
  const weights = classWeights(hp, sample.classCounts);
  const preparer = new BatchPreparer({
    hp,
    normalization,
    ...(weights && { classWeights: weights }),
  });
  const { validation, test } = job.channels;
  const report = (metrics: QualityMetric[], epoch?: number): void => {
    for (const m of metrics)
      log(qualityMetric(job.host, { ...m, ...(epoch !== undefined && { epoch }) }));
  };
  const objective = (best: Candidate): QualityMetric => ({
    name: `train ${OBJECTIVE_METRIC[hp.loss]}`,
    value: best.trainObjective,
  });
  log(`Training ${plans.length} models in parallel (${hp.optimizer}, loss ${hp.loss})`);
  // Later epochs replay the parsed batches when they fit in memory.
  const budget = hp.epochs > 1 ? EPOCH_CACHE_BYTES : 0;
  const result = await fitLinearLearner(
    {
      hp,
      train: cacheBatches(() => read(job.train), budget),
      ...(validation && { validation: cacheBatches(() => read(validation), budget) }),
      preparer,
      settings: trainingSettings(hp, dim),
      plans,
      random,
      threads: availableParallelism(),
    },
    {
      info: log,
      epoch: (best) => {
        report([objective(best)], best.epoch);
        if (best.validation) report(channelMetrics('validation', best.validation, hp), best.epoch);
        log(progressMetric(job.host, Math.round(((best.epoch + 1) / hp.epochs) * 100)));
      },
    },
  );
  log(
    `Selected model ${result.model} of ${plans.length} from epoch ${result.epoch} on ${result.selectedOn} (learning_rate=${result.plan.learningRate}, wd=${result.plan.wd}, l1=${result.plan.l1})`,
  );
  await mkdir(paths.model, { recursive: true });
  const file = await saveModel(paths.model, {
    predictorType: hp.predictorType,
    objective: hp.loss,
    fn: result.fn,
    normalization,
    selected: { model: result.model, epoch: result.epoch, plan: result.plan },
  });
  log(`Wrote the model to ${file}`);
  report([objective(result)]);
  if (result.validation) report(channelMetrics('validation', result.validation, hp));
  if (test === undefined) return;
  const evaluator = new Evaluator(hp, normalization.labelScale);
  for await (const batch of read(test)) evaluator.add(result.fn, preparer.prepare(batch, 'test'));
  report(channelMetrics('test', evaluator.result(), hp));
}

function reader(
  hp: LinearLearnerHyperparameters,
  check: { featureDim?: number; expected?: string; readAhead?: boolean },
): (channel: ChannelInput) => ReturnType<typeof readChannel> {
  const featureDim = check.featureDim ?? (hp.featureDim === 'auto' ? undefined : hp.featureDim);
  return (channel) =>
    readChannel(channel, {
      ...(featureDim !== undefined && { featureDim }),
      ...(check.expected !== undefined && { expected: check.expected }),
      batchSize: hp.miniBatchSize,
      labelSize: 1,
      hint: HINT,
      readAhead: check.readAhead === true,
    });
}

/**
 * The linear-learner training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`); on
 * failure writes the reason to `output/failure` and returns exit code 1.
 */
export function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  return runTrainer(env, write, { algorithm: 'linear-learner', train: trainLinearLearner });
}
