import { markdownTable } from './markdown.js';
import { median } from './processes.js';
import { type KnnTruth, recallAtK } from './knn-recall.js';

/** One measured run of one k-NN side: index build, then every query. */
export interface KnnRun {
  /** Plinth: knn-train, spawn to exit; scikit-learn: its process up to kneighbors. */
  readonly buildMs: number;
  /** scikit-learn's fit alone, inside its process. */
  readonly fitMs?: number;
  readonly queryMs: number;
  /** Plinth: knn-serve's start (loading the index), not counted in the total. */
  readonly startMs?: number;
  /** k neighbour ids per query. */
  readonly ids: Int32Array;
  /** scikit-learn's index kind when it chose one itself (`auto`). */
  readonly method?: string;
}

/** A side's name, the index it builds, and its measured runs. */
export interface KnnSide {
  readonly name: string;
  readonly index: string;
  readonly runs: readonly KnnRun[];
}

/**
 * The two tables of the k-NN benchmark: exact search (Plinth's `faiss.Flat` and scikit-learn,
 * total time relative to scikit-learn's brute force) and recall@k against queries/s for every
 * Plinth index, with brute force for reference. Recall uses each side's last run's neighbours
 * against brute force's.
 */
export function knnReport(sides: readonly KnnSide[], truth: KnnTruth, k: number): string {
  const brute = sides.find((s) => s.index === 'brute');
  if (!brute) throw new Error('the exact answer (scikit-learn brute) is missing');
  const exact = brute.runs.at(-1)!.ids;
  const med = (side: KnnSide, figure: (r: KnnRun) => number | undefined): number | undefined => {
    const found = side.runs.map(figure).filter((v): v is number => v !== undefined);
    return found.length > 0 ? median(found) : undefined;
  };
  const seconds = (ms: number | undefined): string =>
    ms === undefined ? '-' : (ms / 1000).toFixed(2);
  const total = (s: KnnSide): number => med(s, (r) => r.buildMs + r.queryMs)!;
  const qps = (s: KnnSide): number => (truth.queryRows / med(s, (r) => r.queryMs)!) * 1000;
  const recall = (s: KnnSide): string =>
    recallAtK(truth, { exact, found: s.runs.at(-1)!.ids }, k).toFixed(4);
  const index = (s: KnnSide): string => {
    const method = s.runs.at(-1)?.method;
    return s.index === 'auto' && method ? `auto (${method})` : s.index;
  };
  const plinth = sides.filter((s) => s.name.startsWith('Plinth'));
  const flat = plinth.find((s) => s.index === 'faiss.Flat');
  const exactSides = sides.filter((s) => s === flat || !plinth.includes(s));
  const exactTable = markdownTable(
    [
      'side',
      'index',
      'build s',
      'fit s',
      'query s',
      'queries/s',
      `recall@${k}`,
      'total s',
      'total vs brute',
    ],
    exactSides.map((s) => [
      s.name,
      index(s),
      seconds(med(s, (r) => r.buildMs)),
      seconds(med(s, (r) => r.fitMs)),
      seconds(med(s, (r) => r.queryMs)),
      qps(s).toFixed(0),
      recall(s),
      seconds(total(s)),
      (total(s) / total(brute)).toFixed(2),
    ]),
  );
  const approximateTable = markdownTable(
    [
      'side',
      'index',
      'build s',
      'endpoint start s',
      'query s',
      'queries/s',
      `recall@${k}`,
      'queries/s vs Flat',
    ],
    [...plinth, brute].map((s) => [
      s.name,
      index(s),
      seconds(med(s, (r) => r.buildMs)),
      seconds(med(s, (r) => r.startMs)),
      seconds(med(s, (r) => r.queryMs)),
      qps(s).toFixed(0),
      recall(s),
      flat ? (qps(s) / qps(flat)).toFixed(2) : '-',
    ]),
  );
  return [
    `### 1. Exact search: index build and ${truth.queryRows} queries`,
    exactTable,
    `### 2. Approximate search: recall@${k} vs queries/s`,
    approximateTable,
  ].join('\n\n');
}
