import type { SecondaryStatusTransition } from '@aws-sdk/client-sagemaker';
import { formatElapsed } from '../output.js';

/** What the live status line shows while a job runs. */
export interface StatusLineState {
  readonly status?: string;
  readonly secondaryStatus?: string;
  readonly elapsedMs: number;
  /** The latest metric seen in the log, already rendered (`test:msd=0.12`). */
  readonly metric?: string;
}

/** The live status line: `InProgress | Training | 0:12 | test:msd=0.12`. */
export function renderStatusLine(state: StatusLineState): string {
  return [
    state.status ?? 'InProgress',
    state.secondaryStatus ?? 'Starting',
    formatElapsed(state.elapsedMs),
    ...(state.metric ? [state.metric] : []),
  ].join(' | ');
}

/**
 * The plain line for a secondary-status transition, timed from the job's creation:
 * `[0:01] Training - Training image download completed. Training in progress.`
 */
export function formatTransition(
  transition: SecondaryStatusTransition,
  createdAt: Date | undefined,
): string {
  const elapsed =
    transition.StartTime && createdAt ? transition.StartTime.getTime() - createdAt.getTime() : 0;
  const message = transition.StatusMessage ? ` - ${transition.StatusMessage}` : '';
  return `[${formatElapsed(elapsed)}] ${transition.Status ?? ''}${message}`;
}

/** A MetricDefinition as CreateTrainingJob takes it: the value is the regex's first group. */
export interface MetricDefinitionLike {
  readonly Name?: string;
  readonly Regex?: string;
}

/** SageMaker built-ins' metric lines: `#quality_metric: host=algo-1, epoch=2, train … <loss>=0.5`. */
const QUALITY_METRIC = /#quality_metric: host=\S+, (.+)$/;

/**
 * Finds the metric a log line reports, rendered for the status line: by the job's
 * MetricDefinitions (`name=value`), else from a built-in algorithm's `#quality_metric` line.
 * Definitions whose regex does not compile are skipped, as SageMaker skips them.
 */
export function createMetricReader(
  definitions: readonly MetricDefinitionLike[],
): (line: string) => string | undefined {
  const matchers = definitions.flatMap((d) => {
    try {
      return d.Name && d.Regex ? [{ name: d.Name, regex: new RegExp(d.Regex) }] : [];
    } catch {
      return [];
    }
  });
  return (line) => {
    for (const { name, regex } of matchers) {
      const value = regex.exec(line)?.[1];
      if (value !== undefined) return `${name}=${value}`;
    }
    return QUALITY_METRIC.exec(line)?.[1];
  };
}
