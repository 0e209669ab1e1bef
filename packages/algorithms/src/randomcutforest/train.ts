import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { readChannel } from '../common/channel.js';
import { type Cluster, gather, isPrimary, publish } from '../common/cluster.js';
import { readJobInput } from '../common/job-config.js';
import { type LogLine, createLogger, progressMetric, qualityMetric } from '../common/log.js';
import { runTrainProgram as runTrainer } from '../common/train-program.js';
import type { ContractPaths } from '../contract/paths.js';
import { DataFormatError, type FeatureBatch } from '../data/index.js';
import { evaluateTestChannel, requireTestLabels } from './evaluate.js';
import { type Forest, buildForest } from './forest.js';
import { ForestScorer } from './forest-scorer.js';
import { type RcfHyperparameters, parseHyperparameters } from './hyperparameters.js';
import { decodeSamples, encodeSamples, mergeSamples } from './merge-samples.js';
import { testMetrics } from './metrics.js';
import { saveModel } from './model.js';
import { ReservoirSampler, type TreeSamples } from './reservoir.js';
import { prepareScoring } from './scoring-forest.js';

/** The algorithm's name in messages. */
export const ALGORITHM = 'randomcutforest';
// RCF has no label: RecordIO labels are ignored; CSV follows SageMaker (label_size=1 unless
// the content type says label_size=0).
const HINT = 'for CSV without a label column use text/csv;label_size=0';
/** Records per read batch; RCF's work per record is small, so batches are large. */
const READ_BATCH = 8192;
/** Seed of the trees' reservoirs; no SageMaker hyperparameter sets one. */
const SAMPLE_SEED = 0x2a17;
/** The name hosts publish their reservoirs under. */
const SAMPLES = 'rcf-samples';

/**
 * Trains a Random Cut Forest on a contract root: one reservoir sample of the `train` channel
 * per tree, a random cut tree on each, the forest written to `model/`; with a labelled `test`
 * channel, logs SageMaker's test metrics. Throws on failure.
 */
export async function trainRandomCutForest(paths: ContractPaths, write: LogLine): Promise<void> {
  const log = createLogger(write);
  const job = await readJobInput(paths, {
    algorithm: ALGORITHM,
    optionalChannels: ['test'],
    requiredHyperparameters: 'feature_dim',
  });
  const hp = parseHyperparameters(job.hyperparameters);
  log(`Hyperparameters: ${JSON.stringify(hp)}`);
  const test = job.channels.test;
  if (test) requireTestLabels(test);
  const sampler = new ReservoirSampler({
    trees: hp.numTrees,
    size: hp.numSamplesPerTree,
    dim: hp.featureDim,
    seed: SAMPLE_SEED,
  });
  const shape = { featureDim: hp.featureDim, batchSize: READ_BATCH, hint: HINT };
  for await (const batch of readChannel(job.train, { ...shape, labelSize: 0, readAhead: true }))
    sampler.add(batch);
  const mine = sampler.samples();
  log(`Read ${mine.seen} records from the 'train' channel`);
  log(progressMetric(job.host, 100));
  const cluster = paths.shared && { host: job.host, hosts: job.hosts, shared: paths.shared };
  const samples = cluster ? await combineHosts(cluster, { mine, log }) : mine;
  if (samples === undefined) return;
  if (samples.seen === 0)
    throw new DataFormatError(`The 'train' channel (${job.train.path}) has no records.`);
  const forest = buildForest(samples);
  log(
    `Built ${forest.trees} trees of ${samples.perTree} sampled records each (of ${samples.seen}): ${forest.cutDim.length} nodes`,
  );
  await mkdir(paths.model, { recursive: true });
  const info = { numSamplesPerTree: hp.numSamplesPerTree, records: samples.seen };
  log(`Wrote the forest to ${await saveModel(paths.model, { forest, info })}`);
  if (test)
    await logTestMetrics(readChannel(test, { ...shape, labelSize: 1 }), {
      forest,
      hp,
      host: job.host,
      log,
    });
}

/**
 * Scores the labelled test records on every core and logs SageMaker's three-sigma evaluation
 * of them as `#quality_metric` lines.
 */
async function logTestMetrics(
  batches: AsyncIterable<FeatureBatch>,
  context: { forest: Forest; hp: RcfHyperparameters; host: string; log: (message: string) => void },
): Promise<void> {
  const { forest, hp, host, log } = context;
  const scorer = new ForestScorer(prepareScoring(forest), { threads: availableParallelism() });
  try {
    await scorer.started();
    const evaluation = await evaluateTestChannel(batches, scorer);
    log(
      `Test channel: ${evaluation.records} records; scores above ${evaluation.threshold} (mean + 3 standard deviations) are anomalies: ${evaluation.truePositives} true and ${evaluation.falsePositives} false positives, ${evaluation.falseNegatives} anomalies missed`,
    );
    for (const metric of testMetrics(evaluation, hp.evalMetrics)) log(qualityMetric(host, metric));
  } finally {
    await scorer.close();
  }
}

/**
 * A multi-instance job's samples, combined: other hosts hand their reservoirs to the first and
 * end (undefined); the first merges every host's into one sample of all records, as SageMaker's
 * RCF builds one forest from every instance's shard. One host: its own.
 */
async function combineHosts(
  cluster: Cluster,
  stage: { mine: TreeSamples; log: (message: string) => void },
): Promise<TreeSamples | undefined> {
  const { mine, log } = stage;
  if (cluster.hosts.length < 2) return mine;
  if (!isPrimary(cluster)) {
    await publish(cluster, { name: SAMPLES, bytes: encodeSamples(mine) });
    log(`Sent the samples of ${mine.seen} records to ${cluster.hosts[0]}, which writes the model`);
    return undefined;
  }
  const others = (await gather(cluster, SAMPLES)).map(decodeSamples);
  const merged = mergeSamples([mine, ...others]);
  log(`Combined the samples of ${cluster.hosts.length} hosts: ${merged.seen} records`);
  return merged;
}

/**
 * The Random Cut Forest training program: trains on `PLINTH_ML_ROOT` (default `/opt/ml`); on
 * failure writes the reason to `output/failure` and returns exit code 1.
 */
export function runTrainProgram(env: NodeJS.ProcessEnv, write: LogLine): Promise<number> {
  return runTrainer(env, write, { algorithm: ALGORITHM, train: trainRandomCutForest });
}
