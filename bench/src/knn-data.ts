import { columnScales, zScoreLine } from './column-scales.js';
import { cachedCsvFiles } from './csv-cache.js';
import { readFlights } from './flights.js';

/** The k-NN benchmark's features, in CSV column order (after the id column of the reference). */
export const KNN_FEATURES = [
  'arrival delay',
  'distance',
  'departure hour',
  'weekday',
  'month',
  'day of month',
] as const;

/** The reference set to index and the queries to answer. */
export interface KnnFiles {
  /** Headerless CSV, first column the row's id (0, 1, ...; SageMaker's label column). */
  readonly reference: string;
  /** Headerless CSV of features only: what an endpoint is sent. */
  readonly queries: string;
}

/**
 * The first `referenceRows` shuffled flights (to index) and the next `queryRows` (queries), each
 * feature standardized with the reference rows' mean and deviation. The reference file's label
 * column is the row's number, so that a neighbour's label says which row it is: recall is then
 * measured on the very rows each side found. Returns the cached files' paths.
 */
export async function knnCsv(sizes: {
  referenceRows: number;
  queryRows: number;
}): Promise<KnnFiles> {
  const { referenceRows, queryRows } = sizes;
  const names = [
    `knn-reference-${referenceRows}.csv`,
    `knn-queries-${referenceRows}-${queryRows}.csv`,
  ];
  const [reference, queries] = await cachedCsvFiles(names, async () => {
    const f = await readFlights();
    if (referenceRows + queryRows > f.rows)
      throw new RangeError(`reference and query rows must add up to at most ${f.rows}`);
    const columns = [f.delay, f.distance, f.hour, f.weekday, f.month, f.day];
    const scales = columnScales(columns, referenceRows);
    return [
      {
        name: names[0]!,
        rows: referenceRows,
        line: (i) => `${i},${zScoreLine(columns, scales, i)}`,
      },
      {
        name: names[1]!,
        rows: queryRows,
        line: (i) => zScoreLine(columns, scales, referenceRows + i),
      },
    ];
  });
  return { reference: reference!, queries: queries! };
}
