import type { Tag } from '../../store/metadata-store.js';
import type { AsyncInferenceConfig } from '../async-inference/async-settings.js';
import type { DataCaptureConfig } from '../data-capture/capture-settings.js';

/** One variant of an endpoint configuration (ProductionVariant). */
export interface ProductionVariant {
  VariantName: string;
  ModelName?: string;
  InitialInstanceCount?: number;
  InstanceType?: string;
  InitialVariantWeight?: number;
  ServerlessConfig?: {
    MemorySizeInMB: number;
    MaxConcurrency: number;
    ProvisionedConcurrency?: number;
  };
  [other: string]: unknown;
}

/** What CreateEndpointConfig takes. */
export interface CreateEndpointConfigRequest {
  EndpointConfigName: string;
  ProductionVariants: ProductionVariant[];
  ShadowProductionVariants?: ProductionVariant[];
  DataCaptureConfig?: DataCaptureConfig;
  AsyncInferenceConfig?: AsyncInferenceConfig;
  ExplainerConfig?: Record<string, unknown>;
  KmsKeyId?: string;
  ExecutionRoleArn?: string;
  VpcConfig?: Record<string, unknown>;
  EnableNetworkIsolation?: boolean;
  MetricsConfig?: Record<string, unknown>;
  Tags?: Tag[];
}

/** What DescribeEndpointConfig returns. */
export interface EndpointConfigDescription extends Omit<CreateEndpointConfigRequest, 'Tags'> {
  EndpointConfigArn: string;
  CreationTime: Date;
}

export interface EndpointConfigSummary {
  EndpointConfigName: string;
  EndpointConfigArn: string;
  CreationTime: Date;
}
