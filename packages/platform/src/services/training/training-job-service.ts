import { ValidationError } from '../../core/errors.js';
import { CONTAINER_ROOT, isBelow } from '../../compute/workspace/container-paths.js';
import { JobRecords } from '../shared/job-records.js';
import type { ListOptions, ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import { checkTags } from '../tags/tag-rules.js';
import type { TrainingRunner } from './training-runner.js';
import {
  DEFAULT_MAX_RUNTIME_SECONDS,
  fromStored,
  STATUS_MESSAGES,
  trainingJobKind,
  type TrainingJobBody,
} from './training-job-state.js';
import type { CreateTrainingJobRequest } from './training-job-types.js';
import { toStoredBody } from '../shared/stored-body.js';

/**
 * CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs and StopTrainingJob. Creating stores
 * the job InProgress and hands it to the runner, which moves it through SageMaker's secondary
 * statuses; a restarted server reconciles jobs that were in flight.
 */
export class TrainingJobService {
  readonly jobs: ResourceKind;
  private readonly records: JobRecords<TrainingJobBody>;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly runner: TrainingRunner,
  ) {
    this.jobs = trainingJobKind(ctx);
    this.records = new JobRecords(this.jobs, { prefix: 'Training', fromStored });
  }

  async create(request: CreateTrainingJobRequest): Promise<{ TrainingJobArn: string }> {
    const tags = checkTags(request.Tags);
    checkRequest(request);
    const now = this.ctx.clock.now();
    const { TrainingJobName: name, Tags: _tags, ...fields } = request;
    const body: TrainingJobBody = {
      ...fields,
      ResourceConfig: {
        ...fields.ResourceConfig,
        InstanceCount: fields.ResourceConfig?.InstanceCount ?? 1,
      },
      StoppingCondition: {
        ...fields.StoppingCondition,
        MaxRuntimeInSeconds:
          fields.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME_SECONDS,
      },
      EnableNetworkIsolation: fields.EnableNetworkIsolation ?? false,
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: 'Starting',
      SecondaryStatusTransitions: [
        { Status: 'Starting', StartTime: now, StatusMessage: STATUS_MESSAGES.Starting },
      ],
      ModelArtifacts: {
        S3ModelArtifacts: `${trimSlash(fields.OutputDataConfig.S3OutputPath)}/${name}/output/model.tar.gz`,
      },
    };
    const record = await this.jobs.create({
      name,
      status: 'InProgress',
      body: toStoredBody(body),
      tags,
      duplicate: (arn) => this.records.duplicate(arn),
    });
    this.runner.start(record.name);
    return { TrainingJobArn: record.arn };
  }

  async describe(name: string): Promise<Record<string, unknown>> {
    return this.records.describe(await this.records.get(name));
  }

  async list(
    options: ListOptions,
  ): Promise<{ TrainingJobSummaries: Record<string, unknown>[]; NextToken?: string }> {
    const page = await this.jobs.list(options);
    return {
      TrainingJobSummaries: page.items.map((record) => {
        const d = this.records.describe(record);
        return {
          TrainingJobName: d.TrainingJobName,
          TrainingJobArn: d.TrainingJobArn,
          CreationTime: d.CreationTime,
          ...(d.TrainingEndTime ? { TrainingEndTime: d.TrainingEndTime } : {}),
          LastModifiedTime: d.LastModifiedTime,
          TrainingJobStatus: d.TrainingJobStatus,
          SecondaryStatus: d.SecondaryStatus,
        };
      }),
      ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
    };
  }

  async stop(name: string): Promise<void> {
    const record = await this.records.get(name);
    this.records.checkStoppable(record);
    await this.runner.stop(record.name);
  }
}

function checkRequest(request: CreateTrainingJobRequest): void {
  const spec = request.AlgorithmSpecification;
  if (!spec || (!spec.TrainingImage && !spec.AlgorithmName)) {
    throw new ValidationError(
      'AlgorithmSpecification: give a TrainingImage (or an AlgorithmName).',
      'AlgorithmSpecification',
    );
  }
  if (!request.ResourceConfig?.InstanceType) {
    throw new ValidationError(
      'ResourceConfig.InstanceType is required (e.g. ml.m5.large).',
      'ResourceConfig',
    );
  }
  if (!request.OutputDataConfig.S3OutputPath.startsWith('s3://')) {
    throw new ValidationError(
      `OutputDataConfig.S3OutputPath must be an s3:// URI, got '${request.OutputDataConfig.S3OutputPath}'.`,
      'OutputDataConfig',
    );
  }
  checkCheckpointPath(request.CheckpointConfig?.LocalPath);
  const names = new Set<string>();
  for (const channel of request.InputDataConfig ?? []) {
    if (names.has(channel.ChannelName)) {
      throw new ValidationError(
        `InputDataConfig: channel names must be unique ('${channel.ChannelName}' repeats).`,
        'InputDataConfig',
      );
    }
    names.add(channel.ChannelName);
    if (!channel.DataSource.S3DataSource) {
      throw new ValidationError(
        `InputDataConfig: channel '${channel.ChannelName}' needs an S3DataSource; FileSystemDataSource is not supported by Plinth.`,
        'InputDataConfig',
      );
    }
  }
}

/** CheckpointConfig.LocalPath must be a folder below /opt/ml, which each host's root stands for. */
function checkCheckpointPath(path: string | undefined): void {
  if (path === undefined || isBelow(path)) return;
  throw new ValidationError(
    `CheckpointConfig.LocalPath must be a folder below ${CONTAINER_ROOT} (such as ${CONTAINER_ROOT}/checkpoints), got '${path}': Plinth gives each host its own ${CONTAINER_ROOT}.`,
    'CheckpointConfig',
  );
}

function trimSlash(uri: string): string {
  return uri.replace(/\/+$/, '');
}
