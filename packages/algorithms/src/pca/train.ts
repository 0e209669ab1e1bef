import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type ReadChannelOptions, readChannel } from '../common/channel.js';
import { readJobInput } from '../common/job-config.js';
import { type LogLine, createLogger, progressMetric, qualityMetric } from '../common/log.js';
import { runTrainProgram as runTrainer } from '../common/train-program.js';
import type { ContractPaths } from '../contract/paths.js';
import { type Cluster, gather, isPrimary, publish } from '../common/cluster.js';
import {
  type ScatterPass,
  combineScatterPasses,
  decodeScatterPass,
  encodeScatterPass,
} from './combine.js';
import { type FitEvents, fitOnHosts } from './fit.js';
import { parseHyperparameters } from './hyperparameters.js';
import { loadModel, modelFile, saveModel } from './model.js';
import { scoreReconstruction } from './score.js';

// PCA has no label: RecordIO labels are ignored; CSV follows SageMaker (the first column is a
// label unless the content type says label_size=0).
const HINT = 'for CSV without a label column use text/csv;label_size=0';

/**
 * Below this feature_dim, reading and parsing the records costs more than summing them, so one
 * thread keeps up with the reader and more would only compete with it for the cores.
 */
const PARALLEL_MIN_DIM = 100;
/** The name hosts publish their scatter sums under. */
const SUMS = 'pca-scatter';

/**
 * Trains PCA on a contract root: reads config and channels, fits, writes `model/model.json`,
 * and logs progress, the explained variance and test metrics SageMaker's way. Throws on failure.
 */
export async function trainPca(paths: ContractPaths, write: LogLine): Promise<void> {
  const log = createLogger(write);
  const job = await readJobInput(paths, {
    algorithm: 'PCA',
    optionalChannels: ['test'],
    requiredHyperparameters: 'feature_dim, mini_batch_size and num_components',
  });
  const hp = parseHyperparameters(job.hyperparameters);
  log(`Hyperparameters: ${JSON.stringify(hp)}`);
  const shape: ReadChannelOptions = {
    featureDim: hp.featureDim,
    batchSize: hp.miniBatchSize,
    labelSize: 0,
    hint: HINT,
    readAhead: true,
  };
  const events: FitEvents = {
    info: log,
    batch: ({ batches, records }) => {
      // Every mini-batch would flood the log; powers of two keep it to a few dozen lines.
      if ((batches & (batches - 1)) === 0)
        log(`Processed mini-batch ${batches}: ${records} records so far`);
    },
    pass: ({ pass, passes }) => {
      log(`Completed pass ${pass} of ${passes} over the train channel`);
      log(progressMetric(job.host, Math.round((pass / passes) * 100)));
    },
  };
  const threads = hp.featureDim >= PARALLEL_MIN_DIM ? availableParallelism() : 1;
  const started = performance.now();
  const cluster =
    paths.shared && job.hosts.length > 1
      ? { host: job.host, hosts: job.hosts, shared: paths.shared }
      : undefined;
  const fit = await fitOnHosts(() => readChannel(job.train, shape), hp, {
    events,
    threads,
    hosts: cluster?.hosts.length ?? 1,
    ...(cluster && { combine: (pass: ScatterPass) => combineHosts(cluster, { pass, log }) }),
  });
  if (fit === undefined) return;
  const seconds = (performance.now() - started) / 1000;
  log(
    `Fitted ${fit.count} components on ${fit.records} records in ${seconds.toFixed(3)} s on ${fit.threads} thread(s)`,
  );
  const file = modelFile(fit, hp);
  file.components.forEach((_, i) =>
    log(
      `Component ${i + 1}: explained variance ${file.explained_variance[i]}, ratio ${file.explained_variance_ratio[i]}, singular value ${file.singular_values[i]}`,
    ),
  );
  const ratio = file.explained_variance_ratio.reduce((a, b) => a + b, 0);
  log(
    qualityMetric(job.host, {
      name: 'train explained_variance_ratio',
      value: ratio,
      kind: 'score',
    }),
  );
  await mkdir(paths.model, { recursive: true });
  const path = await saveModel(paths.model, file);
  log(`Wrote ${fit.count} components to ${path}`);
  const test = job.channels.test;
  if (test === undefined) return;
  const score = await scoreReconstruction(readChannel(test, shape), await loadModel(paths.model));
  if (score.records === 0) return;
  log(qualityMetric(job.host, { name: 'test msd', value: score.residual / score.records }));
  const kept = score.total > 0 ? 1 - score.residual / score.total : 0;
  log(
    qualityMetric(job.host, { name: 'test explained_variance_ratio', value: kept, kind: 'score' }),
  );
}

/**
 * A multi-instance job's sums, combined: other hosts hand their scatter sums to the first and
 * are done (undefined); the first adds every host's sums, so its model covers all the records,
 * as SageMaker's workers' summaries are unified into one solution.
 */
async function combineHosts(
  cluster: Cluster,
  stage: { pass: ScatterPass; log: (message: string) => void },
): Promise<ScatterPass | undefined> {
  const { pass, log } = stage;
  if (!isPrimary(cluster)) {
    await publish(cluster, { name: SUMS, bytes: encodeScatterPass(pass) });
    log(
      `Sent the scatter sums of ${pass.sums.rows} records to ${cluster.hosts[0]}, which writes the model`,
    );
    return undefined;
  }
  const others = (await gather(cluster, SUMS)).map(decodeScatterPass);
  const combined = combineScatterPasses([pass, ...others]);
  log(`Combined the scatter sums of ${cluster.hosts.length} hosts: ${combined.sums.rows} records`);
  return combined;
}

/**
 * The PCA training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`); on failure writes
 * the reason to `output/failure` and returns exit code 1.
 */
export function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  return runTrainer(env, write, { algorithm: 'PCA', train: trainPca });
}
