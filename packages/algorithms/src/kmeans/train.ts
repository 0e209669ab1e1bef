import { mkdir } from 'node:fs/promises';
import { type ReadChannelOptions, readChannel } from '../common/channel.js';
import { readJobInput } from '../common/job-config.js';
import { type LogLine, createLogger, progressMetric, qualityMetric } from '../common/log.js';
import { runTrainProgram as runTrainer } from '../common/train-program.js';
import type { ContractPaths } from '../contract/paths.js';
import { EPOCH_CACHE_BYTES, cacheBatches } from '../data/batch-cache.js';
import { type Cluster, gather, isPrimary, publish } from '../common/cluster.js';
import { createRandom } from '../common/random.js';
import {
  type FitEvents,
  KMEANS_SEED,
  mergeSummaries,
  reduceKMeans,
  scoreKMeans,
  streamKMeans,
  type StreamingSummary,
} from './fit.js';
import { refineOnData } from './refine.js';
import { decodeSummary, encodeSummary } from './summary-codec.js';
import { parseHyperparameters } from './hyperparameters.js';
import { saveModel } from './model.js';

// k-means has no label: RecordIO labels are ignored; CSV follows SageMaker (label_size=1
// unless the content type says label_size=0).
const HINT = 'for CSV without a label column use text/csv;label_size=0';
/** The name hosts publish their streaming summaries under. */
const SUMMARY = 'kmeans-summary';

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
  // Later epochs and the refining passes replay the parsed batches when they fit in memory.
  const train = cacheBatches(() => readChannel(job.train, shape), EPOCH_CACHE_BYTES);
  const context = { events, random: createRandom(KMEANS_SEED) };
  const mine = await streamKMeans(train, hp, context);
  const cluster = paths.shared && { host: job.host, hosts: job.hosts, shared: paths.shared };
  const summary = cluster ? await combineHosts(cluster, { mine, log }) : mine;
  if (summary === undefined) return;
  const reduced = reduceKMeans(summary, hp, context);
  const refined = await refineOnData(train, reduced.centers);
  log(
    `Refined the ${hp.k} centers on this host's ${mine.records} records: ${refined.passes} Lloyd passes, msd ${refined.ssd / mine.records}`,
  );
  await mkdir(paths.model, { recursive: true });
  const file = await saveModel(paths.model, refined.centers);
  log(`Wrote ${hp.k} centers to ${file}`);
  const test = job.channels.test;
  if (test === undefined) return;
  const score = await scoreKMeans(readChannel(test, shape), refined.centers);
  if (score.records === 0) return;
  const values = { msd: score.ssd / score.records, ssd: score.ssd };
  for (const metric of hp.evalMetrics)
    log(qualityMetric(job.host, { name: `test ${metric}`, value: values[metric] }));
}

/**
 * A multi-instance job's streaming stage, combined: other hosts hand their summary to the first
 * and end (undefined); the first merges every host's summary, as SageMaker's k-means reduces all
 * instances' centers into one model. One host: its own summary.
 */
async function combineHosts(
  cluster: Cluster,
  stage: { mine: StreamingSummary; log: (message: string) => void },
): Promise<StreamingSummary | undefined> {
  const { mine, log } = stage;
  if (cluster.hosts.length < 2) return mine;
  if (!isPrimary(cluster)) {
    await publish(cluster, { name: SUMMARY, bytes: encodeSummary(mine) });
    log(
      `Sent ${mine.centers.count} streaming centers of ${mine.records} records to ${cluster.hosts[0]}, which writes the model`,
    );
    return undefined;
  }
  const summary = mergeSummaries([mine, ...(await gather(cluster, SUMMARY)).map(decodeSummary)]);
  log(
    `Combined the streaming centers of ${cluster.hosts.length} hosts: ${summary.records} records`,
  );
  return summary;
}

/**
 * The k-means training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`); on failure
 * writes the reason to `output/failure` and returns exit code 1.
 */
export function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  return runTrainer(env, write, { algorithm: 'k-means', train: trainKMeans });
}
