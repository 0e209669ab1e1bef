// Plinth's built-in XGBoost training program against the xgboost library itself (1.7,
// tree_method='hist'), side by side on the same CSV of real flights (late or not, from departure
// hour, weekday, month, day of month and distance, as plain numbers) with the same
// hyperparameters; runs alternate after a warm-up; medians, ratios and held-out AUC of both
// sides' models, both loaded and scored by the python xgboost library on the same rows.
// Usage: npm run bench:xgboost -- [--train-rows 2500000] [--test-rows 500000] [--num-round 100]
//        [--max-depth 6] [--eta 0.3] [--max-bin 256] [--rounds 3]
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createContractRoot, runPlinthTraining } from './src/plinth-job.js';
import { runAnchor } from './src/python.js';
import { comparisonReport } from './src/report.js';
import { alternate } from './src/side-by-side.js';
import { LATE_MINUTES } from './src/linear-learner-data.js';
import { XGBOOST_FEATURES, xgboostCsv } from './src/xgboost-data.js';
import { type Unloadable, type XGBoostQuality, xgboostHeldOut } from './src/xgboost-quality.js';

const { values } = parseArgs({
  options: {
    'train-rows': { type: 'string', default: '2500000' },
    'test-rows': { type: 'string', default: '500000' },
    'num-round': { type: 'string', default: '100' },
    'max-depth': { type: 'string', default: '6' },
    eta: { type: 'string', default: '0.3' },
    'max-bin': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '3' },
    warmups: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const threads = Number(values.threads);
const objective = 'binary:logistic';

const files = await xgboostCsv({
  trainRows: Number(values['train-rows']),
  testRows: Number(values['test-rows']),
});
const root = await createContractRoot({
  hyperparameters: {
    num_round: values['num-round'],
    max_depth: values['max-depth'],
    eta: values.eta,
    objective,
    max_bin: values['max-bin'],
    tree_method: 'hist',
    nthread: String(threads),
  },
  channels: { train: { file: files.train, contentType: 'text/csv' } },
});
const anchorOut = join(root, 'xgboost');
const anchorArgs = ['--train', files.train, '--out', anchorOut, '--objective', objective];
for (const name of ['num-round', 'max-depth', 'eta', 'max-bin'] as const)
  anchorArgs.push(`--${name}`, values[name]);
try {
  const [plinth, anchor] = await alternate(
    [
      () => runPlinthTraining('xgboost-train', root),
      () => runAnchor('xgboost_hist.py', anchorArgs, threads),
    ],
    { warmups: Number(values.warmups), rounds: Number(values.rounds) },
  );
  const heldOut = await xgboostHeldOut(
    files.test,
    [join(root, 'model/xgboost-model'), join(anchorOut, 'xgboost-model.json')],
    threads,
  );
  const [plinthQuality, anchorQuality] = heldOut.models;
  const anchorAuc = anchorQuality && 'auc' in anchorQuality ? anchorQuality.auc : NaN;
  const figures = (q: XGBoostQuality | Unloadable | undefined): string[] =>
    q && 'auc' in q
      ? [
          q.auc.toFixed(4),
          (q.auc - anchorAuc).toFixed(4),
          q.accuracy.toFixed(4),
          q.logloss.toFixed(4),
        ]
      : ['-', '-', '-', '-'];
  console.log(
    `\nXGBoost: binary:logistic, late (arrival delay > ${LATE_MINUTES} min) or not, ${values['train-rows']} train rows x ${XGBOOST_FEATURES.length} features (${XGBOOST_FEATURES.join(', ')}), ${heldOut.rows} held-out rows (${((100 * heldOut.positives) / heldOut.rows).toFixed(1)}% late); num_round=${values['num-round']}, max_depth=${values['max-depth']}, eta=${values.eta}, max_bin=${values['max-bin']}, tree_method=hist on both sides, other hyperparameters default; medians of ${values.rounds} alternating runs after ${values.warmups} warm-up(s). Threads: xgboost ${threads} (nthread); Plinth nthread=${threads}, up to ${availableParallelism()} cores seen. xgboost: tree_method='hist', reading the same CSV with its own loader. AUC, accuracy (p > 0.5) and log loss: both models loaded and scored by the python xgboost library on the held-out rows, AUC by scikit-learn.`,
  );
  console.log(
    comparisonReport(['held-out AUC', 'AUC - anchor', 'held-out accuracy', 'log loss'], {
      plinth: { name: 'Plinth xgboost-train', runs: plinth!, quality: figures(plinthQuality) },
      anchor: { name: 'xgboost 1.7 hist', runs: anchor!, quality: figures(anchorQuality) },
    }),
  );
  for (const [i, q] of heldOut.models.entries())
    if ('error' in q)
      console.log(
        `\n${i === 0 ? "Plinth's" : "xgboost's"} model did not load in xgboost: ${q.error}`,
      );
} finally {
  await rm(root, { recursive: true, force: true });
}
