/** Writes one line of a job's log (stdout in the programs). */
export type LogLine = (line: string) => void;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * SageMaker's built-in log prefix, `[MM/DD/YYYY HH:MM:SS INFO <pid>]`, in UTC, so log lines
 * look and parse like a SageMaker built-in algorithm's.
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

/** One value for a `#quality_metric` line. */
export interface QualityMetric {
  /** Channel and metric, e.g. `test msd` or `validation binary_classification_accuracy`. */
  name: string;
  value: number;
  /** `loss` for lower-is-better values (the default), `score` for higher-is-better ones. */
  kind?: 'loss' | 'score';
  /** Set for per-epoch values; SageMaker prints final values without it. */
  epoch?: number;
}

/**
 * SageMaker's metric line, e.g. `#quality_metric: host=algo-1, test msd <loss>=1.5` or
 * `#quality_metric: host=algo-1, epoch=2, train mse_objective <loss>=0.3`; MetricDefinition
 * regexes such as `test msd <loss>=(\S+)` read it.
 */
export function qualityMetric(host: string, metric: QualityMetric): string {
  const epoch = metric.epoch === undefined ? '' : ` epoch=${metric.epoch},`;
  return `#quality_metric: host=${host},${epoch} ${metric.name} <${metric.kind ?? 'loss'}>=${metric.value}`;
}

/** SageMaker's progress line, e.g. `#progress_metric: host=algo-1, completed 50 % of epochs`. */
export function progressMetric(host: string, percent: number): string {
  return `#progress_metric: host=${host}, completed ${percent} % of epochs`;
}
