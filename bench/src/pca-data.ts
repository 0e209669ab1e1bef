import { columnScales, zScoreLine } from './column-scales.js';
import { cachedCsvFiles } from './csv-cache.js';
import { readFlights } from './flights.js';
import { LINEAR_FEATURES } from './linear-learner-data.js';

/** The PCA benchmark's columns: the linear-learner benchmark's 40 features, standardized. */
export const PCA_FEATURES = LINEAR_FEATURES;

/**
 * The first `rows` shuffled flights as headerless, label-free CSV (`text/csv;label_size=0`): the
 * linear-learner benchmark's features (distance, day of month, one-hot departure hour, weekday
 * and month), each standardized over these rows, so that distance in miles does not take the
 * first component on its unit alone. Returns the cached file's path.
 */
export async function pcaCsv(rows: number): Promise<string> {
  const name = `pca-${rows}.csv`;
  const [path] = await cachedCsvFiles([name], async () => {
    const flights = await readFlights();
    if (rows > flights.rows) throw new RangeError(`--rows must be at most ${flights.rows}`);
    const oneHot = (count: number, of: Uint8Array): Uint8Array[] =>
      Array.from({ length: count }, (_, c) =>
        Uint8Array.from(of.subarray(0, rows), (v) => (v === c ? 1 : 0)),
      );
    const columns: ArrayLike<number>[] = [
      flights.distance.subarray(0, rows),
      flights.day.subarray(0, rows),
      ...oneHot(24, flights.hour),
      ...oneHot(7, flights.weekday),
      ...oneHot(7, flights.month),
    ];
    if (columns.length !== PCA_FEATURES.length) throw new Error('PCA columns out of step');
    const scales = columnScales(columns, rows);
    return [{ name, rows, line: (i) => zScoreLine(columns, scales, i) }];
  });
  return path!;
}
