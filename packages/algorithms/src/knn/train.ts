import { mkdir } from 'node:fs/promises';
import { type ReadChannelOptions, readChannel } from '../common/channel.js';
import { type Cluster, gather, isPrimary, publish } from '../common/cluster.js';
import { JobConfigError } from '../common/errors.js';
import { readJobInput } from '../common/job-config.js';
import { type LogLine, createLogger, progressMetric, qualityMetric } from '../common/log.js';
import { createRandom } from '../common/random.js';
import { runTrainProgram as runTrainer } from '../common/train-program.js';
import type { ContractPaths } from '../contract/paths.js';
import { buildIndex } from './build-index.js';
import { type KnnHyperparameters, parseHyperparameters } from './hyperparameters.js';
import { KNN_SEED, planIndex } from './index-plan.js';
import { type KnnModel, createVectorTransform } from './model.js';
import { saveModel } from './model-file.js';
import { defaultSearchThreads } from './parallel-search.js';
import { KnnPredictor } from './predict.js';
import { Reservoir, type Sample } from './reservoir.js';
import { decodeSample, encodeSample } from './sample-codec.js';

const HINT = 'k-NN reads the label from the first CSV column, or from each RecordIO record';
/** The name hosts publish their samples under. */
const SAMPLE = 'knn-sample';

/**
 * Trains k-NN on a contract root: samples `sample_size` labelled records from `train`, reduces
 * their dimension if asked, builds the index, writes the model, and scores the `test` channel
 * (`test:accuracy` or `test:mse`, logged SageMaker's way). Throws on failure.
 */
export async function trainKnn(paths: ContractPaths, write: LogLine): Promise<void> {
  const log = createLogger(write);
  const job = await readJobInput(paths, {
    algorithm: 'k-NN',
    optionalChannels: ['test'],
    requiredHyperparameters: 'feature_dim, k, predictor_type and sample_size',
  });
  const hp = parseHyperparameters(job.hyperparameters);
  log(`Hyperparameters: ${JSON.stringify(hp)}`);
  if (!hp.dimensionReduction && job.hyperparameters.dimension_reduction_target !== undefined)
    log('dimension_reduction_target is ignored: dimension_reduction_type is not set');
  const shape: ReadChannelOptions = {
    featureDim: hp.featureDim,
    batchSize: hp.miniBatchSize,
    labelSize: 1,
    hint: HINT,
    readAhead: true,
  };
  const cluster = paths.shared && { host: job.host, hosts: job.hosts, shared: paths.shared };
  const hostIndex = Math.max(0, job.hosts.indexOf(job.host));
  // As SageMaker's: each of n hosts samples sample_size / n records of the data it sees.
  const share = Math.ceil(hp.sampleSize / (cluster ? cluster.hosts.length : 1));
  const reservoir = new Reservoir(share, hp.featureDim, createRandom(KNN_SEED + hostIndex));
  for await (const batch of readChannel(job.train, shape)) reservoir.add(batch, 'train');
  const mine = reservoir.sample();
  log(`Sampled ${mine.count} of the ${mine.seen} training records`);
  log(progressMetric(job.host, 100));
  const sample = cluster ? await combineHosts(cluster, { mine, log }) : mine;
  if (sample === undefined) return;
  const model = buildModel(hp, sample, log);
  await mkdir(paths.model, { recursive: true });
  log(`Wrote the model to ${await saveModel(paths.model, model)}`);
  const test = job.channels.test;
  if (test === undefined) return;
  const predictor = new KnnPredictor(model, defaultSearchThreads());
  try {
    let records = 0;
    let sum = 0;
    for await (const batch of readChannel(test, shape)) {
      const { predicted } = await predictor.predict(batch.features, batch.rows);
      for (let r = 0; r < batch.rows; r++) {
        const truth = batch.labels![r]!;
        sum +=
          hp.predictorType === 'classifier'
            ? Number(predicted[r] === truth)
            : (predicted[r]! - truth) ** 2;
      }
      records += batch.rows;
    }
    if (records === 0) return;
    const name = hp.predictorType === 'classifier' ? 'accuracy' : 'mse';
    const value = sum / records;
    // SageMaker k-NN's own line, then the #quality_metric line Plinth's other built-ins print.
    log(`#test_score (${job.host}) : ('${name}', ${value})`);
    log(
      qualityMetric(job.host, {
        name: `test ${name}`,
        value,
        kind: name === 'mse' ? 'loss' : 'score',
      }),
    );
  } finally {
    await predictor.close();
  }
}

/** Reduces, indexes and labels the sample. */
function buildModel(
  hp: KnnHyperparameters,
  sample: Sample,
  log: (message: string) => void,
): KnnModel {
  if (sample.count < hp.k)
    throw new JobConfigError(
      `k=${hp.k} is more than the ${sample.count} training records sampled; lower k or give more training data.`,
    );
  const plan = planIndex(hp, sample.count);
  for (const note of plan.notes) log(note);
  const model: Omit<KnnModel, 'index' | 'labels'> = {
    k: hp.k,
    predictorType: hp.predictorType,
    featureDim: hp.featureDim,
    metric: hp.indexMetric,
    indexDim: plan.indexDim,
  };
  if (plan.reduction) model.reduction = plan.reduction;
  const vectors = createVectorTransform(model)(sample.vectors, sample.count);
  const started = Date.now();
  const { index, order } = buildIndex(vectors, { ...plan.spec, random: createRandom(KNN_SEED) });
  const labels = Float32Array.from(order, (i) => sample.labels[i]!);
  const lists =
    index.type === 'faiss.Flat'
      ? ''
      : `, ${index.listSizes.length} lists, ${index.nprobe} probed per query`;
  log(
    `Built a ${index.type} index of ${sample.count} vectors of ${plan.indexDim} coordinates (${hp.indexMetric}${lists}) in ${Date.now() - started} ms`,
  );
  return { ...model, index, labels };
}

/**
 * A multi-instance job's samples, combined: other hosts hand theirs to the first and end
 * (undefined); the first concatenates every host's sample.
 */
async function combineHosts(
  cluster: Cluster,
  stage: { mine: Sample; log: (message: string) => void },
): Promise<Sample | undefined> {
  const { mine, log } = stage;
  if (cluster.hosts.length < 2) return mine;
  if (!isPrimary(cluster)) {
    await publish(cluster, { name: SAMPLE, bytes: encodeSample(mine) });
    log(`Sent ${mine.count} sampled records to ${cluster.hosts[0]}, which writes the model`);
    return undefined;
  }
  const samples = [mine, ...(await gather(cluster, SAMPLE)).map(decodeSample)];
  const count = samples.reduce((n, s) => n + s.count, 0);
  const dim = mine.count > 0 ? mine.vectors.length / mine.count : 0;
  const vectors = new Float32Array(count * dim);
  const labels = new Float32Array(count);
  let at = 0;
  for (const s of samples) {
    vectors.set(s.vectors, at * dim);
    labels.set(s.labels, at);
    at += s.count;
  }
  log(`Combined the samples of ${cluster.hosts.length} hosts: ${count} records`);
  return { vectors, labels, count, seen: samples.reduce((n, s) => n + s.seen, 0) };
}

/**
 * The k-NN training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`); on failure writes
 * the reason to `output/failure` and returns exit code 1.
 */
export function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  return runTrainer(env, write, { algorithm: 'k-NN', train: trainKnn });
}
