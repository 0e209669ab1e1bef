// Plinth's built-in PCA training program against scikit-learn's PCA, side by side on the same
// CSV of real flights (the linear-learner benchmark's 40 features, standardized), the same number
// of components, in both modes: Plinth's regular mode against the full SVD, its randomized mode
// against scikit-learn's randomized solver. Runs alternate after a warm-up; medians, ratios and
// the explained variance of both sides' components, computed by the same code over the same rows.
// Usage: npm run bench:pca -- [--rows 1000000] [--components 10] [--modes regular,randomized]
//        [--mini-batch-size 5000] [--rounds 3]
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PCA_FEATURES, pcaCsv } from './src/pca-data.js';
import { anchorComponents, plinthComponents } from './src/pca-model.js';
import { type ExplainedVariance, explainedVariance } from './src/pca-quality.js';
import { createContractRoot, runPlinthTraining } from './src/plinth-job.js';
import { runAnchor } from './src/python.js';
import { comparisonReport } from './src/report.js';
import { alternate } from './src/side-by-side.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    components: { type: 'string', default: '10' },
    modes: { type: 'string', default: 'regular,randomized' },
    'mini-batch-size': { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    warmups: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const threads = Number(values.threads);
const counts = { warmups: Number(values.warmups), rounds: Number(values.rounds) };
/** Plinth's algorithm_mode and the scikit-learn svd_solver doing the same kind of work. */
const SOLVERS = { regular: 'full', randomized: 'randomized' } as const;
const modes = values.modes.split(',').map((mode) => {
  if (mode !== 'regular' && mode !== 'randomized')
    throw new RangeError(`--modes takes regular and/or randomized, got '${mode}'`);
  return mode;
});

const csv = await pcaCsv(Number(values.rows));
console.log(
  `\nPCA: ${values.rows} rows x ${PCA_FEATURES.length} features (flights: distance, day of month, one-hot departure hour, weekday and month; each standardized), num_components=${values.components}; medians of ${counts.rounds} alternating runs after ${counts.warmups} warm-up(s). Threads: scikit-learn ${threads} (OpenMP and BLAS pinned); Plinth up to ${availableParallelism()} (the cores it sees). Plinth: subtract_mean=true, mini_batch_size=${values['mini-batch-size']}, extra_components default (-1). scikit-learn: float32 input, svd_solver as named, random_state=0. Explained variance: the share of the rows' variance (about their mean) in the span of each side's components, computed by the same code over the same rows.`,
);
for (const [i, mode] of modes.entries()) {
  const solver = SOLVERS[mode];
  const root = await createContractRoot({
    hyperparameters: {
      feature_dim: String(PCA_FEATURES.length),
      num_components: values.components,
      mini_batch_size: values['mini-batch-size'],
      algorithm_mode: mode,
    },
    channels: { train: { file: csv, contentType: 'text/csv;label_size=0' } },
  });
  const anchorOut = join(root, 'sklearn');
  const anchorArgs = ['--data', csv, '--out', anchorOut, '--components', values.components];
  anchorArgs.push('--solver', solver);
  try {
    const [plinth, anchor] = await alternate(
      [() => runPlinthTraining('pca-train', root), () => runAnchor('pca.py', anchorArgs, threads)],
      counts,
    );
    const plinthVariance = await explainedVariance(
      await plinthComponents(join(root, 'model')),
      csv,
    );
    const anchorVariance = await explainedVariance(await anchorComponents(anchorOut), csv);
    const figures = (v: ExplainedVariance): string[] => [
      v.ratio.toFixed(6),
      (v.ratio / anchorVariance.ratio).toFixed(6),
      v.first.toFixed(4),
      String(v.components),
    ];
    console.log(
      `\n### ${i + 1}. Plinth algorithm_mode=${mode} vs scikit-learn svd_solver='${solver}'\n`,
    );
    console.log(
      comparisonReport(
        ['explained variance', 'explained variance vs anchor', 'first component', 'components'],
        {
          plinth: {
            name: `Plinth pca-train (${mode})`,
            runs: plinth!,
            quality: figures(plinthVariance),
          },
          anchor: {
            name: `scikit-learn PCA (${solver})`,
            runs: anchor!,
            quality: figures(anchorVariance),
          },
        },
      ),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
