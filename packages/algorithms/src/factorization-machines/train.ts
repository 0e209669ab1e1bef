import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type ChannelInput, readJobInput } from '../common/job-config.js';
import { type LogLine, createLogger, progressMetric, qualityMetric } from '../common/log.js';
import { createRandom } from '../common/random.js';
import { runTrainProgram as runTrainer } from '../common/train-program.js';
import type { ContractPaths } from '../contract/paths.js';
import { EPOCH_CACHE_BYTES } from '../data/batch-cache.js';
import { parseContentType } from '../data/content-type.js';
import { DataFormatError } from '../data/errors.js';
import type { SparseBatch } from '../data/sparse-batch.js';
import { cacheBatches } from '../data/batch-cache.js';
import type { ReadSparseDatasetOptions } from '../data/sparse-dataset.js';
import { readSparseDatasetAhead } from '../data/sparse-read-ahead.js';
import { FM_SEED, checkLabels, fitFm } from './fit.js';
import { type FmHyperparameters, parseHyperparameters } from './hyperparameters.js';
import { FmMetrics } from './metrics.js';
import { saveModel } from './model.js';
import { scoreBatch } from './score.js';
import type { FmWeights } from './weights.js';

const RECORDIO = 'application/x-recordio-protobuf';

/**
 * Trains Factorization Machines on a contract root: reads the `train` (and optional `test`)
 * channel as sparse RecordIO-protobuf, fits, writes `model/`, and logs SageMaker's metric lines.
 * Throws on failure.
 */
export async function trainFm(paths: ContractPaths, write: LogLine): Promise<void> {
  const log = createLogger(write);
  const job = await readJobInput(paths, {
    algorithm: 'Factorization Machines',
    optionalChannels: ['test'],
    requiredHyperparameters: 'feature_dim, num_factors and predictor_type',
  });
  const hp = parseHyperparameters(job.hyperparameters);
  log(`Hyperparameters: ${JSON.stringify(hp)}`);
  const { test } = job.channels;
  for (const channel of [job.train, test]) if (channel) checkContentType(channel);
  if (job.hosts.length > 1)
    log(
      `${job.host} of ${job.hosts.length} hosts trains on its own data only: Factorization Machines does not combine hosts yet, and the job's model is ${job.hosts[0]}'s. Use InstanceCount 1 (or FullyReplicated channels) to train on all the data.`,
    );
  const threads = trainingThreads(hp);
  // Later epochs replay the decoded batches when they fit in memory.
  const budget = hp.epochs > 1 ? EPOCH_CACHE_BYTES : 0;
  const train = cacheBatches(() => read(job.train, hp), budget);
  log(`Training for ${hp.epochs} epochs on ${threads} threads (Adam, ${hp.predictorType})`);
  const weights = await fitFm(
    { hp, train, random: createRandom(FM_SEED), threads },
    ({ epoch, records, seconds, metrics }) => {
      for (const metric of metrics.report('train'))
        log(qualityMetric(job.host, { ...metric, epoch }));
      log(
        `#throughput_metric: host=${job.host}, train throughput=${records / seconds} records/second`,
      );
      log(progressMetric(job.host, Math.round(((epoch + 1) / hp.epochs) * 100)));
    },
  );
  await mkdir(paths.model, { recursive: true });
  const file = await saveModel(paths.model, { predictorType: hp.predictorType, weights });
  log(`Wrote the model to ${file}`);
  if (test === undefined) return;
  const metrics = await evaluate(weights, { batches: read(test, hp), hp });
  if (metrics.rows === 0) throw new DataFormatError("The 'test' channel holds no records.");
  for (const metric of metrics.report('test')) log(qualityMetric(job.host, metric));
}

/**
 * Factor values a mini-batch must hold (rows × (num_factors + 1)) before its step is split
 * over threads: a smaller step takes less time than the threads need to hand it over.
 */
const THREADED_STEP_SIZE = 32_768;

/** How many threads train: all the host's cores for big steps, one for small ones. */
function trainingThreads(hp: FmHyperparameters): number {
  const size = hp.miniBatchSize * (hp.numFactors + 1);
  return size >= THREADED_STEP_SIZE ? availableParallelism() : 1;
}

/** The metrics of the weights on a channel's records. */
async function evaluate(
  weights: FmWeights,
  data: { batches: AsyncIterable<SparseBatch>; hp: FmHyperparameters },
): Promise<FmMetrics> {
  const metrics = new FmMetrics(data.hp.predictorType);
  for await (const batch of data.batches) {
    const labelled = checkLabels(batch, {
      type: data.hp.predictorType,
      before: metrics.rows,
      channel: 'test',
    });
    metrics.add(scoreBatch(weights, labelled), labelled.labels, labelled.rows);
  }
  return metrics;
}

function read(channel: ChannelInput, hp: FmHyperparameters): AsyncIterable<SparseBatch> {
  const options: ReadSparseDatasetOptions = {
    path: channel.path,
    contentType: channel.contentType,
    batchSize: hp.miniBatchSize,
    featureDim: hp.featureDim,
    expected: `hyperparameter feature_dim=${hp.featureDim}`,
    labelSize: 1,
  };
  // Decoding runs in a worker thread, ahead of training (compiled programs only).
  return readSparseDatasetAhead(options);
}

function checkContentType(channel: ChannelInput): void {
  if (parseContentType(channel.contentType).mediaType === RECORDIO) return;
  throw new DataFormatError(
    `The '${channel.name}' channel's ContentType is '${channel.contentType}', but Factorization Machines trains on ${RECORDIO} only, as SageMaker's does (it takes no CSV). Write the records with the SageMaker SDK's record_set() or write_spmatrix_to_sparse_tensor().`,
  );
}

/**
 * The Factorization Machines training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`);
 * on failure writes the reason to `output/failure` and returns exit code 1.
 */
export function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  return runTrainer(env, write, { algorithm: 'Factorization Machines', train: trainFm });
}
