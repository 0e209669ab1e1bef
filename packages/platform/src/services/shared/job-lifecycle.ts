import { join } from 'node:path';
import { killLeftovers } from '../../compute/host-run.js';
import type { Logger } from '../../logging/logger.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import { ActiveJobs, type ActiveJob } from './active-jobs.js';
import { recordsWithStatus } from './records-with-status.js';
import type { ResourceKind } from './resource-kind.js';

/** How a kind of job records the two statuses its lifecycle sets by itself. */
export interface LifecycleStatus {
  /** Moves the job to Stopping, as Stop*Job asks. */
  stopping(name: string): Promise<void>;
  /** Ends the job as Stopped. */
  stopped(name: string): Promise<void>;
}

export interface JobLifecycleOptions {
  readonly kind: ResourceKind;
  /** Names the kind of job in the log, e.g. `training job`. */
  readonly label: string;
  readonly logger: Logger;
  /** Each job's processes run under `<workRoot>/<job>/`. */
  readonly workRoot: string;
  /** How long a stopped job's programs get between SIGTERM and SIGKILL. */
  readonly stopGraceMs: number;
  readonly status: LifecycleStatus;
  /** Runs the job until it has recorded its outcome, or chosen at shutdown to stay InProgress. */
  readonly run: (name: string, active: ActiveJob) => Promise<void>;
  /** Settles a job a previous server left InProgress: start it again or end it, saying why. */
  readonly resume: (record: ResourceRecord) => Promise<void>;
}

/**
 * What every job runner does the same way: runs jobs in the background, stops them on request,
 * stops them all at shutdown, and at start-up settles the jobs a previous server left in flight.
 * A runner composes one and keeps only how it runs a job and what it does with one that was
 * InProgress when the previous server went away.
 */
export class JobLifecycle {
  readonly #active: ActiveJobs;

  constructor(private readonly options: JobLifecycleOptions) {
    this.#active = new ActiveJobs(options.logger, options.label);
  }

  /** Starts running a stored InProgress job in the background. */
  start(name: string): void {
    this.#active.start(name, (active) => this.options.run(name, active));
  }

  /** Moves an InProgress job to Stopping and stops its processes; Stopped if none is running. */
  async stop(name: string): Promise<void> {
    await this.options.status.stopping(name);
    if (!(await this.#active.stop(name, this.options.stopGraceMs))) {
      await this.options.status.stopped(name);
    }
  }

  /**
   * Settles the jobs a previous server left InProgress or Stopping, after ending any process it
   * left behind: Stopping ones end Stopped, InProgress ones go to `resume`. Returns how many.
   */
  async reconcile(): Promise<number> {
    let settled = 0;
    for (const status of ['InProgress', 'Stopping'] as const) {
      for await (const record of recordsWithStatus(this.options.kind, status)) {
        if (this.#active.has(record.name)) continue;
        await killLeftovers(join(this.options.workRoot, record.name));
        if (status === 'Stopping') await this.options.status.stopped(record.name);
        else await this.options.resume(record);
        settled += 1;
      }
    }
    return settled;
  }

  /** Stops every running job (server shutdown) and waits for them to be recorded. */
  close(): Promise<void> {
    return this.#active.close();
  }

  /** A job brought to a halt: Stopped on request; left InProgress at shutdown, to run again. */
  endHalted(name: string, active: ActiveJob): Promise<void> | undefined {
    return active.stopReason === 'shutdown' ? undefined : this.options.status.stopped(name);
  }
}
