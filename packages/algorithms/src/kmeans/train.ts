import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type ContractPaths, contractPaths } from '../contract/paths.js';
import { DataFormatError, type FeatureBatch, readDataset } from '../data/index.js';
import { type FitEvents, fitKMeans, scoreKMeans } from './fit.js';
import { HyperparameterError, parseHyperparameters } from './hyperparameters.js';
import { type ChannelInput, JobConfigError, readJobInput } from './job-config.js';
import { type LogLine, createLogger, logPrefix, progressMetric, qualityMetric } from './log.js';
import { saveModel } from './model.js';

/**
 * Trains k-means on a contract root: reads config and channels, fits, writes
 * `model/model.json`, and logs progress and test metrics SageMaker's way. Throws on failure.
 */
export async function trainKMeans(paths: ContractPaths, write: LogLine): Promise<void> {
  const log = createLogger(write);
  const job = await readJobInput(paths);
  const hp = parseHyperparameters(job.hyperparameters);
  log(`Hyperparameters: ${JSON.stringify(hp)}`);
  const events: FitEvents = {
    info: log,
    epoch: ({ epoch, epochs, records, msd }) => {
      log(`Epoch ${epoch} of ${epochs}: ${records} records, train mini-batch msd <loss>=${msd}`);
      log(progressMetric(job.host, Math.round((epoch / epochs) * 100)));
    },
  };
  const fitted = await fitKMeans(
    () => readChannel(job.train, { featureDim: hp.featureDim, batchSize: hp.miniBatchSize }),
    hp,
    events,
  );
  await mkdir(paths.model, { recursive: true });
  const file = await saveModel(paths.model, fitted.centers);
  log(`Wrote ${hp.k} centers to ${file}`);
  if (job.test === undefined) return;
  const score = await scoreKMeans(
    readChannel(job.test, { featureDim: hp.featureDim, batchSize: hp.miniBatchSize }),
    fitted.centers,
  );
  if (score.records === 0) return;
  const values = { msd: score.ssd / score.records, ssd: score.ssd };
  for (const metric of hp.evalMetrics)
    log(qualityMetric(job.host, `test ${metric}`, values[metric]));
}

/** Reads a channel, checking its feature count against `feature_dim` with a fixable message. */
async function* readChannel(
  channel: ChannelInput,
  shape: { featureDim: number; batchSize: number },
): AsyncGenerator<FeatureBatch> {
  // k-means has no label: RecordIO labels are ignored; CSV follows SageMaker (label_size=1
  // unless the content type says label_size=0).
  const batches = readDataset({
    path: channel.path,
    contentType: channel.contentType,
    labelSize: channel.contentType.startsWith('application/x-recordio-protobuf') ? 0 : 1,
    batchSize: shape.batchSize,
  });
  for await (const batch of batches) {
    if (batch.dim !== shape.featureDim)
      throw new DataFormatError(
        `Hyperparameter feature_dim=${shape.featureDim} but the '${channel.name}' channel's records have ${batch.dim} features (content type '${channel.contentType}'; for CSV without a label column use text/csv;label_size=0).`,
      );
    yield batch;
  }
}

const USER_ERRORS = [HyperparameterError, JobConfigError, DataFormatError, RangeError];

/**
 * The training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`); on failure writes the
 * reason to `output/failure`, as SageMaker's built-ins do, and returns exit code 1.
 */
export async function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  const paths = contractPaths(env.PLINTH_ML_ROOT ?? '/opt/ml');
  try {
    await trainKMeans(paths, write);
    return 0;
  } catch (error) {
    const known = USER_ERRORS.some((type) => error instanceof type);
    const reason = known
      ? (error as Error).message
      : `Internal error in k-means training: ${error instanceof Error ? error.message : String(error)}`;
    write(`${logPrefix(new Date(), 'ERROR')} ${reason}`);
    if (!known && error instanceof Error && error.stack) write(error.stack);
    await mkdir(dirname(paths.failure), { recursive: true });
    await writeFile(paths.failure, reason);
    return 1;
  }
}
