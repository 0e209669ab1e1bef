// Benchmark data is converted once to headerless CSV under bench/.data (gitignored), so that
// Plinth and its anchor read the very same files and later runs skip the conversion.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from './processes.js';

/** Where converted benchmark data is cached. */
export const DATA_DIR = resolve(ROOT, 'bench/.data');

/** A CSV file to write: `rows` lines, line `i` given by `line(i)` (without its newline). */
export interface CsvSpec {
  readonly name: string;
  readonly rows: number;
  line(i: number): string;
}

/**
 * The paths of CSV files under {@link DATA_DIR}, in the order of `names`. When any is missing,
 * `make` describes all of them and they are written, each to a temporary name first so that a
 * run interrupted midway never leaves a truncated file behind.
 */
export async function cachedCsvFiles(
  names: readonly string[],
  make: () => Promise<readonly CsvSpec[]>,
): Promise<string[]> {
  const paths = names.map((name) => resolve(DATA_DIR, name));
  if (paths.every((path) => existsSync(path))) return paths;
  mkdirSync(DATA_DIR, { recursive: true });
  for (const spec of await make()) {
    const path = resolve(DATA_DIR, spec.name);
    const partial = `${path}.${process.pid}.partial`;
    const fd = openSync(partial, 'w');
    try {
      let text = '';
      for (let i = 0; i < spec.rows; i++) {
        text += `${spec.line(i)}\n`;
        if (text.length > 1 << 20) {
          writeSync(fd, text);
          text = '';
        }
      }
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, path);
  }
  return paths;
}
