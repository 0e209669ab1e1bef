import { cachedCsvFiles } from './csv-cache.js';
import { readFlights } from './flights.js';

/** The k-means benchmark's features, in CSV column order. */
export const KMEANS_FEATURES = ['delay', 'distance', 'hour'] as const;

/**
 * The first `rows` shuffled flights as headerless CSV without a label column: arrival delay,
 * distance and departure hour, each standardized (z-score over these rows) so that no feature
 * dominates the distances by its unit alone. Returns the cached file's path.
 */
export async function kmeansCsv(rows: number): Promise<string> {
  const [path] = await cachedCsvFiles([`kmeans-${rows}.csv`], async () => {
    const flights = await readFlights();
    if (rows > flights.rows) throw new RangeError(`--rows must be at most ${flights.rows}`);
    const columns = [flights.delay, flights.distance, flights.hour].map((c) =>
      standardize(c.subarray(0, rows)),
    );
    return [
      {
        name: `kmeans-${rows}.csv`,
        rows,
        line: (i) => columns.map((c) => c[i]!.toFixed(4)).join(','),
      },
    ];
  });
  return path!;
}

function standardize(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    squares += values[i]! * values[i]!;
  }
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(squares / n - mean * mean, 0)) || 1;
  return Float64Array.from(values, (v) => (v - mean) / sd);
}
