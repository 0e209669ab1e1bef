// Reads a histogram (or a summary) out of a Prometheus text exposition, to report quantiles of
// what a server measured itself, e.g. Plinth's OverheadLatency.

/** A histogram's cumulative counts by upper bound (`le`), `+Inf` included. */
export type Buckets = ReadonlyMap<number, number>;

const SAMPLE = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function samples(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = SAMPLE.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(LABEL)].map((m) => [m[1]!, m[2]!]),
    );
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

function matches(sample: Sample, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([name, value]) => sample.labels[name] === value);
}

/** A metric and the labels its series must have (others may have more). */
export interface Series {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The buckets of a histogram summed over its matching series; undefined when there are none. */
export function readBuckets(text: string, series: Series): Buckets | undefined {
  const buckets = new Map<number, number>();
  for (const s of samples(text)) {
    if (s.name !== `${series.name}_bucket` || s.labels.le === undefined) continue;
    if (!matches(s, series.labels ?? {})) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + s.value);
  }
  return buckets.size > 0 ? buckets : undefined;
}

/** A summary's own quantile `q` (its first matching series), or undefined. */
export function readSummaryQuantile(text: string, series: Series, q: number): number | undefined {
  const found = samples(text).find(
    (s) =>
      s.name === series.name && Number(s.labels.quantile) === q && matches(s, series.labels ?? {}),
  );
  return found && Number.isFinite(found.value) ? found.value : undefined;
}

/** What was observed between two scrapes of the same histogram. */
export function bucketsBetween(before: Buckets | undefined, after: Buckets): Buckets {
  return new Map([...after].map(([le, count]) => [le, count - (before?.get(le) ?? 0)]));
}

/** A quantile estimated from a histogram, and the bucket it fell in. */
export interface BucketQuantile {
  /** Interpolated linearly inside the bucket, as Prometheus's histogram_quantile does. */
  readonly value: number;
  readonly lower: number;
  /** `Infinity` when it fell above the highest finite bound (`value` is then that bound). */
  readonly upper: number;
}

/** Quantile `q` (0-1) of what the buckets counted; undefined when nothing was observed. */
export function histogramQuantile(q: number, buckets: Buckets): BucketQuantile | undefined {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? buckets.get(bounds.at(-1)!) ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const upper of bounds) {
    const count = buckets.get(upper)!;
    if (count >= rank) {
      if (upper === Infinity) return { value: lower, lower, upper };
      const value = lower + (upper - lower) * ((rank - below) / Math.max(count - below, 1e-9));
      return { value, lower, upper };
    }
    lower = upper;
    below = count;
  }
  return { value: lower, lower, upper: Infinity };
}

/** The sum of the values of every sample named `series.name` with its labels; 0 when none. */
export function readSum(text: string, series: Series): number {
  return samples(text)
    .filter((s) => s.name === series.name && matches(s, series.labels ?? {}))
    .reduce((sum, s) => sum + s.value, 0);
}
