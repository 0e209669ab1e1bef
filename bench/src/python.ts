import type { SideRun } from './side-by-side.js';
import { runTimed } from './timed-run.js';

/**
 * Debian's interpreter, which has scikit-learn 1.2 and numpy; another python3 may come first on
 * PATH without them.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/**
 * Runs a bench/python script with Debian's interpreter, its native thread pools (OpenMP, BLAS)
 * pinned to `threads`; its wall time, and the fit time and iterations from the JSON line it
 * prints last.
 */
export async function runAnchor(
  script: string,
  args: readonly string[],
  threads: number,
): Promise<SideRun> {
  const pinned = String(threads);
  const { ms, stdout } = await runTimed(
    DEBIAN_PYTHON,
    [`bench/python/${script}`, ...args, '--threads', pinned],
    {
      OMP_NUM_THREADS: pinned,
      OPENBLAS_NUM_THREADS: pinned,
      MKL_NUM_THREADS: pinned,
    },
  );
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    fit_seconds: number;
    iterations: number;
  };
  return { wallMs: ms, fitMs: report.fit_seconds * 1000, iterations: report.iterations };
}
