import { cachedCsvFiles } from './csv-cache.js';
import { type Flights, readFlights } from './flights.js';

/** A flight is "late" (label 1) when it arrives more than this many minutes late. */
export const LATE_MINUTES = 15;

/** The linear-learner benchmark's features after the label column. */
export const LINEAR_FEATURES = [
  'distance',
  'day of month',
  ...Array.from({ length: 24 }, (_, h) => `hour=${h}`),
  ...Array.from({ length: 7 }, (_, d) => `weekday=${d}`),
  ...Array.from({ length: 7 }, (_, m) => `month=${m + 1}`),
];

/** The train and held-out CSV files of one size. */
export interface LinearLearnerFiles {
  train: string;
  test: string;
}

/**
 * Binary classification data from the shuffled flights, as headerless CSV with the label in the
 * first column (SageMaker's convention): late (arrival delay > 15 min) or not, from distance,
 * day of month and one-hot departure hour, weekday and month (January to July 1). The first `trainRows` flights
 * train, the next `testRows` are held out. Returns the cached files' paths.
 */
export async function linearLearnerCsv(sizes: {
  trainRows: number;
  testRows: number;
}): Promise<LinearLearnerFiles> {
  const { trainRows, testRows } = sizes;
  const names = [`linear-train-${trainRows}.csv`, `linear-test-${trainRows}-${testRows}.csv`];
  const [train, test] = await cachedCsvFiles(names, async () => {
    const flights = await readFlights();
    if (trainRows + testRows > flights.rows)
      throw new RangeError(`train and held-out rows must add up to at most ${flights.rows}`);
    return [
      { name: names[0]!, rows: trainRows, line: (i) => line(flights, i) },
      { name: names[1]!, rows: testRows, line: (i) => line(flights, trainRows + i) },
    ];
  });
  return { train: train!, test: test! };
}

/**
 * Features-only CSV (no label column: what a transform job or an endpoint is sent) for `rows`
 * flights starting after the first `offset`, split into `parts` files of nearly equal row counts.
 * Returns the cached files' paths and their row counts, in order.
 */
export async function linearFeatureCsvParts(spec: {
  offset: number;
  rows: number;
  parts: number;
}): Promise<{ path: string; rows: number }[]> {
  const { offset, rows, parts } = spec;
  const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.floor((k * rows) / parts));
  const names = bounds
    .slice(1)
    .map((_, k) => `linear-features-${offset}-${rows}-part-${k + 1}-of-${parts}.csv`);
  const paths = await cachedCsvFiles(names, async () => {
    const flights = await readFlights();
    if (offset + rows > flights.rows)
      throw new RangeError(`offset and rows must add up to at most ${flights.rows}`);
    return names.map((name, k) => ({
      name,
      rows: bounds[k + 1]! - bounds[k]!,
      line: (i: number) => {
        const labelled = line(flights, offset + bounds[k]! + i);
        return labelled.slice(labelled.indexOf(',') + 1);
      },
    }));
  });
  return paths.map((path, k) => ({ path, rows: bounds[k + 1]! - bounds[k]! }));
}

function line(f: Flights, i: number): string {
  const cells = new Array<number>(1 + LINEAR_FEATURES.length).fill(0);
  cells[0] = f.delay[i]! > LATE_MINUTES ? 1 : 0;
  cells[1] = f.distance[i]!;
  cells[2] = f.day[i]!;
  cells[3 + f.hour[i]!] = 1;
  cells[3 + 24 + f.weekday[i]!] = 1;
  cells[3 + 24 + 7 + f.month[i]!] = 1;
  return cells.join(',');
}
