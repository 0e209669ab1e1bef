// Plinth's built-in linear-learner training program (binary classifier) against scikit-learn's
// LogisticRegression, side by side on the same CSV of real flights (late or not, from distance,
// day, one-hot hour, weekday and month); runs alternate after a warm-up; medians, ratios and
// held-out accuracy and AUC of both sides' models, scored by the same code on the same rows.
// Usage: npm run bench:linear-learner -- [--train-rows 2000000] [--test-rows 500000]
//        [--num-models auto|1] [--epochs 15] [--mini-batch-size 1000] [--anchor logistic|sgd]
//        [--rounds 3]
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type HeldOutQuality, heldOutQuality } from './src/linear-quality.js';
import { LATE_MINUTES, LINEAR_FEATURES, linearLearnerCsv } from './src/linear-learner-data.js';
import { createContractRoot, runPlinthTraining } from './src/plinth-job.js';
import { runAnchor } from './src/python.js';
import { comparisonReport } from './src/report.js';
import { alternate, medianOf } from './src/side-by-side.js';

const { values } = parseArgs({
  options: {
    'train-rows': { type: 'string', default: '2000000' },
    'test-rows': { type: 'string', default: '500000' },
    // SageMaker's default: 32 models with different learning rates and regularization are
    // trained in the same passes and the best kept; scikit-learn fits one. --num-models 1 is
    // the same amount of work on both sides.
    'num-models': { type: 'string', default: 'auto' },
    epochs: { type: 'string', default: '15' },
    'mini-batch-size': { type: 'string', default: '1000' },
    anchor: { type: 'string', default: 'logistic' },
    rounds: { type: 'string', default: '3' },
    warmups: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const threads = Number(values.threads);
const sgd = values.anchor === 'sgd';

const files = await linearLearnerCsv({
  trainRows: Number(values['train-rows']),
  testRows: Number(values['test-rows']),
});
const root = await createContractRoot({
  hyperparameters: {
    predictor_type: 'binary_classifier',
    feature_dim: String(LINEAR_FEATURES.length),
    num_models: values['num-models'],
    epochs: values.epochs,
    mini_batch_size: values['mini-batch-size'],
  },
  channels: { train: { file: files.train, contentType: 'text/csv' } },
});
const anchorModel = join(root, 'sklearn-model');
const anchorArgs = ['--data', files.train, '--model-dir', anchorModel];
anchorArgs.push('--estimator', sgd ? 'sgd' : 'logistic', '--epochs', values.epochs);
try {
  const [plinth, anchor] = await alternate(
    [
      () => runPlinthTraining('linear-learner-train', root),
      () => runAnchor('linear_learner.py', anchorArgs, threads),
    ],
    { warmups: Number(values.warmups), rounds: Number(values.rounds) },
  );
  const plinthQuality = await heldOutQuality(join(root, 'model'), files.test);
  const anchorQuality = await heldOutQuality(anchorModel, files.test);
  const figures = (q: HeldOutQuality): string[] => [q.accuracy.toFixed(4), q.auc.toFixed(4)];
  const anchorName = sgd ? 'scikit-learn SGDClassifier' : 'scikit-learn LogisticRegression';
  console.log(
    `\nlinear-learner: binary classification, late (arrival delay > ${LATE_MINUTES} min) or not, ${values['train-rows']} train rows x ${LINEAR_FEATURES.length} features, ${plinthQuality.rows} held-out rows (${(100 * majorityShare(plinthQuality)).toFixed(1)}% are not late); medians of ${values.rounds} alternating runs after ${values.warmups} warm-up(s). Threads: scikit-learn ${threads} (OpenMP and BLAS pinned); Plinth up to ${availableParallelism()} (the cores it sees). Plinth: num_models=${values['num-models']}, epochs=${values.epochs} (early stopping on), mini_batch_size=${values['mini-batch-size']}, other hyperparameters default (adam, normalize_data). ${anchorName}: standardized features, ${sgd ? 'log loss' : 'lbfgs, C=1'}, ${medianOf(anchor!, (r) => r.iterations)} iterations. Accuracy and AUC: both models scored by the same code on the held-out rows.`,
  );
  console.log(
    comparisonReport(['held-out accuracy', 'held-out AUC'], {
      plinth: {
        name: 'Plinth linear-learner-train',
        runs: plinth!,
        quality: figures(plinthQuality),
      },
      anchor: { name: anchorName, runs: anchor!, quality: figures(anchorQuality) },
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}

/** The share of the majority class, what always predicting it would score. */
function majorityShare(q: HeldOutQuality): number {
  return Math.max(q.positives, q.rows - q.positives) / q.rows;
}
