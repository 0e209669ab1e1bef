import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAnchor } from './python.js';
import type { SideRun } from './side-by-side.js';

/** A measured anchor run and the figures its script wrote beside its output. */
export interface ReportedRun<T> extends SideRun {
  readonly report: T;
}

/**
 * {@link runAnchor} for scripts that measure more than their fit (e.g. query or scoring time):
 * the script gets `--out <dir>` and writes those figures to `<dir>/report.json`, read back here
 * after each run.
 */
export async function runAnchorWithReport<T>(
  script: string,
  args: readonly string[],
  run: { threads: number; out: string },
): Promise<ReportedRun<T>> {
  const side = await runAnchor(script, [...args, '--out', run.out], run.threads);
  const report = JSON.parse(await readFile(join(run.out, 'report.json'), 'utf8')) as T;
  return { ...side, report };
}
