import { readdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { Executor, ProcessExit, RunningProcess } from '../../compute/executor.js';
import { packageModel, readFailureReason } from '../../compute/workspace/package-model.js';
import { prepareWorkspace } from '../../compute/workspace/prepare-workspace.js';
import type { ChannelSpec } from '../../compute/workspace.js';
import { LogEventWriter } from '../../compute/log-events.js';
import type { Logger } from '../../logging/logger.js';
import type { ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import type { ProgramCatalog, ScriptLauncher } from './job-programs.js';
import { resolveLaunchPlan } from './launch-plan.js';
import { BUILTIN_METRIC_DEFINITIONS, MetricCollector } from './metrics.js';
import {
  DEFAULT_MAX_RUNTIME_SECONDS,
  trainingJobKind,
  fromStored,
  STATUS_MESSAGES,
  toStored,
  type TrainingJobBody,
} from './training-job-state.js';
import type { SecondaryStatus, TrainingJobStatus } from './training-job-types.js';

/** SageMaker gives a stopped algorithm 120 seconds after SIGTERM before it is killed. */
export const STOP_GRACE_MS = 120_000;

export interface TrainingRunnerOptions {
  readonly ctx: ServiceContext;
  readonly executor: Executor;
  readonly objectStore: ObjectStore;
  readonly programs: ProgramCatalog;
  readonly scripts: ScriptLauncher;
  /** Each job's hosts get work directories and logs under `<workRoot>/<job>/`. */
  readonly workRoot: string;
  readonly logger: Logger;
  readonly stopGraceMs?: number;
}

/** Why a job's processes were stopped before they finished. */
type StopReason = 'user' | 'timeout' | 'shutdown';

interface ActiveJob {
  processes: RunningProcess[];
  stopReason?: StopReason;
  done: Promise<void>;
}

/**
 * Runs training jobs: lays out each host's work directory on SageMaker's container contract,
 * starts the program on every host, applies the stopping condition, and records SageMaker's
 * status transitions and outcome. Jobs run in this process's memory; `reconcile` settles, at
 * start-up, the jobs a previous process left in flight.
 */
export class TrainingRunner {
  readonly #jobs: ResourceKind;
  readonly #active = new Map<string, ActiveJob>();
  readonly #updates = new Map<string, Promise<unknown>>();

  constructor(private readonly options: TrainingRunnerOptions) {
    this.#jobs = trainingJobKind(options.ctx);
  }

  /** Starts running a stored InProgress job in the background. */
  start(name: string): void {
    const active: ActiveJob = { processes: [], done: Promise.resolve() };
    this.#active.set(name, active);
    active.done = this.#run(name, active)
      .catch((error: unknown) =>
        this.options.logger.error('training job runner failed', { job: name, err: error }),
      )
      .finally(() => this.#active.delete(name));
  }

  /** Moves an InProgress job to Stopping and stops its processes. */
  async stop(name: string): Promise<void> {
    await this.#transition(name, { secondary: 'Stopping', status: 'Stopping' });
    const active = this.#active.get(name);
    if (!active) {
      await this.#transition(name, { secondary: 'Stopped', status: 'Stopped', end: true });
      return;
    }
    active.stopReason ??= 'user';
    await Promise.all(
      active.processes.map((p) => p.stop(this.options.stopGraceMs ?? STOP_GRACE_MS)),
    );
  }

  /** Jobs a previous server left InProgress or Stopping end as Failed or Stopped, saying why. */
  async reconcile(): Promise<number> {
    let settled = 0;
    for (const status of ['InProgress', 'Stopping'] as const) {
      for (;;) {
        const page = await this.#jobs.list({ statusEquals: status, maxResults: 100 });
        if (page.items.length === 0) break;
        for (const record of page.items) {
          if (this.#active.has(record.name)) continue;
          await killLeftovers(join(this.options.workRoot, record.name));
          await (status === 'Stopping'
            ? this.#transition(record.name, { secondary: 'Stopped', status: 'Stopped', end: true })
            : this.#fail(
                record.name,
                'InternalServerError: Plinth restarted while this job was running; it was not resumed. Start it again.',
              ));
          settled += 1;
        }
      }
    }
    return settled;
  }

  /** Stops every running job (server shutdown) and waits for them to be recorded. */
  async close(): Promise<void> {
    for (const active of this.#active.values()) {
      active.stopReason ??= 'shutdown';
      for (const process of active.processes) void process.stop(5_000);
    }
    await Promise.all([...this.#active.values()].map((a) => a.done));
  }

  async #run(name: string, active: ActiveJob): Promise<void> {
    const job = fromStored((await this.#jobs.get(name)).body);
    const spec = job.AlgorithmSpecification!;
    const hyperParameters = job.HyperParameters ?? {};
    const plan = resolveLaunchPlan(spec.TrainingImage ?? spec.AlgorithmName ?? '', hyperParameters);
    if (typeof plan === 'string') return this.#fail(name, `ClientError: ${plan}`);

    const hosts = Array.from(
      { length: job.ResourceConfig?.InstanceCount ?? 1 },
      (_, i) => `algo-${i + 1}`,
    );
    const jobDir = join(this.options.workRoot, name);
    const metrics = new MetricCollector(
      [
        ...(plan.kind === 'builtin' ? (BUILTIN_METRIC_DEFINITIONS[plan.algorithm] ?? []) : []),
        ...(spec.MetricDefinitions ?? []),
      ],
      () => this.options.ctx.clock.now(),
    );

    await this.#transition(name, { secondary: 'Downloading' });
    const launches = [];
    try {
      for (const host of hosts) {
        const root = join(jobDir, host);
        const workspace = await prepareWorkspace(
          {
            jobName: name,
            root,
            hosts,
            currentHost: host,
            hyperParameters,
            channels: (job.InputDataConfig ?? []).map(toChannelSpec),
            instanceType: job.ResourceConfig?.InstanceType ?? 'ml.m5.large',
            cpus: availableParallelism(),
            environment: job.Environment ?? {},
          },
          this.options.objectStore,
        );
        const program =
          plan.kind === 'builtin'
            ? { ...this.options.programs.trainer(plan.algorithm), cwd: root, env: {} }
            : await this.options.scripts.prepare({ root, hyperParameters, runtime: plan.runtime });
        launches.push({ host, root, program, env: { ...workspace.env, ...program.env } });
      }
    } catch (error) {
      return this.#fail(name, `ClientError: ${(error as Error).message}`);
    }
    if (active.stopReason)
      return this.#transition(name, { secondary: 'Stopped', status: 'Stopped', end: true });

    await this.#transition(name, { secondary: 'Training', trainingStart: true });
    const maxRuntimeMs =
      (job.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME_SECONDS) * 1000;
    const timer = setTimeout(() => {
      active.stopReason ??= 'timeout';
      for (const p of active.processes) void p.stop(this.options.stopGraceMs ?? STOP_GRACE_MS);
    }, maxRuntimeMs);
    let exits: ProcessExit[];
    const eventWriters: LogEventWriter[] = [];
    try {
      for (const launch of launches) {
        const events = new LogEventWriter(jobDir, launch.host);
        eventWriters.push(events);
        const process = await this.options.executor.start({
          name: `${name}/${launch.host}`,
          command: launch.program.command,
          args: launch.program.args,
          cwd: launch.program.cwd,
          env: launch.env,
          logFile: join(jobDir, `${launch.host}.log`),
          onLine: (line) => {
            metrics.observe(line);
            events.append({ timestamp: this.options.ctx.clock.now().getTime(), message: line });
          },
          isolateNetwork: job.EnableNetworkIsolation === true,
        });
        active.processes.push(process);
        // Kept so that a server restarted after a crash can end what this one started.
        await writeFile(join(jobDir, `${launch.host}.pid`), String(process.pid));
      }
      exits = await Promise.all(active.processes.map((p) => p.exited));
    } catch (error) {
      for (const p of active.processes) void p.stop(0);
      return this.#fail(name, `AlgorithmError: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      await Promise.all(eventWriters.map((w) => w.close()));
    }
    await this.#record(name, (body) => {
      const final = metrics.final();
      if (final.length > 0) body.FinalMetricDataList = final;
    });
    await this.#finish(name, {
      active,
      exits,
      launches,
      outputUri: job.ModelArtifacts.S3ModelArtifacts,
    });
  }

  async #finish(
    name: string,
    run: {
      active: ActiveJob;
      exits: ProcessExit[];
      launches: { root: string; host: string }[];
      outputUri: string;
    },
  ): Promise<void> {
    const { active, exits, launches, outputUri } = run;
    const failedAt = exits.findIndex((e) => e.code !== 0);
    if (!active.stopReason && failedAt >= 0) {
      const launch = launches[failedAt]!;
      const exit = exits[failedAt]!;
      const reason =
        (await readFailureReason(launch.root)) ??
        `the training program on ${launch.host} exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}; see its log.`;
      return this.#fail(name, `AlgorithmError: ${reason}`);
    }
    if (active.stopReason === 'shutdown') {
      return this.#fail(
        name,
        'InternalServerError: Plinth was shut down while this job was running.',
      );
    }
    await this.#transition(name, { secondary: 'Uploading' });
    try {
      await packageModel({ root: launches[0]!.root, store: this.options.objectStore, outputUri });
    } catch (error) {
      if (!active.stopReason)
        return this.#fail(
          name,
          `ClientError: could not upload the model: ${(error as Error).message}`,
        );
    }
    if (active.stopReason === 'timeout') {
      return this.#transition(name, {
        secondary: 'MaxRuntimeExceeded',
        status: 'Stopped',
        end: true,
      });
    }
    if (active.stopReason === 'user')
      return this.#transition(name, { secondary: 'Stopped', status: 'Stopped', end: true });
    return this.#transition(name, { secondary: 'Completed', status: 'Completed', end: true });
  }

  #fail(name: string, reason: string): Promise<void> {
    return this.#transition(name, { secondary: 'Failed', status: 'Failed', end: true, reason });
  }

  /** Closes the current secondary status and opens the next, as SecondaryStatusTransitions lists them. */
  #transition(
    name: string,
    change: {
      secondary: SecondaryStatus;
      status?: TrainingJobStatus;
      end?: boolean;
      trainingStart?: boolean;
      reason?: string;
    },
  ): Promise<void> {
    return this.#record(name, (body) => {
      const now = this.options.ctx.clock.now();
      const transitions = body.SecondaryStatusTransitions;
      const last = transitions[transitions.length - 1];
      if (last && !last.EndTime) last.EndTime = now;
      const next = {
        Status: change.secondary,
        StartTime: now,
        StatusMessage: STATUS_MESSAGES[change.secondary] ?? '',
      };
      transitions.push(change.end ? { ...next, EndTime: now } : next);
      body.SecondaryStatus = change.secondary;
      if (change.status) body.TrainingJobStatus = change.status;
      if (change.trainingStart) body.TrainingStartTime = now;
      if (change.reason) body.FailureReason = change.reason.slice(0, 1024);
      if (change.end && body.TrainingStartTime) {
        body.TrainingEndTime = now;
        const seconds = Math.max(
          1,
          Math.round((now.getTime() - body.TrainingStartTime.getTime()) / 1000),
        );
        body.TrainingTimeInSeconds = seconds;
        body.BillableTimeInSeconds = seconds * (body.ResourceConfig?.InstanceCount ?? 1);
      }
    });
  }

  /** Read-modify-write of a job's body, one at a time per job. */
  #record(name: string, mutate: (body: TrainingJobBody) => void): Promise<void> {
    const previous = this.#updates.get(name) ?? Promise.resolve();
    const next = previous.then(async () => {
      const body = fromStored((await this.#jobs.get(name)).body);
      mutate(body);
      await this.#jobs.update(name, { status: body.TrainingJobStatus, body: toStored(body) });
    });
    const settled = next.catch(() => undefined);
    this.#updates.set(name, settled);
    void settled.then(() => {
      if (this.#updates.get(name) === settled) this.#updates.delete(name);
    });
    return next;
  }
}

function toChannelSpec(
  channel: NonNullable<TrainingJobBody['InputDataConfig']>[number],
): ChannelSpec {
  const source = channel.DataSource.S3DataSource!;
  return {
    name: channel.ChannelName,
    s3Uri: source.S3Uri,
    s3DataType: source.S3DataType,
    distribution: source.S3DataDistributionType ?? 'FullyReplicated',
    ...(channel.ContentType ? { contentType: channel.ContentType } : {}),
    ...(channel.CompressionType ? { compressionType: channel.CompressionType } : {}),
    ...(channel.InputMode ? { inputMode: channel.InputMode } : {}),
    ...(channel.RecordWrapperType ? { recordWrapperType: channel.RecordWrapperType } : {}),
  };
}

/**
 * Kills the process groups a previous server started for a job (their `.pid` files), so that a
 * crash does not leave training programs running with nobody to collect them.
 */
async function killLeftovers(jobDir: string): Promise<void> {
  const files = await readdir(jobDir).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.pid'))) {
    const pid = Number(await readFile(join(jobDir, file), 'utf8').catch(() => ''));
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
