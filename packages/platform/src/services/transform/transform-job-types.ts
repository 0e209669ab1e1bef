import type { Tag } from '../../store/metadata-store.js';
import type { AssembleWith } from './output-assembly.js';
import type { BatchStrategy } from './record-batches.js';
import type { SplitType } from './record-split.js';

export type TransformJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

/** TransformInput: where the records are and how they are read. */
export interface TransformInput {
  DataSource: {
    S3DataSource: {
      S3DataType: 'S3Prefix' | 'ManifestFile' | 'AugmentedManifestFile' | 'Converse';
      S3Uri: string;
    };
  };
  ContentType?: string;
  CompressionType?: 'None' | 'Gzip';
  SplitType?: SplitType;
}

/** TransformOutput: where each input object's `.out` object goes and how it is put together. */
export interface TransformOutput {
  S3OutputPath: string;
  Accept?: string;
  AssembleWith?: AssembleWith;
  KmsKeyId?: string;
}

/** DataProcessing: which part of each record the model gets, and what is written. */
export interface DataProcessing {
  InputFilter?: string;
  OutputFilter?: string;
  JoinSource?: 'Input' | 'None';
}

/** What CreateTransformJob takes; members Plinth does not act on are kept and described back. */
export interface CreateTransformJobRequest {
  TransformJobName: string;
  ModelName: string;
  MaxConcurrentTransforms?: number;
  ModelClientConfig?: { InvocationsTimeoutInSeconds?: number; InvocationsMaxRetries?: number };
  MaxPayloadInMB?: number;
  BatchStrategy?: BatchStrategy;
  Environment?: Record<string, string>;
  TransformInput: TransformInput;
  TransformOutput: TransformOutput;
  DataCaptureConfig?: Record<string, unknown>;
  TransformResources: { InstanceType: string; InstanceCount: number; VolumeKmsKeyId?: string };
  DataProcessing?: DataProcessing;
  ExperimentConfig?: Record<string, unknown>;
  Tags?: Tag[];
}

/** The described state of a transform job. */
export interface TransformJobState {
  TransformJobStatus: TransformJobStatus;
  FailureReason?: string;
  TransformStartTime?: Date;
  TransformEndTime?: Date;
}

/** A stored transform job: its request fields, defaults filled, plus its state. */
export type TransformJobBody = Omit<CreateTransformJobRequest, 'TransformJobName' | 'Tags'> &
  TransformJobState;
