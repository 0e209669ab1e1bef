import type { Tag } from '../../store/metadata-store.js';

/** A container of a model as SageMaker describes it (ContainerDefinition). */
export interface ContainerDefinition {
  ContainerHostname?: string;
  Image?: string;
  ImageConfig?: Record<string, unknown>;
  Mode?: 'SingleModel' | 'MultiModel';
  ModelDataUrl?: string;
  ModelDataSource?: Record<string, unknown>;
  AdditionalModelDataSources?: Record<string, unknown>[];
  Environment?: Record<string, string>;
  ModelPackageName?: string;
  InferenceSpecificationName?: string;
  MultiModelConfig?: Record<string, unknown>;
}

/** What CreateModel takes. */
export interface CreateModelRequest {
  ModelName: string;
  PrimaryContainer?: ContainerDefinition;
  Containers?: ContainerDefinition[];
  InferenceExecutionConfig?: { Mode: 'Serial' | 'Direct' };
  ExecutionRoleArn?: string;
  Tags?: Tag[];
  VpcConfig?: Record<string, unknown>;
  EnableNetworkIsolation?: boolean;
}

/** What DescribeModel returns. */
export interface ModelDescription {
  ModelName: string;
  ModelArn: string;
  CreationTime: Date;
  PrimaryContainer?: ContainerDefinition;
  Containers?: ContainerDefinition[];
  InferenceExecutionConfig?: { Mode: 'Serial' | 'Direct' };
  ExecutionRoleArn?: string;
  VpcConfig?: Record<string, unknown>;
  EnableNetworkIsolation: boolean;
}

export interface ModelSummary {
  ModelName: string;
  ModelArn: string;
  CreationTime: Date;
}
