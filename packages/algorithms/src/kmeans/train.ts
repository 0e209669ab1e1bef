import { mkdir } from 'node:fs/promises';
import { type ReadChannelOptions, readChannel } from '../common/channel.js';
import { readJobInput } from '../common/job-config.js';
import { type LogLine, createLogger, progressMetric, qualityMetric } from '../common/log.js';
import { runTrainProgram as runTrainer } from '../common/train-program.js';
import type { ContractPaths } from '../contract/paths.js';
import { EPOCH_CACHE_BYTES, cacheBatches } from '../data/batch-cache.js';
import { type FitEvents, fitKMeans, scoreKMeans } from './fit.js';
import { parseHyperparameters } from './hyperparameters.js';
import { saveModel } from './model.js';

// k-means has no label: RecordIO labels are ignored; CSV follows SageMaker (label_size=1
// unless the content type says label_size=0).
const HINT = 'for CSV without a label column use text/csv;label_size=0';

/**
 * Trains k-means on a contract root: reads config and channels, fits, writes
 * `model/model.json`, and logs progress and test metrics SageMaker's way. Throws on failure.
 */
export async function trainKMeans(paths: ContractPaths, write: LogLine): Promise<void> {
  const log = createLogger(write);
  const job = await readJobInput(paths, {
    algorithm: 'k-means',
    optionalChannels: ['test'],
    requiredHyperparameters: 'k and feature_dim',
  });
  const hp = parseHyperparameters(job.hyperparameters);
  log(`Hyperparameters: ${JSON.stringify(hp)}`);
  const events: FitEvents = {
    info: log,
    epoch: ({ epoch, epochs, records, msd }) => {
      log(`Epoch ${epoch} of ${epochs}: ${records} records, train mini-batch msd <loss>=${msd}`);
      log(progressMetric(job.host, Math.round((epoch / epochs) * 100)));
    },
  };
  const shape: ReadChannelOptions = {
    featureDim: hp.featureDim,
    batchSize: hp.miniBatchSize,
    labelSize: 0,
    hint: HINT,
    readAhead: true,
  };
  // Later epochs replay the parsed batches when they fit in memory.
  const train = cacheBatches(
    () => readChannel(job.train, shape),
    hp.epochs > 1 ? EPOCH_CACHE_BYTES : 0,
  );
  const fitted = await fitKMeans(train, hp, events);
  await mkdir(paths.model, { recursive: true });
  const file = await saveModel(paths.model, fitted.centers);
  log(`Wrote ${hp.k} centers to ${file}`);
  const test = job.channels.test;
  if (test === undefined) return;
  const score = await scoreKMeans(readChannel(test, shape), fitted.centers);
  if (score.records === 0) return;
  const values = { msd: score.ssd / score.records, ssd: score.ssd };
  for (const metric of hp.evalMetrics)
    log(qualityMetric(job.host, { name: `test ${metric}`, value: values[metric] }));
}

/**
 * The k-means training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`); on failure
 * writes the reason to `output/failure` and returns exit code 1.
 */
export function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  return runTrainer(env, write, { algorithm: 'k-means', train: trainKMeans });
}
