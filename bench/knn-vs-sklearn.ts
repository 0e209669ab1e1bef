// Plinth's built-in k-NN against scikit-learn's NearestNeighbors, side by side on real flights
// (6 standardized features). A user's work is building the index (a training job) and querying
// it (an endpoint), so Plinth's side is knn-train on the reference rows, then knn-serve answering
// every query over HTTP (verbose JSON: the neighbours' labels, here their row ids); scikit-learn's
// is one process reading the same CSVs, fitting and calling kneighbors. Sides alternate after a
// warm-up; medians; recall@k of every side's neighbours against the exact (brute-force) answer,
// computed by the same code.
// Usage: npm run bench:knn -- [--reference-rows 500000] [--query-rows 10000] [--k 10]
//        [--indexes faiss.Flat,faiss.IVFFlat,faiss.IVFPQ] [--anchors brute,auto]
//        [--nlists auto] [--pq-m 3] [--batch 1000] [--concurrency 2] [--rounds 3]
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runAnchorWithReport } from './src/anchor-report.js';
import { readInt32File } from './src/binary-file.js';
import { DATA_DIR } from './src/csv-cache.js';
import { KNN_FEATURES, knnCsv } from './src/knn-data.js';
import { servedNeighbors } from './src/knn-queries.js';
import { RECALL_EPSILON, readKnnTruth } from './src/knn-recall.js';
import { type KnnRun, knnReport } from './src/knn-report.js';
import { createContractRoot, runPlinthTraining } from './src/plinth-job.js';
import { alternate } from './src/side-by-side.js';

const { values } = parseArgs({
  options: {
    'reference-rows': { type: 'string', default: '500000' },
    'query-rows': { type: 'string', default: '10000' },
    k: { type: 'string', default: '10' },
    indexes: { type: 'string', default: 'faiss.Flat,faiss.IVFFlat,faiss.IVFPQ' },
    anchors: { type: 'string', default: 'brute,auto' },
    nlists: { type: 'string', default: 'auto' },
    'pq-m': { type: 'string', default: '3' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    warmups: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const threads = Number(values.threads);
const k = Number(values.k);
const plan = { k, batch: Number(values.batch), concurrency: Number(values.concurrency) };
const counts = { warmups: Number(values.warmups), rounds: Number(values.rounds) };
// Brute force always runs: its answer is the exact one every side's recall is measured against.
const anchors = new Set(['brute', ...values.anchors.split(',')]);
for (const a of anchors)
  if (a !== 'brute' && a !== 'auto')
    throw new RangeError(`--anchors takes brute and/or auto, got '${a}'`);

/** A side as the benchmark runs it; `runs` collects every run, warm-ups first. */
interface Side {
  readonly name: string;
  readonly index: string;
  readonly runs: KnnRun[];
  run(): Promise<KnnRun>;
}

const files = await knnCsv({
  referenceRows: Number(values['reference-rows']),
  queryRows: Number(values['query-rows']),
});
const dirs: string[] = [];
const sides: Side[] = [];
for (const index of values.indexes.split(',')) {
  const hyperparameters: Record<string, string> = {
    feature_dim: String(KNN_FEATURES.length),
    k: values.k,
    predictor_type: 'regressor',
    sample_size: values['reference-rows'],
    index_type: index,
  };
  if (index !== 'faiss.Flat') hyperparameters.faiss_index_ivf_nlists = values.nlists;
  if (index === 'faiss.IVFPQ') hyperparameters.faiss_index_pq_m = values['pq-m'];
  const root = await createContractRoot({
    hyperparameters,
    channels: { train: { file: files.reference, contentType: 'text/csv' } },
  });
  dirs.push(root);
  sides.push({
    name: 'Plinth knn-train + knn-serve',
    index,
    runs: [],
    run: async () => {
      const build = await runPlinthTraining('knn-train', root);
      const served = await servedNeighbors(join(root, 'model'), files.queries, plan);
      return { buildMs: build.wallMs, ...served };
    },
  });
}
const anchorDir = await mkdtemp(join(DATA_DIR, 'knn-'));
dirs.push(anchorDir);
for (const algorithm of anchors) {
  const out = join(anchorDir, algorithm);
  const args = ['--reference', files.reference, '--queries', files.queries, '--k', values.k];
  args.push('--algorithm', algorithm);
  sides.push({
    name: 'scikit-learn NearestNeighbors',
    index: algorithm,
    runs: [],
    run: async () => {
      const run = await runAnchorWithReport<{ query_seconds: number; method: string }>(
        'knn.py',
        args,
        { threads, out },
      );
      const queryMs = run.report.query_seconds * 1000;
      const ids = await readInt32File(join(out, 'neighbors.i32'));
      return {
        buildMs: run.wallMs - queryMs,
        fitMs: run.fitMs!,
        queryMs,
        ids,
        method: run.report.method,
      };
    },
  });
}

try {
  await alternate(
    sides.map((side) => async () => {
      const run = await side.run();
      side.runs.push(run);
      return { wallMs: run.buildMs + run.queryMs };
    }),
    counts,
  );
  const measured = sides.map((s) => ({ ...s, runs: s.runs.slice(counts.warmups) }));
  const truth = await readKnnTruth(files);
  console.log(
    `\nk-NN: ${values['reference-rows']} reference rows x ${KNN_FEATURES.length} features (flights: ${KNN_FEATURES.join(', ')}; standardized by the reference rows), ${truth.queryRows} query rows (other flights), k=${k}, Euclidean (L2); medians of ${counts.rounds} alternating runs after ${counts.warmups} warm-up(s). Threads: scikit-learn ${threads} (n_jobs; OpenMP and BLAS pinned); Plinth up to ${availableParallelism()} (the cores it sees). Plinth: predictor_type=regressor with each reference row's id as its label, sample_size=${values['reference-rows']} (every row indexed), faiss_index_ivf_nlists=${values.nlists}, faiss_index_pq_m=${values['pq-m']}; build = knn-train, spawn to exit; queries = ${plan.batch} CSV rows per POST /invocations, ${plan.concurrency} in flight, Accept application/json; verbose=true, to a warm knn-serve on loopback (its start-up, loading the index, shown apart and not counted). scikit-learn: one process, float32; build = its process until kneighbors (start-up, reading both CSVs, fit); queries = kneighbors. recall@${k}: a neighbour counts when its distance is within ${RECALL_EPSILON} of the exact ${k}th-nearest distance (scikit-learn brute's answer, distances recomputed in float64), by the same code for every side.\n`,
  );
  console.log(knnReport(measured, truth, k));
} finally {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
