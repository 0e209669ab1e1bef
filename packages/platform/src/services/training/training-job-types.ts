import type { Tag } from '../../store/metadata-store.js';

export type TrainingJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export type SecondaryStatus =
  | 'Starting'
  | 'Pending'
  | 'Restarting'
  | 'Downloading'
  | 'Training'
  | 'Uploading'
  | 'Stopping'
  | 'Stopped'
  | 'MaxRuntimeExceeded'
  | 'Completed'
  | 'Failed';

export interface SecondaryStatusTransition {
  Status: SecondaryStatus;
  StartTime: Date;
  EndTime?: Date;
  StatusMessage?: string;
}

export interface MetricData {
  MetricName: string;
  Value: number;
  Timestamp: Date;
}

export interface S3DataSource {
  S3DataType: 'S3Prefix' | 'ManifestFile' | 'AugmentedManifestFile';
  S3Uri: string;
  S3DataDistributionType?: 'FullyReplicated' | 'ShardedByS3Key';
}

export interface Channel {
  ChannelName: string;
  DataSource: { S3DataSource?: S3DataSource; FileSystemDataSource?: Record<string, unknown> };
  ContentType?: string;
  CompressionType?: 'None' | 'Gzip';
  RecordWrapperType?: 'None' | 'RecordIO';
  InputMode?: 'File' | 'Pipe' | 'FastFile';
  ShuffleConfig?: { Seed: number };
}

export interface AlgorithmSpecification {
  TrainingImage?: string;
  AlgorithmName?: string;
  TrainingInputMode: 'File' | 'Pipe' | 'FastFile';
  MetricDefinitions?: { Name: string; Regex: string }[];
  ContainerEntrypoint?: string[];
  ContainerArguments?: string[];
}

/**
 * What CreateTrainingJob takes: the fields Plinth acts on. The other members of the request
 * (VpcConfig, ...) are kept as sent and described back.
 */
export interface CreateTrainingJobRequest {
  TrainingJobName: string;
  AlgorithmSpecification?: AlgorithmSpecification;
  HyperParameters?: Record<string, string>;
  RoleArn: string;
  InputDataConfig?: Channel[];
  OutputDataConfig: { S3OutputPath: string; KmsKeyId?: string; CompressionType?: string };
  ResourceConfig?: { InstanceType?: string; InstanceCount?: number; VolumeSizeInGB?: number };
  CheckpointConfig?: { S3Uri: string; LocalPath?: string };
  StoppingCondition?: { MaxRuntimeInSeconds?: number; MaxWaitTimeInSeconds?: number };
  Environment?: Record<string, string>;
  EnableNetworkIsolation?: boolean;
  Tags?: Tag[];
}

/** The stored, described state of a training job (DescribeTrainingJob minus name/ARN/times). */
export interface TrainingJobState {
  TrainingJobStatus: TrainingJobStatus;
  SecondaryStatus: SecondaryStatus;
  SecondaryStatusTransitions: SecondaryStatusTransition[];
  FailureReason?: string;
  ModelArtifacts: { S3ModelArtifacts: string };
  TrainingStartTime?: Date;
  TrainingEndTime?: Date;
  TrainingTimeInSeconds?: number;
  BillableTimeInSeconds?: number;
  FinalMetricDataList?: MetricData[];
}
