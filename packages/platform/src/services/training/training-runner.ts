import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { type CapacityLease, type CapacityPool } from '../../compute/capacity/capacity-pool.js';
import { clusterShape } from '../../compute/capacity/instance-types.js';
import type { Executor } from '../../compute/executor.js';
import { HostRun, type HostRunResult } from '../../compute/host-run.js';
import {
  packageModel,
  packageOutput,
  readFailureReason,
} from '../../compute/workspace/package-model.js';
import type { Logger } from '../../logging/logger.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import type { ActiveJob } from '../shared/active-jobs.js';
import { JobLifecycle } from '../shared/job-lifecycle.js';
import type { ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import type { ProgramCatalog, ScriptLauncher } from './job-programs.js';
import { resolveLaunchPlan, type LaunchPlan } from './launch-plan.js';
import { BUILTIN_METRIC_DEFINITIONS, MetricCollector } from './metrics.js';
import { prepareHosts, type PreparedHost } from './training-hosts.js';
import {
  DEFAULT_MAX_RUNTIME_SECONDS,
  fromStored,
  trainingJobKind,
  type TrainingJobBody,
} from './training-job-state.js';
import { TrainingStatusRecorder } from './training-status.js';

/** SageMaker gives a stopped algorithm 120 seconds after SIGTERM before it is killed. */
export const STOP_GRACE_MS = 120_000;
/** How often a running job's checkpoint folder is copied to the object store. */
export const CHECKPOINT_SYNC_MS = 5_000;

export interface TrainingRunnerOptions {
  readonly ctx: ServiceContext;
  readonly executor: Executor;
  readonly objectStore: ObjectStore;
  readonly programs: ProgramCatalog;
  readonly scripts: ScriptLauncher;
  /** The machine's cores and memory, shared by all jobs. */
  readonly capacity: CapacityPool;
  /** Each job's hosts get work directories and logs under `<workRoot>/<job>/`. */
  readonly workRoot: string;
  readonly logger: Logger;
  readonly stopGraceMs?: number;
  readonly checkpointSyncMs?: number;
}

/**
 * Runs training jobs: waits for the machine's capacity, lays out each host's work directory on
 * SageMaker's container contract, starts the program on every host, applies the stopping
 * condition, and records SageMaker's status transitions and outcome. `reconcile` settles, at
 * start-up, the jobs a previous process left in flight: it starts again those that can resume.
 */
export class TrainingRunner {
  readonly #jobs: ResourceKind;
  readonly #status: TrainingStatusRecorder;
  readonly #lifecycle: JobLifecycle;

  constructor(private readonly options: TrainingRunnerOptions) {
    this.#jobs = trainingJobKind(options.ctx);
    this.#status = new TrainingStatusRecorder(options.ctx);
    this.#lifecycle = new JobLifecycle({
      kind: this.#jobs,
      label: 'training job',
      logger: options.logger,
      workRoot: options.workRoot,
      stopGraceMs: this.#graceMs,
      status: this.#status,
      run: (name, active) => this.#run(name, active),
      resume: (record) => this.#resume(record),
    });
  }

  /** Starts running a stored InProgress job in the background. */
  start(name: string): void {
    this.#lifecycle.start(name);
  }

  /** Moves an InProgress job to Stopping and stops its processes. */
  stop(name: string): Promise<void> {
    return this.#lifecycle.stop(name);
  }

  /**
   * Settles the jobs a previous server left InProgress or Stopping. Stopping ones end Stopped.
   * InProgress ones start again when that loses nothing: they had not started training yet, or
   * they keep checkpoints to resume from. Others end Failed, saying why.
   */
  reconcile(): Promise<number> {
    return this.#lifecycle.reconcile();
  }

  /** Stops every running job (server shutdown) and waits for them to be recorded. */
  close(): Promise<void> {
    return this.#lifecycle.close();
  }

  get #graceMs(): number {
    return this.options.stopGraceMs ?? STOP_GRACE_MS;
  }

  /** A job left InProgress by a previous server: started again, or ended Failed saying why. */
  async #resume(record: ResourceRecord): Promise<void> {
    const name = record.name;
    const job = fromStored(record.body);
    const neverTrained = job.SecondaryStatus === 'Starting' || job.SecondaryStatus === 'Pending';
    if (neverTrained || job.CheckpointConfig) {
      await this.#status.transition(name, { secondary: 'Restarting' });
      return this.start(name);
    }
    return this.#status.fail(
      name,
      'InternalServerError: Plinth restarted while this job was running; it was not resumed because it has no CheckpointConfig to resume from. Start it again.',
    );
  }

  async #run(name: string, active: ActiveJob): Promise<void> {
    const job = fromStored((await this.#jobs.get(name)).body);
    const spec = job.AlgorithmSpecification!;
    const plan = resolveLaunchPlan(
      spec.TrainingImage ?? spec.AlgorithmName ?? '',
      job.HyperParameters ?? {},
    );
    if (typeof plan === 'string') return this.#status.fail(name, `ClientError: ${plan}`);
    const lease = await this.#acquire(name, { job, active });
    // A job still waiting when the server shuts down stays InProgress: the next start runs it.
    if (!lease) return this.#lifecycle.endHalted(name, active);
    try {
      await this.#runOnLease(name, { job, plan, active, lease });
    } finally {
      lease.release();
    }
  }

  /** Waits for the job's share of the machine; undefined if the job was stopped meanwhile. */
  async #acquire(
    name: string,
    run: { job: TrainingJobBody; active: ActiveJob },
  ): Promise<CapacityLease | undefined> {
    const pool = this.options.capacity;
    const wanted = clusterShape(
      run.job.ResourceConfig?.InstanceType ?? '',
      run.job.ResourceConfig?.InstanceCount ?? 1,
    );
    const mustWait = !pool.grantsAtOnce(wanted);
    const granted = pool.acquire(wanted, run.active.cancelWait.signal);
    if (mustWait) {
      await this.#status.transition(name, {
        secondary: 'Pending',
        message: `Waiting for capacity: this job needs ${wanted.cpus} cores and ${wanted.memoryMiB} MiB (cut to what the machine has: ${pool.total.cpus} cores, ${pool.total.memoryMiB} MiB), which earlier jobs are using`,
      });
    }
    return granted.catch(() => undefined);
  }

  async #runOnLease(
    name: string,
    run: { job: TrainingJobBody; plan: LaunchPlan; active: ActiveJob; lease: CapacityLease },
  ): Promise<void> {
    const { job, plan, active } = run;
    const count = job.ResourceConfig?.InstanceCount ?? 1;
    const jobDir = join(this.options.workRoot, name);
    await this.#status.transition(name, { secondary: 'Downloading' });
    let hosts: PreparedHost[];
    try {
      hosts = await prepareHosts(
        {
          name,
          job,
          plan,
          jobDir,
          cpusPerHost: Math.max(1, Math.floor(run.lease.share.cpus / count)),
        },
        this.options,
      );
    } catch (error) {
      return this.#status.fail(name, `ClientError: ${(error as Error).message}`);
    }
    // Stopped before training started: Stopped, or at shutdown left to start again.
    if (active.stopReason) return this.#lifecycle.endHalted(name, active);

    const metrics = new MetricCollector(
      [
        ...(plan.kind === 'builtin' ? (BUILTIN_METRIC_DEFINITIONS[plan.algorithm] ?? []) : []),
        ...(job.AlgorithmSpecification?.MetricDefinitions ?? []),
      ],
      () => this.options.ctx.clock.now(),
    );
    await this.#status.transition(name, { secondary: 'Training', trainingStart: true });
    active.run = new HostRun(
      {
        jobName: name,
        jobDir,
        launches: hosts,
        isolateNetwork: job.EnableNetworkIsolation === true,
        maxRuntimeMs:
          (job.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME_SECONDS) * 1000,
        onTimeout: () => (active.stopReason ??= 'timeout'),
        onLine: (line) => metrics.observe(line),
      },
      {
        executor: this.options.executor,
        clock: this.options.ctx.clock,
        stopGraceMs: this.#graceMs,
      },
    );
    for (const host of hosts)
      host.checkpoints?.start(this.options.checkpointSyncMs ?? CHECKPOINT_SYNC_MS);
    let ended: HostRunResult;
    try {
      ended = await active.run.run();
    } catch (error) {
      return this.#status.fail(name, `AlgorithmError: ${(error as Error).message}`);
    } finally {
      await this.#saveCheckpoints(name, hosts);
    }
    // A job with checkpoints stays InProgress through a shutdown: the next start resumes it.
    if (active.stopReason === 'shutdown' && job.CheckpointConfig) return;
    const final = metrics.final();
    if (final.length > 0) await this.#status.update(name, (b) => (b.FinalMetricDataList = final));
    await this.#finish(name, {
      active,
      ended,
      hosts,
      outputUri: job.ModelArtifacts.S3ModelArtifacts,
    });
  }

  /** The last checkpoint pass of every host; a failure is logged, not fatal to the job. */
  async #saveCheckpoints(name: string, hosts: readonly PreparedHost[]): Promise<void> {
    for (const host of hosts) {
      await host.checkpoints
        ?.stop()
        .catch((error: unknown) =>
          this.options.logger.warn('could not save checkpoints', { job: name, err: error }),
        );
    }
  }

  async #finish(
    name: string,
    run: { active: ActiveJob; ended: HostRunResult; hosts: PreparedHost[]; outputUri: string },
  ): Promise<void> {
    const { active, ended, hosts, outputUri } = run;
    const failedAt = ended.failed;
    if (!active.stopReason && failedAt !== undefined) {
      const host = hosts[failedAt]!;
      const exit = ended.exits[failedAt]!;
      const reason =
        (await readFailureReason(host.root)) ??
        `the training program on ${host.host} exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}; see its log.`;
      return this.#status.fail(name, `AlgorithmError: ${reason}`);
    }
    if (active.stopReason === 'shutdown') {
      return this.#status.fail(
        name,
        'InternalServerError: Plinth was shut down while this job was running.',
      );
    }
    await this.#status.transition(name, { secondary: 'Uploading' });
    try {
      const root = hosts[0]!.root;
      await packageModel({ root, store: this.options.objectStore, outputUri });
      await packageOutput({
        root,
        store: this.options.objectStore,
        outputUri: outputUri.replace(/model\.tar\.gz$/, 'output.tar.gz'),
      });
    } catch (error) {
      if (!active.stopReason)
        return this.#status.fail(name, `ClientError: ${(error as Error).message}`);
    }
    if (active.stopReason === 'timeout') {
      return this.#status.transition(name, {
        secondary: 'MaxRuntimeExceeded',
        status: 'Stopped',
        end: true,
      });
    }
    if (active.stopReason === 'user') return this.#status.stopped(name);
    return this.#status.transition(name, {
      secondary: 'Completed',
      status: 'Completed',
      end: true,
    });
  }
}
