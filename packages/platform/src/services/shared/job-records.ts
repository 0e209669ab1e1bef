import { ResourceInUseError, ResourceNotFoundError, ValidationError } from '../../core/errors.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import type { ResourceKind } from './resource-kind.js';

/** How SageMaker names a kind of job: `Training` gives TrainingJobName, TrainingJobArn, ... */
export interface JobNaming<B> {
  readonly prefix: 'Training' | 'Processing' | 'Transform';
  readonly fromStored: (body: Record<string, unknown>) => B;
}

/**
 * What the job APIs share: SageMaker's field names and wording for a job's record, its
 * description, a name already in use, a job that is not there, and one that cannot be stopped.
 */
export class JobRecords<B> {
  constructor(
    readonly kind: ResourceKind,
    private readonly naming: JobNaming<B>,
  ) {}

  /** The error for a name in use, as SageMaker words it. */
  duplicate(arn: string): ResourceInUseError {
    const label = `${this.naming.prefix.toLowerCase()} job`;
    return new ResourceInUseError(
      `${this.naming.prefix} job names must be unique within an AWS account and region, and a ${label} with this name already exists (${arn})`,
    );
  }

  /** The job, or ResourceNotFound as Describe*Job and Stop*Job answer it. */
  async get(name: string): Promise<ResourceRecord> {
    const record = await this.kind.find(name);
    if (!record) throw new ResourceNotFoundError('Requested resource not found.');
    return record;
  }

  /** The job as Describe*Job gives it: name, ARN, the stored body and the record's times. */
  describe(record: ResourceRecord): Record<string, unknown> & B {
    const { prefix } = this.naming;
    return {
      [`${prefix}JobName`]: record.name,
      [`${prefix}JobArn`]: record.arn,
      ...this.naming.fromStored(record.body),
      CreationTime: record.creationTime,
      LastModifiedTime: record.lastModifiedTime,
    };
  }

  /** Only an InProgress job can be stopped; others get a ValidationException saying so. */
  checkStoppable(record: ResourceRecord): void {
    if (record.status === 'InProgress') return;
    throw new ValidationError(
      `The ${this.naming.prefix.toLowerCase()} job ${record.name} is ${record.status}; only an InProgress job can be stopped.`,
    );
  }
}
