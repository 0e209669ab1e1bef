import type { HostRun } from '../../compute/host-run.js';
import type { Logger } from '../../logging/logger.js';

/** Why a job's programs were stopped before they finished. */
export type StopReason = 'user' | 'timeout' | 'shutdown';

/** A job this server is running: its programs once started, and why they were stopped. */
export interface ActiveJob {
  run?: HostRun;
  stopReason?: StopReason;
  /** Ends the job's wait for capacity. */
  readonly cancelWait: AbortController;
}

/** How long programs get between SIGTERM and SIGKILL when the server shuts down. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * The jobs a runner has in flight in this process: each runs in the background until it has
 * recorded its outcome; `stop` and `close` reach its wait for capacity or its programs.
 */
export class ActiveJobs {
  readonly #jobs = new Map<string, { job: ActiveJob; done: Promise<void> }>();

  constructor(
    private readonly logger: Logger,
    /** Names the kind of job in the log, e.g. `training job`. */
    private readonly label: string,
  ) {}

  /** Runs `work` in the background for the job; an unexpected error is logged. */
  start(name: string, work: (job: ActiveJob) => Promise<void>): void {
    const job: ActiveJob = { cancelWait: new AbortController() };
    const done = work(job)
      .catch((error: unknown) =>
        this.logger.error(`${this.label} runner failed`, { job: name, err: error }),
      )
      .finally(() => this.#jobs.delete(name));
    this.#jobs.set(name, { job, done });
  }

  has(name: string): boolean {
    return this.#jobs.has(name);
  }

  /**
   * Stops a job on request: its wait for capacity ends, its programs get SIGTERM and then
   * SIGKILL after `graceMs`. False if this server is not running it.
   */
  async stop(name: string, graceMs: number): Promise<boolean> {
    const entry = this.#jobs.get(name);
    if (!entry) return false;
    entry.job.stopReason ??= 'user';
    entry.job.cancelWait.abort();
    await entry.job.run?.stop(graceMs);
    return true;
  }

  /** Stops every job (server shutdown) and waits until each has recorded its outcome. */
  async close(): Promise<void> {
    for (const { job } of this.#jobs.values()) {
      job.stopReason ??= 'shutdown';
      job.cancelWait.abort();
      void job.run?.stop(SHUTDOWN_GRACE_MS);
    }
    await Promise.all([...this.#jobs.values()].map((entry) => entry.done));
  }
}
