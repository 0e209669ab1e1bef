import type { TrainingJobDescription } from '../jobs/follow-job.js';
import type { JobLogLine } from '../jobs/log-tail.js';
import type { LiveLine } from '../live-line.js';
import { createMetricReader, formatTransition, renderStatusLine } from './status-line.js';

/**
 * Shows a followed job: on a terminal, its log lines scrolling above a live status line; on
 * anything else, a plain line per secondary-status transition among the log lines, in the
 * order they happened.
 */
export class JobDisplay {
  #transitionsShown = 0;
  #metric: string | undefined;
  #readMetric: ((line: string) => string | undefined) | undefined;

  constructor(
    private readonly live: LiveLine,
    private readonly startedAt: number = Date.now(),
  ) {}

  /** Takes one poll's description and new log lines (`followTrainingJob`'s onUpdate). */
  update(job: TrainingJobDescription, lines: readonly JobLogLine[]): void {
    this.#readMetric ??= createMetricReader(job.AlgorithmSpecification?.MetricDefinitions ?? []);
    for (const line of lines) this.#metric = this.#readMetric(line.text) ?? this.#metric;
    const transitions = job.SecondaryStatusTransitions ?? [];
    const fresh = transitions.slice(this.#transitionsShown);
    this.#transitionsShown = transitions.length;
    if (this.live.interactive) {
      for (const line of lines) this.live.print(line.text);
      this.live.show(
        renderStatusLine({
          status: job.TrainingJobStatus,
          secondaryStatus: job.SecondaryStatus,
          elapsedMs: Date.now() - this.startedAt,
          metric: this.#metric,
        }),
      );
      return;
    }
    const entries = [
      ...fresh.map((t) => ({
        time: t.StartTime?.getTime() ?? 0,
        text: formatTransition(t, job.CreationTime),
      })),
      ...lines.map((line) => ({ time: line.timestamp, text: line.text })),
    ];
    // A stable sort: a transition comes before the log lines of the same millisecond.
    for (const entry of entries.sort((a, b) => a.time - b.time)) this.live.print(entry.text);
  }
}
