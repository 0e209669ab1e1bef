import type { Tag } from '../../store/metadata-store.js';

export type ProcessingJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

/** ProcessingInput.S3Input: objects downloaded to LocalPath before the program starts. */
export interface ProcessingS3Input {
  S3Uri: string;
  LocalPath?: string;
  S3DataType: 'S3Prefix' | 'ManifestFile';
  S3InputMode?: 'File' | 'Pipe';
  S3DataDistributionType?: 'FullyReplicated' | 'ShardedByS3Key';
  S3CompressionType?: 'None' | 'Gzip';
}

export interface ProcessingInput {
  InputName: string;
  AppManaged?: boolean;
  S3Input?: ProcessingS3Input;
  DatasetDefinition?: Record<string, unknown>;
}

/** ProcessingOutput.S3Output: what the program leaves in LocalPath is uploaded to S3Uri. */
export interface ProcessingS3Output {
  S3Uri: string;
  LocalPath?: string;
  S3UploadMode: 'Continuous' | 'EndOfJob';
}

export interface ProcessingOutput {
  OutputName: string;
  AppManaged?: boolean;
  S3Output?: ProcessingS3Output;
  FeatureStoreOutput?: Record<string, unknown>;
}

/** What CreateProcessingJob takes; members Plinth does not act on are kept and described back. */
export interface CreateProcessingJobRequest {
  ProcessingJobName: string;
  ProcessingInputs?: ProcessingInput[];
  ProcessingOutputConfig?: { Outputs: ProcessingOutput[]; KmsKeyId?: string };
  ProcessingResources: {
    ClusterConfig: { InstanceCount: number; InstanceType: string; VolumeSizeInGB: number };
  };
  StoppingCondition?: { MaxRuntimeInSeconds: number };
  AppSpecification: {
    ImageUri: string;
    ContainerEntrypoint?: string[];
    ContainerArguments?: string[];
  };
  Environment?: Record<string, string>;
  NetworkConfig?: { EnableNetworkIsolation?: boolean };
  RoleArn: string;
  Tags?: Tag[];
}

/** The stored, described state of a processing job (DescribeProcessingJob minus name/ARN/times). */
export interface ProcessingJobState {
  ProcessingJobStatus: ProcessingJobStatus;
  ExitMessage?: string;
  FailureReason?: string;
  ProcessingStartTime?: Date;
  ProcessingEndTime?: Date;
}

/** A stored processing job: its request fields plus its state. */
export type ProcessingJobBody = Omit<CreateProcessingJobRequest, 'ProcessingJobName' | 'Tags'> &
  ProcessingJobState;
