import { cachedCsvFiles } from './csv-cache.js';
import { type Flights, readFlights } from './flights.js';
import { LATE_MINUTES } from './linear-learner-data.js';

/** The XGBoost benchmark's features after the label column: plain numbers, not one-hot. */
export const XGBOOST_FEATURES = [
  'departure hour',
  'weekday',
  'month',
  'day of month',
  'distance',
] as const;

/** The train and held-out CSV files of one size. */
export interface XGBoostFiles {
  readonly train: string;
  readonly test: string;
}

/**
 * Binary classification data from the shuffled flights as headerless CSV, label first
 * (SageMaker's convention): late (arrival delay > 15 min) or not, from departure hour, weekday
 * (0 = Sunday), month (0 = January), day of month and distance in miles. The first `trainRows`
 * flights train, the next `testRows` are held out. Returns the cached files' paths.
 */
export async function xgboostCsv(sizes: {
  trainRows: number;
  testRows: number;
}): Promise<XGBoostFiles> {
  const { trainRows, testRows } = sizes;
  const names = [`xgboost-train-${trainRows}.csv`, `xgboost-test-${trainRows}-${testRows}.csv`];
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

function line(f: Flights, i: number): string {
  const late = f.delay[i]! > LATE_MINUTES ? 1 : 0;
  return `${late},${f.hour[i]},${f.weekday[i]},${f.month[i]},${f.day[i]},${f.distance[i]}`;
}
