import { ValidationError } from '../../core/errors.js';
import { isBelow } from '../../compute/workspace/container-paths.js';
import { JobRecords } from '../shared/job-records.js';
import type { ListOptions, ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import { checkTags } from '../tags/tag-rules.js';
import {
  DEFAULT_PROCESSING_MAX_RUNTIME_SECONDS,
  fromStored,
  processingJobKind,
} from './processing-job-state.js';
import type { ProcessingJobBody, CreateProcessingJobRequest } from './processing-job-types.js';
import type { ProcessingRunner } from './processing-runner.js';
import { toStoredBody } from '../shared/stored-body.js';

/** Where a processing job's inputs and outputs must be, as SageMaker requires. */
export const PROCESSING_ROOT = '/opt/ml/processing';

/**
 * CreateProcessingJob, DescribeProcessingJob, ListProcessingJobs and StopProcessingJob. Creating
 * stores the job InProgress and hands it to the runner; a restarted server reconciles jobs that
 * were in flight.
 */
export class ProcessingJobService {
  readonly jobs: ResourceKind;
  private readonly records: JobRecords<ProcessingJobBody>;

  constructor(
    ctx: ServiceContext,
    private readonly runner: ProcessingRunner,
  ) {
    this.jobs = processingJobKind(ctx);
    this.records = new JobRecords(this.jobs, { prefix: 'Processing', fromStored });
  }

  async create(request: CreateProcessingJobRequest): Promise<{ ProcessingJobArn: string }> {
    const tags = checkTags(request.Tags);
    checkRequest(request);
    const { ProcessingJobName: name, Tags: _tags, ...fields } = request;
    const body: ProcessingJobBody = {
      ...fields,
      StoppingCondition: {
        MaxRuntimeInSeconds:
          fields.StoppingCondition?.MaxRuntimeInSeconds ?? DEFAULT_PROCESSING_MAX_RUNTIME_SECONDS,
      },
      ProcessingJobStatus: 'InProgress',
    };
    const record = await this.jobs.create({
      name,
      status: 'InProgress',
      body: toStoredBody(body),
      tags,
      duplicate: (arn) => this.records.duplicate(arn),
    });
    this.runner.start(record.name);
    return { ProcessingJobArn: record.arn };
  }

  async describe(name: string): Promise<Record<string, unknown>> {
    return this.records.describe(await this.records.get(name));
  }

  async list(
    options: ListOptions,
  ): Promise<{ ProcessingJobSummaries: Record<string, unknown>[]; NextToken?: string }> {
    const page = await this.jobs.list(options);
    return {
      ProcessingJobSummaries: page.items.map((record) => {
        const d = this.records.describe(record);
        return {
          ProcessingJobName: d.ProcessingJobName,
          ProcessingJobArn: d.ProcessingJobArn,
          CreationTime: d.CreationTime,
          ...(d.ProcessingEndTime ? { ProcessingEndTime: d.ProcessingEndTime } : {}),
          LastModifiedTime: d.LastModifiedTime,
          ProcessingJobStatus: d.ProcessingJobStatus,
          ...(d.FailureReason ? { FailureReason: d.FailureReason } : {}),
          ...(d.ExitMessage ? { ExitMessage: d.ExitMessage } : {}),
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

function checkRequest(request: CreateProcessingJobRequest): void {
  const inputNames = new Set<string>();
  for (const input of request.ProcessingInputs ?? []) {
    const field = `ProcessingInputs '${input.InputName}'`;
    if (inputNames.has(input.InputName)) {
      throw new ValidationError(`${field}: input names must be unique.`, 'ProcessingInputs');
    }
    inputNames.add(input.InputName);
    if (!input.S3Input) {
      throw new ValidationError(
        `${field} needs an S3Input; DatasetDefinition inputs are not supported by Plinth.`,
        'ProcessingInputs',
      );
    }
    checkLocalPath(`${field} S3Input.LocalPath`, input.S3Input.LocalPath);
    checkS3Uri(`${field} S3Input.S3Uri`, input.S3Input.S3Uri);
  }
  const outputNames = new Set<string>();
  for (const output of request.ProcessingOutputConfig?.Outputs ?? []) {
    const field = `ProcessingOutputConfig.Outputs '${output.OutputName}'`;
    if (outputNames.has(output.OutputName)) {
      throw new ValidationError(`${field}: output names must be unique.`, 'ProcessingOutputConfig');
    }
    outputNames.add(output.OutputName);
    if (!output.S3Output) {
      throw new ValidationError(
        `${field} needs an S3Output; FeatureStoreOutput is not supported by Plinth.`,
        'ProcessingOutputConfig',
      );
    }
    checkLocalPath(`${field} S3Output.LocalPath`, output.S3Output.LocalPath);
    checkS3Uri(`${field} S3Output.S3Uri`, output.S3Output.S3Uri);
  }
}

function checkLocalPath(field: string, path: string | undefined): void {
  if (path === undefined || !isBelow(path, PROCESSING_ROOT)) {
    throw new ValidationError(
      `${field} must be a folder below ${PROCESSING_ROOT}/, got '${path ?? ''}'.`,
      field,
    );
  }
}

function checkS3Uri(field: string, uri: string): void {
  if (!/^s3:\/\/[^/]+/.test(uri)) {
    throw new ValidationError(`${field} must be an s3:// URI, got '${uri}'.`, field);
  }
}
