/** Writes one line of a job's log (stdout in the programs). */
export type LogLine = (line: string) => void;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * SageMaker's built-in log prefix, `[MM/DD/YYYY HH:MM:SS INFO <pid>]`, in UTC, so log lines
 * look and parse like a SageMaker k-means job's.
 */
export function logPrefix(now: Date, level: 'INFO' | 'ERROR' = 'INFO'): string {
  const date = `${pad(now.getUTCMonth() + 1)}/${pad(now.getUTCDate())}/${now.getUTCFullYear()}`;
  const time = `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}`;
  return `[${date} ${time} ${level} ${process.pid}]`;
}

/** A logger that stamps each message with {@link logPrefix}. */
export function createLogger(write: LogLine): (message: string) => void {
  return (message) => write(`${logPrefix(new Date())} ${message}`);
}

/**
 * SageMaker k-means's metric line, e.g. `#quality_metric: host=algo-1, test msd <loss>=1.5`;
 * a MetricDefinition regex `test msd <loss>=(\S+)` reads it.
 */
export function qualityMetric(host: string, name: string, value: number): string {
  return `#quality_metric: host=${host}, ${name} <loss>=${value}`;
}

/** SageMaker's progress line, e.g. `#progress_metric: host=algo-1, completed 50 % of epochs`. */
export function progressMetric(host: string, percent: number): string {
  return `#progress_metric: host=${host}, completed ${percent} % of epochs`;
}
