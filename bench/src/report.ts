import { markdownTable } from './markdown.js';
import { type SideRun, medianOf } from './side-by-side.js';

/** One side's row: its name, measured runs and quality figures (already formatted). */
export interface SideReport {
  readonly name: string;
  readonly runs: readonly SideRun[];
  readonly quality: readonly string[];
}

/**
 * The comparison table (process and fit medians in seconds, quality figures, process time
 * relative to the anchor) and a closing line comparing Plinth's whole process with the anchor's
 * fit alone, Plinth's training program streaming its data as it trains.
 */
export function comparisonReport(
  qualityHeaders: readonly string[],
  sides: { plinth: SideReport; anchor: SideReport },
): string {
  const { plinth, anchor } = sides;
  const wall = (s: SideReport): number => medianOf(s.runs, (r) => r.wallMs)!;
  const fit = (s: SideReport): number | undefined => medianOf(s.runs, (r) => r.fitMs);
  const seconds = (ms: number | undefined): string =>
    ms === undefined ? '-' : (ms / 1000).toFixed(2);
  const row = (s: SideReport): string[] => [
    s.name,
    seconds(wall(s)),
    seconds(fit(s)),
    ...s.quality,
    (wall(s) / wall(anchor)).toFixed(2),
  ];
  const table = markdownTable(
    ['side', 'process s', 'fit s', ...qualityHeaders, 'process time vs anchor'],
    [row(plinth), row(anchor)],
  );
  const anchorFit = fit(anchor);
  const strict =
    anchorFit === undefined
      ? ''
      : `\nPlinth process / ${anchor.name} fit alone: ${(wall(plinth) / anchorFit).toFixed(2)} (Plinth's program reads the CSV as it trains, so its reading is not timed apart).`;
  return table + strict;
}
