import { median } from './processes.js';

/** How many times each side runs: discarded warm-ups, then measured rounds. */
export interface Rounds {
  readonly warmups: number;
  readonly rounds: number;
}

/** One measured run of one side. */
export interface SideRun {
  /** Spawn to exit, measured from Node. */
  readonly wallMs: number;
  /** Around the fit only, measured inside the process, when the side reports it. */
  readonly fitMs?: number;
  readonly iterations?: number;
}

/**
 * Runs every side `warmups` times, then `rounds` times, alternating sides within each round so
 * that the machine's drift in load hits them alike. Returns each side's measured runs.
 */
export async function alternate(
  sides: readonly (() => Promise<SideRun>)[],
  counts: Rounds,
): Promise<SideRun[][]> {
  for (let i = 0; i < counts.warmups; i++) for (const run of sides) await run();
  const results = sides.map(() => [] as SideRun[]);
  for (let round = 0; round < counts.rounds; round++)
    for (const [i, run] of sides.entries()) results[i]!.push(await run());
  return results;
}

/** The median of a figure over runs, or undefined when the side does not report it. */
export function medianOf(
  runs: readonly SideRun[],
  figure: (run: SideRun) => number | undefined,
): number | undefined {
  const found = runs.map(figure).filter((v): v is number => v !== undefined);
  return found.length > 0 ? median(found) : undefined;
}
