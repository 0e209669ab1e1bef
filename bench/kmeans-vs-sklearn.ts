// Plinth's built-in k-means training program against scikit-learn's KMeans, side by side on the
// same CSV of real flights (arrival delay, distance, departure hour; standardized), the same k
// and the same init kind; runs alternate after a warm-up; medians, ratios and the inertia of
// both sides' centers, computed by the same code over the same rows.
// Usage: npm run bench:kmeans -- [--rows 1000000] [--k 10] [--rounds 3] [--init kmeans++]
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KMEANS_FEATURES, kmeansCsv } from './src/kmeans-data.js';
import { kmeansInertia } from './src/kmeans-inertia.js';
import { createContractRoot, runPlinthTraining } from './src/plinth-job.js';
import { runAnchor } from './src/python.js';
import { comparisonReport } from './src/report.js';
import { alternate, medianOf } from './src/side-by-side.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    k: { type: 'string', default: '10' },
    init: { type: 'string', default: 'kmeans++' },
    epochs: { type: 'string', default: '1' },
    'mini-batch-size': { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    warmups: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const threads = Number(values.threads);
const init = values.init === 'random' ? 'random' : 'kmeans++';

const csv = await kmeansCsv(Number(values.rows));
const root = await createContractRoot({
  hyperparameters: {
    k: values.k,
    feature_dim: String(KMEANS_FEATURES.length),
    init_method: init,
    epochs: values.epochs,
    mini_batch_size: values['mini-batch-size'],
  },
  channels: { train: { file: csv, contentType: 'text/csv;label_size=0' } },
});
const anchorModel = join(root, 'sklearn-model');
// Plinth seeds its streaming centers from the data once (its restarts run on the small
// summary of those centers), so scikit-learn initializes once too.
const anchorArgs = ['--data', csv, '--model-dir', anchorModel, '--k', values.k, '--n-init', '1'];
anchorArgs.push('--init', init === 'random' ? 'random' : 'k-means++');
try {
  const [plinth, anchor] = await alternate(
    [
      () => runPlinthTraining('kmeans-train', root),
      () => runAnchor('kmeans.py', anchorArgs, threads),
    ],
    { warmups: Number(values.warmups), rounds: Number(values.rounds) },
  );
  const plinthInertia = await kmeansInertia(join(root, 'model'), csv);
  const anchorInertia = await kmeansInertia(anchorModel, csv);
  console.log(
    `\nk-means: ${values.rows} rows x ${KMEANS_FEATURES.length} features (${KMEANS_FEATURES.join(', ')}; standardized), k=${values.k}, init ${init}; medians of ${values.rounds} alternating runs after ${values.warmups} warm-up(s). Threads: scikit-learn ${threads} (OpenMP and BLAS pinned); Plinth up to ${availableParallelism()} (the cores it sees). Plinth: epochs=${values.epochs}, mini_batch_size=${values['mini-batch-size']}. scikit-learn: Lloyd, n_init=1, ${medianOf(anchor!, (r) => r.iterations)} iterations. Inertia: both sides' centers scored by the same code over all rows.`,
  );
  console.log(
    comparisonReport(['inertia', 'inertia vs anchor'], {
      plinth: {
        name: 'Plinth kmeans-train',
        runs: plinth!,
        quality: [plinthInertia.toFixed(0), (plinthInertia / anchorInertia).toFixed(4)],
      },
      anchor: {
        name: 'scikit-learn KMeans',
        runs: anchor!,
        quality: [anchorInertia.toFixed(0), '1.0000'],
      },
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
