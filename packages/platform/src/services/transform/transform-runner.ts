import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { formatS3Uri } from '../../artifacts/s3-uri.js';
import type { CapacityPool } from '../../compute/capacity/capacity-pool.js';
import { clusterShape } from '../../compute/capacity/instance-types.js';
import type { Executor } from '../../compute/executor.js';
import { listChannel, type ChannelObject } from '../../compute/workspace/channel-data.js';
import type { Logger } from '../../logging/logger.js';
import type { ModelService } from '../models/model-service.js';
import type { ActiveJob } from '../shared/active-jobs.js';
import { JobLifecycle } from '../shared/job-lifecycle.js';
import { JobStatusUpdates } from '../shared/job-status-updates.js';
import type { ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import type { ProgramCatalog } from '../training/job-programs.js';
import { InstanceLogEvents } from './instance-log-events.js';
import { callModel } from './model-calls.js';
import type { TransformJobRunner } from './transform-job-service.js';
import { fromStored, transformJobKind } from './transform-job-state.js';
import type { TransformJobBody } from './transform-job-types.js';
import { startTransformInstances, type TransformInstance } from './transform-instances.js';
import { transformObject } from './transform-object.js';
import {
  batchEnvironment,
  clientLimits,
  objectRules,
  outputLocation,
  requestHeaders,
} from './transform-plan.js';

export interface TransformRunnerOptions {
  readonly ctx: ServiceContext;
  readonly executor: Executor;
  readonly objectStore: ObjectStore;
  readonly programs: ProgramCatalog;
  readonly models: ModelService;
  /** The machine's cores and memory, shared with training and processing jobs. */
  readonly capacity: CapacityPool;
  /** Each job's instances get work directories and logs under `<workRoot>/<job>/`. */
  readonly workRoot: string;
  readonly logger: Logger;
  /** How long a stopped model server gets between SIGTERM and SIGKILL. */
  readonly stopGraceMs: number;
}

/** A job's running instances and what brings the job to a halt. */
interface JobRun {
  readonly job: TransformJobBody;
  readonly active: ActiveJob;
  /** Aborted when the job is stopped or one of its objects fails: no more requests go out. */
  readonly halt: AbortController;
}

/**
 * Runs transform jobs as SageMaker batch transform does: waits for the machine's capacity,
 * starts `InstanceCount` model servers of the job's model, spreads the input objects over them
 * (every N-th object in key order to each, as ShardedByS3Key), sends each object's records to its
 * instance's `/invocations` and uploads `<object>.out` once the object is done. Any failed record
 * fails the job, naming its object and line.
 */
export class TransformRunner implements TransformJobRunner {
  readonly #jobs: ResourceKind;
  readonly #status: JobStatusUpdates<TransformJobBody>;
  readonly #lifecycle: JobLifecycle;

  constructor(private readonly options: TransformRunnerOptions) {
    this.#jobs = transformJobKind(options.ctx);
    this.#status = new JobStatusUpdates(this.#jobs, options.ctx.clock, {
      fromStored,
      status: (body) => body.TransformJobStatus,
      setStatus: (body, status) => (body.TransformJobStatus = status),
      setEndTime: (body, at) => (body.TransformEndTime = at),
    });
    this.#lifecycle = new JobLifecycle({
      kind: this.#jobs,
      label: 'transform job',
      logger: options.logger,
      workRoot: options.workRoot,
      stopGraceMs: options.stopGraceMs,
      status: this.#status,
      run: (name, active) => this.#run(name, active),
      // Outputs are only ever written whole, so a second run replaces what the first wrote.
      resume: async (record) => this.start(record.name),
    });
  }

  start(name: string): void {
    this.#lifecycle.start(name);
  }

  stop(name: string): Promise<void> {
    return this.#lifecycle.stop(name);
  }

  /**
   * Settles the jobs a previous server left in flight: Stopping ones end Stopped; InProgress ones
   * run again from the start. Outputs are only ever written whole, so a second run replaces
   * what the first wrote and nothing is duplicated.
   */
  reconcile(): Promise<number> {
    return this.#lifecycle.reconcile();
  }

  /** Stops every running job (server shutdown); they stay InProgress and run again at the next start. */
  close(): Promise<void> {
    return this.#lifecycle.close();
  }

  async #run(name: string, active: ActiveJob): Promise<void> {
    const job = fromStored((await this.#jobs.get(name)).body);
    const resources = job.TransformResources;
    const lease = await this.options.capacity
      .acquire(
        clusterShape(resources.InstanceType, resources.InstanceCount),
        active.cancelWait.signal,
      )
      .catch(() => undefined);
    if (!lease) return this.#lifecycle.endHalted(name, active);
    const halt = new AbortController();
    const onStop = () => halt.abort();
    active.cancelWait.signal.addEventListener('abort', onStop, { once: true });
    try {
      await this.#runOnLease(name, { job, active, halt });
    } finally {
      active.cancelWait.signal.removeEventListener('abort', onStop);
      lease.release();
    }
  }

  async #runOnLease(name: string, run: JobRun): Promise<void> {
    const { job, active } = run;
    const jobDir = join(this.options.workRoot, name);
    await rm(jobDir, { recursive: true, force: true });
    await mkdir(jobDir, { recursive: true });
    await this.#status.update(name, (body) => (body.TransformStartTime = this.#now()));
    let objects: ChannelObject[];
    let instances: TransformInstance[];
    try {
      objects = await this.#listInputs(job);
      instances = await startTransformInstances(this.options, {
        job: name,
        jobDir,
        modelName: job.ModelName,
        count: job.TransformResources.InstanceCount,
        env: batchEnvironment(job),
      });
    } catch (error) {
      if (active.stopReason) return this.#lifecycle.endHalted(name, active);
      return this.#status.end(name, {
        status: 'Failed',
        reason: `ClientError: ${reasonOf(error)}`,
      });
    }
    const failure = await this.#transformAll(name, { ...run, jobDir, objects, instances });
    if (active.stopReason) return this.#lifecycle.endHalted(name, active);
    if (failure)
      return this.#status.end(name, { status: 'Failed', reason: `ClientError: ${failure}` });
    return this.#status.end(name, { status: 'Completed' });
  }

  /** Every object through its instance; the first failure (worded for FailureReason), if any. */
  async #transformAll(
    name: string,
    run: JobRun & { jobDir: string; objects: ChannelObject[]; instances: TransformInstance[] },
  ): Promise<string | undefined> {
    const { job, halt, instances } = run;
    const stopInstances = () =>
      Promise.all(instances.map((i) => i.fleet.stop(this.options.stopGraceMs)));
    // A stop ends the model servers at once: requests in flight fail and are not retried.
    const stopping = new Promise<void>((resolve) => {
      const stopNow = () => void stopInstances().then(() => resolve());
      if (halt.signal.aborted) stopNow();
      else halt.signal.addEventListener('abort', stopNow, { once: true });
    });
    const logs = instances.map((instance) => {
      const events = new InstanceLogEvents(run.jobDir, instance.host, this.options.ctx.clock);
      events.follow(instance.logFiles);
      return events;
    });
    let failure: string | undefined;
    const rules = objectRules(job);
    const limits = clientLimits(job);
    const headers = requestHeaders(job);
    await Promise.all(
      instances.map(async (instance, index) => {
        const mine = run.objects.filter((_, i) => i % instances.length === index);
        for (const object of mine) {
          if (halt.signal.aborted) return;
          const output = outputLocation(job.TransformOutput.S3OutputPath, object.relativePath);
          try {
            const { records } = await transformObject({
              store: this.options.objectStore,
              source: object.source,
              output,
              rules,
              call: (body) =>
                callModel(
                  instance.fleet.live,
                  { job: name, headers, ...limits, stopped: () => halt.signal.aborted },
                  body,
                ),
              scratchFile: join(run.jobDir, `${instance.host}.out.partial`),
              signal: halt.signal,
            });
            logs[index]!.append(
              `Transformed ${formatS3Uri(object.source)}: ${records} records -> ${formatS3Uri(output)}`,
            );
          } catch (error) {
            if (halt.signal.aborted) return;
            failure ??= reasonOf(error);
            logs[index]!.append(`Failed: ${reasonOf(error)}`);
            halt.abort();
          }
        }
      }),
    );
    if (halt.signal.aborted) await stopping;
    else await stopInstances();
    await Promise.all(logs.map((l) => l.close()));
    return failure;
  }

  /** The input objects, in key order; none is an error. */
  async #listInputs(job: TransformJobBody): Promise<ChannelObject[]> {
    const source = job.TransformInput.DataSource.S3DataSource;
    const objects = await listChannel(this.options.objectStore, {
      name: 'TransformInput',
      s3Uri: source.S3Uri,
      s3DataType: source.S3DataType as 'S3Prefix' | 'ManifestFile',
      distribution: 'ShardedByS3Key',
    });
    if (objects.length === 0) throw new Error(`No objects found under ${source.S3Uri}.`);
    return objects;
  }

  #now(): Date {
    return this.options.ctx.clock.now();
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
