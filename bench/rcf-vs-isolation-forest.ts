// Plinth's built-in Random Cut Forest against scikit-learn's IsolationForest, side by side on
// the labelled anomalies of Suthaharan's single-hop sensor network (all four motes' humidity and
// temperature, the mote as context; standardized), the same number of trees and samples per
// tree. Both train on the unlabelled readings and score every one; F1 by SageMaker's rule (score
// above mean + 3 sd), each side's best-threshold F1 and ROC AUC, all computed by the same code.
// The data is small (19k readings), so each side's time is per fit, with more rounds.
// Usage: npm run bench:rcf -- [--trees 100] [--samples 256] [--rounds 10] [--warmups 1]
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AnomalyQuality, anomalyQuality } from './src/anomaly-quality.js';
import { runAnchorWithReport } from './src/anchor-report.js';
import { readFloat64File } from './src/binary-file.js';
import { markdownTable } from './src/markdown.js';
import { createContractRoot, runPlinthTraining } from './src/plinth-job.js';
import { median } from './src/processes.js';
import { servedRcfScores } from './src/rcf-scores.js';
import { comparisonReport } from './src/report.js';
import { SENSOR_FEATURES, sensorData } from './src/sensor-data.js';
import { alternate } from './src/side-by-side.js';

const { values } = parseArgs({
  options: {
    trees: { type: 'string', default: '100' },
    samples: { type: 'string', default: '256' },
    rounds: { type: 'string', default: '10' },
    warmups: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const threads = Number(values.threads);
const rounds = Number(values.rounds);
const warmups = Number(values.warmups);

const data = await sensorData();
const root = await createContractRoot({
  hyperparameters: {
    feature_dim: String(SENSOR_FEATURES.length),
    num_trees: values.trees,
    num_samples_per_tree: values.samples,
  },
  channels: { train: { file: data.features, contentType: 'text/csv;label_size=0' } },
});
const anchorOut = join(root, 'sklearn');
const anchorArgs = ['--data', data.features, '--trees', values.trees, '--samples', values.samples];
try {
  // scikit-learn's scoring time, from every run (warm-ups first).
  const anchorScoringMs: number[] = [];
  const [plinth, anchor] = await alternate(
    [
      () => runPlinthTraining('randomcutforest-train', root),
      async () => {
        const run = await runAnchorWithReport<{ score_seconds: number }>(
          'isolation_forest.py',
          anchorArgs,
          { threads, out: anchorOut },
        );
        anchorScoringMs.push(run.report.score_seconds * 1000);
        return run;
      },
    ],
    { warmups, rounds },
  );
  const served = await servedRcfScores(join(root, 'model'), data.features, rounds);
  const anchorScores = await readFloat64File(join(anchorOut, 'scores.f64'));
  if (served.scores.length !== data.rows || anchorScores.length !== data.rows)
    throw new Error(
      `expected ${data.rows} scores; Plinth gave ${served.scores.length}, scikit-learn ${anchorScores.length}`,
    );
  const plinthQuality = anomalyQuality(served.scores, data.labels);
  const anchorQuality = anomalyQuality(anchorScores, data.labels);
  const figures = (q: AnomalyQuality): string[] => [
    q.f1.toFixed(4),
    `${q.precision.toFixed(3)} / ${q.recall.toFixed(3)}`,
    String(q.flagged),
    q.bestF1.toFixed(4),
    q.auc.toFixed(4),
  ];
  const anomalies = data.labels.reduce((a, b) => a + b, 0);
  console.log(
    `\nRCF vs IsolationForest: ${data.rows} sensor readings (${anomalies} labelled anomalies), all four motes in one set; features ${SENSOR_FEATURES.join(', ')} (the mote as context), each standardized; labels used only for scoring. ${values.trees} trees of ${values.samples} samples on both sides; medians of ${rounds} alternating runs after ${warmups} warm-up(s). Threads: scikit-learn ${threads} (n_jobs; OpenMP and BLAS pinned); Plinth up to ${availableParallelism()} (the cores it sees). Plinth's scores come from its serve program (one text/csv request of all readings), scikit-learn's from score_samples (negated: higher = more anomalous). F1: a reading is flagged when its score is above mean + 3 sd of all scores (SageMaker's rule); best F1 over every threshold; ROC AUC; all by the same code.`,
  );
  console.log('\n### 1. Training\n');
  console.log(
    comparisonReport(['F1 (mean + 3 sd)', 'precision / recall', 'flagged', 'best F1', 'ROC AUC'], {
      plinth: {
        name: 'Plinth randomcutforest-train',
        runs: plinth!,
        quality: figures(plinthQuality),
      },
      anchor: {
        name: 'scikit-learn IsolationForest',
        runs: anchor!,
        quality: figures(anchorQuality),
      },
    }),
  );
  const anchorScoreMs = median(anchorScoringMs.slice(warmups));
  const scoring = (name: string, ms: number): string[] => [
    name,
    (ms / 1000).toFixed(3),
    Math.round((data.rows / ms) * 1000).toString(),
    (ms / anchorScoreMs).toFixed(2),
  ];
  console.log(
    `\n### 2. Scoring all ${data.rows} readings\n\nPlinth: one POST /invocations of all readings to a warm randomcutforest-serve (CSV in, JSON out; loopback), median of ${rounds}; scikit-learn: score_samples inside the process, median over the runs above.\n`,
  );
  console.log(
    markdownTable(
      ['side', 'score s', 'readings/s', 'time vs anchor'],
      [
        scoring('Plinth randomcutforest-serve', served.medianMs),
        scoring('scikit-learn score_samples', anchorScoreMs),
      ],
    ),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
