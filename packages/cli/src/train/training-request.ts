import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';

/** Plinth does not check roles; SageMaker needs one, so jobs get this unless `--role` says otherwise. */
export const PLACEHOLDER_ROLE = 'arn:aws:iam::000000000000:role/plinth';

/** The storage the SageMaker SDK asks for by default; Plinth does not limit it. */
const VOLUME_SIZE_GB = 30;

/** What a `plinth train` job is made of, once its local data is in S3. */
export interface TrainingJobSettings {
  readonly jobName: string;
  readonly image: string;
  readonly role: string;
  readonly hyperParameters: Readonly<Record<string, string>>;
  /** Each channel's name and the S3 prefix of its data. */
  readonly channels: readonly { readonly name: string; readonly s3Uri: string }[];
  readonly contentType?: string;
  readonly outputPath: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly maxRuntimeSeconds: number;
}

/** The CreateTrainingJob request for a job, as the SageMaker SDK's Estimator.fit() sends it. */
export function buildTrainingRequest(job: TrainingJobSettings): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: job.jobName,
    RoleArn: job.role,
    AlgorithmSpecification: { TrainingImage: job.image, TrainingInputMode: 'File' },
    HyperParameters: { ...job.hyperParameters },
    InputDataConfig: job.channels.map((channel) => ({
      ChannelName: channel.name,
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: channel.s3Uri,
          S3DataDistributionType: 'FullyReplicated',
        },
      },
      ...(job.contentType ? { ContentType: job.contentType } : {}),
    })),
    OutputDataConfig: { S3OutputPath: job.outputPath },
    ResourceConfig: {
      InstanceType: job.instanceType as NonNullable<
        CreateTrainingJobCommandInput['ResourceConfig']
      >['InstanceType'],
      InstanceCount: job.instanceCount,
      VolumeSizeInGB: VOLUME_SIZE_GB,
    },
    StoppingCondition: { MaxRuntimeInSeconds: job.maxRuntimeSeconds },
  };
}
