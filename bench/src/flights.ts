// vega-datasets' flights-3m (3M US flights, January to June 2001) decoded into typed columns,
// in a fixed shuffled order: the file is sorted by time, and a streaming learner fed it in that
// order would see only midnight flights in its first batch.
import { createRandom } from '@plinth/algorithms/common/random';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { resolve } from 'node:path';
import { ROOT } from './processes.js';

/** The parquet file. */
export const FLIGHTS_FILE = resolve(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');

const SHUFFLE_SEED = 20010101;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Numeric columns of the flights, one entry per flight; times are local wall-clock times. */
export interface Flights {
  readonly rows: number;
  /** Arrival delay in minutes (negative: early). */
  readonly delay: Float64Array;
  /** Miles. */
  readonly distance: Float64Array;
  /** Scheduled departure hour, 0-23. */
  readonly hour: Uint8Array;
  /** 0 = Sunday. */
  readonly weekday: Uint8Array;
  /** 0 = January. */
  readonly month: Uint8Array;
  /** Day of the month, 1-31. */
  readonly day: Uint8Array;
}

/** Reads the flights (a few seconds) and returns them shuffled with a fixed seed. */
export async function readFlights(): Promise<Flights> {
  const file = await asyncBufferFromFile(FLIGHTS_FILE);
  const rows = Number((await parquetMetadataAsync(file)).num_rows);
  const raw = {
    date: new Float64Array(rows),
    delay: new Float64Array(rows),
    distance: new Float64Array(rows),
  };
  await parquetRead({
    file,
    compressors,
    columns: Object.keys(raw),
    // Timestamps as epoch milliseconds; the file stores local times as if they were UTC.
    parsers: { timestampFromMicroseconds: (micros: bigint) => Number(micros / 1000n) },
    onChunk: ({ columnName, columnData, rowStart }) => {
      const into = raw[columnName as keyof typeof raw];
      const values = columnData as ArrayLike<number | bigint>;
      for (let i = 0; i < values.length; i++) into[rowStart + i] = Number(values[i]);
    },
  });
  // Calendar fields in file order, where consecutive flights share a day; then shuffle.
  const calendar = {
    hour: new Uint8Array(rows),
    weekday: new Uint8Array(rows),
    month: new Uint8Array(rows),
    day: new Uint8Array(rows),
  };
  let date = new Date(0);
  for (let i = 0; i < rows; i++) {
    const ms = raw.date[i]!;
    const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
    if (dayStart !== date.getTime()) date = new Date(dayStart);
    calendar.hour[i] = Math.floor((ms - dayStart) / HOUR_MS);
    calendar.weekday[i] = date.getUTCDay();
    calendar.month[i] = date.getUTCMonth();
    calendar.day[i] = date.getUTCDate();
  }
  const order = shuffledOrder(rows);
  const flights: Flights = {
    rows,
    delay: new Float64Array(rows),
    distance: new Float64Array(rows),
    hour: new Uint8Array(rows),
    weekday: new Uint8Array(rows),
    month: new Uint8Array(rows),
    day: new Uint8Array(rows),
  };
  for (let i = 0; i < rows; i++) {
    const from = order[i]!;
    flights.delay[i] = raw.delay[from]!;
    flights.distance[i] = raw.distance[from]!;
    flights.hour[i] = calendar.hour[from]!;
    flights.weekday[i] = calendar.weekday[from]!;
    flights.month[i] = calendar.month[from]!;
    flights.day[i] = calendar.day[from]!;
  }
  return flights;
}

/** A seeded uniform permutation of 0..rows-1 (Fisher-Yates). */
function shuffledOrder(rows: number): Int32Array {
  const random = createRandom(SHUFFLE_SEED);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
