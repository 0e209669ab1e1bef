import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { CapacityLease, CapacityPool } from '../../compute/capacity/capacity-pool.js';
import { clusterShape } from '../../compute/capacity/instance-types.js';
import type { Executor } from '../../compute/executor.js';
import { HostRun, type HostRunResult } from '../../compute/host-run.js';
import { contractPaths } from '../../compute/workspace/contract-layout.js';
import type { Logger } from '../../logging/logger.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import type { ActiveJob } from '../shared/active-jobs.js';
import { JobLifecycle } from '../shared/job-lifecycle.js';
import { JobStatusUpdates, type JobOutcome } from '../shared/job-status-updates.js';
import type { ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import { builtinAlgorithm, cannotRun, imageRuntime } from '../training/launch-plan.js';
import { prepareProcessingHosts, uploadOutputs, type ProcessingHost } from './processing-hosts.js';
import {
  DEFAULT_PROCESSING_MAX_RUNTIME_SECONDS,
  fromStored,
  processingJobKind,
} from './processing-job-state.js';
import type { ProcessingJobBody } from './processing-job-types.js';

/** SageMaker's limit on ExitMessage. */
const MAX_MESSAGE_LENGTH = 1024;

export interface ProcessingRunnerOptions {
  readonly ctx: ServiceContext;
  readonly executor: Executor;
  readonly objectStore: ObjectStore;
  /** The machine's cores and memory, shared with training jobs. */
  readonly capacity: CapacityPool;
  /** Each job's hosts get work directories and logs under `<workRoot>/<job>/`. */
  readonly workRoot: string;
  readonly logger: Logger;
  readonly stopGraceMs: number;
}

/**
 * Runs processing jobs as SageMaker Processing runs a container: waits for the machine's
 * capacity, downloads each input to its LocalPath, runs ContainerEntrypoint + ContainerArguments
 * on every host, uploads each output's LocalPath when the program succeeds, and records the
 * outcome with the program's `/opt/ml/output/message` as ExitMessage.
 */
export class ProcessingRunner {
  readonly #jobs: ResourceKind;
  readonly #status: JobStatusUpdates<ProcessingJobBody>;
  readonly #lifecycle: JobLifecycle;

  constructor(private readonly options: ProcessingRunnerOptions) {
    this.#jobs = processingJobKind(options.ctx);
    this.#status = new JobStatusUpdates(this.#jobs, options.ctx.clock, {
      fromStored,
      status: (body) => body.ProcessingJobStatus,
      setStatus: (body, status) => (body.ProcessingJobStatus = status),
      setEndTime: (body, at) => (body.ProcessingEndTime = at),
    });
    this.#lifecycle = new JobLifecycle({
      kind: this.#jobs,
      label: 'processing job',
      logger: options.logger,
      workRoot: options.workRoot,
      stopGraceMs: options.stopGraceMs,
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
   * Settles the jobs a previous server left in flight: Stopping ones end Stopped; InProgress ones
   * that had not started their program start again, the others end Failed, saying why.
   */
  reconcile(): Promise<number> {
    return this.#lifecycle.reconcile();
  }

  /** Stops every running job (server shutdown) and waits for them to be recorded. */
  close(): Promise<void> {
    return this.#lifecycle.close();
  }

  /** A job left InProgress by a previous server: started again unless its program had started. */
  async #resume(record: ResourceRecord): Promise<void> {
    if (!fromStored(record.body).ProcessingStartTime) return this.start(record.name);
    return this.#end(record.name, {
      status: 'Failed',
      reason:
        'InternalServerError: Plinth restarted while this job was running; it was not resumed. Start it again.',
    });
  }

  async #run(name: string, active: ActiveJob): Promise<void> {
    const record = await this.#jobs.get(name);
    const job = fromStored(record.body);
    const commandLine = this.#commandLine(job);
    if (typeof commandLine === 'string') {
      return this.#end(name, { status: 'Failed', reason: `ClientError: ${commandLine}` });
    }
    const cluster = job.ProcessingResources.ClusterConfig;
    const lease = await this.options.capacity
      .acquire(clusterShape(cluster.InstanceType, cluster.InstanceCount), active.cancelWait.signal)
      .catch(() => undefined);
    if (!lease) return this.#lifecycle.endHalted(name, active);
    try {
      await this.#runOnLease(name, { job, active, arn: record.arn, commandLine, lease });
    } finally {
      lease.release();
    }
  }

  /** ContainerEntrypoint + ContainerArguments, or why the job cannot run. */
  #commandLine(job: ProcessingJobBody): string[] | string {
    const app = job.AppSpecification;
    // Processing always runs the container's entrypoint: SageMaker's XGBoost image runs a script.
    if (builtinAlgorithm(app.ImageUri, true)) {
      return `The image '${app.ImageUri}' is a built-in algorithm: it runs training jobs, not processing jobs.`;
    }
    if (!imageRuntime(app.ImageUri)) return cannotRun(app.ImageUri);
    if (!app.ContainerEntrypoint?.length) {
      return `AppSpecification.ContainerEntrypoint is required: Plinth runs the command it names (such as ["python3", "/opt/ml/processing/input/code/process.py"]), not the image's own entrypoint.`;
    }
    return [...app.ContainerEntrypoint, ...(app.ContainerArguments ?? [])];
  }

  async #runOnLease(
    name: string,
    run: {
      job: ProcessingJobBody;
      active: ActiveJob;
      arn: string;
      commandLine: string[];
      lease: CapacityLease;
    },
  ): Promise<void> {
    const { job, active } = run;
    const jobDir = join(this.options.workRoot, name);
    let hosts: ProcessingHost[];
    try {
      hosts = await prepareProcessingHosts(
        { name, arn: run.arn, job, jobDir, commandLine: run.commandLine },
        this.options.objectStore,
      );
    } catch (error) {
      return this.#end(name, {
        status: 'Failed',
        reason: `ClientError: ${(error as Error).message}`,
      });
    }
    // Stopped before its program started: Stopped, or at shutdown left to start again.
    if (active.stopReason) return this.#lifecycle.endHalted(name, active);
    await this.#status.update(name, (body) => (body.ProcessingStartTime = this.#now()));
    active.run = new HostRun(
      {
        jobName: name,
        jobDir,
        launches: hosts,
        isolateNetwork: job.NetworkConfig?.EnableNetworkIsolation === true,
        maxRuntimeMs:
          (job.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_PROCESSING_MAX_RUNTIME_SECONDS) *
          1000,
        onTimeout: () => (active.stopReason ??= 'timeout'),
      },
      {
        executor: this.options.executor,
        clock: this.options.ctx.clock,
        stopGraceMs: this.options.stopGraceMs,
      },
    );
    let ended: HostRunResult;
    try {
      ended = await active.run.run();
    } catch (error) {
      return this.#end(name, {
        status: 'Failed',
        reason: `AlgorithmError: ${(error as Error).message}`,
      });
    }
    await this.#finish(name, { job, active, hosts, ended });
  }

  async #finish(
    name: string,
    run: {
      job: ProcessingJobBody;
      active: ActiveJob;
      hosts: ProcessingHost[];
      ended: HostRunResult;
    },
  ): Promise<void> {
    const { active, hosts, ended } = run;
    const exitMessage = await readExitMessages(hosts);
    const ending = { ...(exitMessage ? { exitMessage } : {}) };
    if (active.stopReason === 'shutdown') {
      return this.#end(name, {
        ...ending,
        status: 'Failed',
        reason: 'InternalServerError: Plinth was shut down while this job was running.',
      });
    }
    if (active.stopReason === 'timeout') {
      return this.#end(name, {
        ...ending,
        status: 'Stopped',
        reason: 'The job reached its StoppingCondition.MaxRuntimeInSeconds and was stopped.',
      });
    }
    if (active.stopReason === 'user') return this.#end(name, { ...ending, status: 'Stopped' });
    const failedAt = ended.failed;
    if (failedAt !== undefined) {
      const exit = ended.exits[failedAt]!;
      return this.#end(name, {
        ...ending,
        status: 'Failed',
        reason: `AlgorithmError: the program on ${hosts[failedAt]!.host} exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}; see its log${exitMessage ? ' and ExitMessage' : ''}.`,
      });
    }
    try {
      await uploadOutputs(hosts, { job: run.job, store: this.options.objectStore });
    } catch (error) {
      return this.#end(name, {
        ...ending,
        status: 'Failed',
        reason: `ClientError: could not upload the outputs: ${(error as Error).message}`,
      });
    }
    return this.#end(name, { ...ending, status: 'Completed' });
  }

  #now(): Date {
    return this.options.ctx.clock.now();
  }

  /** Ends the job in a terminal status with its end time, reason and exit message. */
  #end(name: string, outcome: JobOutcome & { exitMessage?: string }): Promise<void> {
    return this.#status.end(name, outcome, (body) => {
      if (outcome.exitMessage) body.ExitMessage = outcome.exitMessage;
    });
  }
}

/** Every host's `/opt/ml/output/message`, joined and cut to 1 KB, as SageMaker's ExitMessage. */
async function readExitMessages(hosts: readonly ProcessingHost[]): Promise<string | undefined> {
  let text = '';
  for (const host of hosts) {
    text += await readFile(join(contractPaths(host.root).output, 'message'), 'utf8').catch(
      () => '',
    );
  }
  return text === '' ? undefined : text.slice(0, MAX_MESSAGE_LENGTH);
}
