import type { ModelService } from '../models/model-service.js';
import { JobRecords } from '../shared/job-records.js';
import type { ListOptions, ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import { toStoredBody } from '../shared/stored-body.js';
import { checkTags } from '../tags/tag-rules.js';
import { fromStored, transformJobKind } from './transform-job-state.js';
import type { CreateTransformJobRequest, TransformJobBody } from './transform-job-types.js';
import { transformJobBody } from './transform-request-rules.js';

/** What the service hands created and stopped jobs to. */
export interface TransformJobRunner {
  /** Starts running a stored InProgress job in the background. */
  start(name: string): void;
  /** Moves an InProgress job to Stopping and stops it. */
  stop(name: string): Promise<void>;
}

/**
 * CreateTransformJob, DescribeTransformJob, ListTransformJobs and StopTransformJob. Creating
 * checks the request and that its model exists, stores the job InProgress with SageMaker's
 * defaults filled, and hands it to the runner.
 */
export class TransformJobService {
  readonly jobs: ResourceKind;
  private readonly records: JobRecords<TransformJobBody>;

  constructor(
    ctx: ServiceContext,
    private readonly deps: { readonly models: ModelService; readonly runner: TransformJobRunner },
  ) {
    this.jobs = transformJobKind(ctx);
    this.records = new JobRecords(this.jobs, { prefix: 'Transform', fromStored });
  }

  async create(request: CreateTransformJobRequest): Promise<{ TransformJobArn: string }> {
    const tags = checkTags(request.Tags);
    const body = transformJobBody(request);
    // SageMaker's "Could not find model" ValidationException for a model that is not there.
    await this.deps.models.describe(request.ModelName);
    const record = await this.jobs.create({
      name: request.TransformJobName,
      status: 'InProgress',
      body: toStoredBody(body),
      tags,
      duplicate: (arn) => this.records.duplicate(arn),
    });
    this.deps.runner.start(record.name);
    return { TransformJobArn: record.arn };
  }

  async describe(name: string): Promise<Record<string, unknown>> {
    // DescribeTransformJob has no LastModifiedTime.
    const { LastModifiedTime: _modified, ...described } = this.records.describe(
      await this.records.get(name),
    );
    return described;
  }

  async list(
    options: ListOptions,
  ): Promise<{ TransformJobSummaries: Record<string, unknown>[]; NextToken?: string }> {
    const page = await this.jobs.list(options);
    return {
      TransformJobSummaries: page.items.map((record) => {
        const d = this.records.describe(record);
        return {
          TransformJobName: d.TransformJobName,
          TransformJobArn: d.TransformJobArn,
          CreationTime: d.CreationTime,
          ...(d.TransformEndTime ? { TransformEndTime: d.TransformEndTime } : {}),
          LastModifiedTime: d.LastModifiedTime,
          TransformJobStatus: d.TransformJobStatus,
          ...(d.FailureReason ? { FailureReason: d.FailureReason } : {}),
        };
      }),
      ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
    };
  }

  async stop(name: string): Promise<void> {
    const record = await this.records.get(name);
    this.records.checkStoppable(record);
    await this.deps.runner.stop(record.name);
  }
}
