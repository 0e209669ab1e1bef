import type { Tag } from '../../store/metadata-store.js';

export type EndpointStatus =
  'Creating' | 'InService' | 'Updating' | 'SystemUpdating' | 'RollingBack' | 'Deleting' | 'Failed';

/** What CreateEndpoint takes. */
export interface CreateEndpointRequest {
  EndpointName: string;
  EndpointConfigName: string;
  DeploymentConfig?: DeploymentConfig;
  Tags?: Tag[];
}

/** An image a variant runs, as DescribeEndpoint reports it. */
export interface DeployedImage {
  SpecifiedImage: string;
  ResolvedImage: string;
  ResolutionTime: Date;
}

/** A variant as DescribeEndpoint's ProductionVariants list it. */
export interface ProductionVariantSummary {
  VariantName: string;
  DeployedImages?: DeployedImage[];
  CurrentWeight?: number;
  DesiredWeight: number;
  CurrentInstanceCount?: number;
  /** Absent for a serverless variant, which has its ServerlessConfig instead. */
  DesiredInstanceCount?: number;
  CurrentServerlessConfig?: ServerlessConfigSummary;
  DesiredServerlessConfig?: ServerlessConfigSummary;
}

/** A serverless variant's memory and concurrency. */
export interface ServerlessConfigSummary {
  MemorySizeInMB: number;
  MaxConcurrency: number;
  ProvisionedConcurrency?: number;
}

/** Where a variant of the new fleet is in an update (SageMaker's VariantStatus). */
export type VariantStatus = 'Creating' | 'Updating' | 'Deleting' | 'ActivatingTraffic' | 'Baking';

/** A variant of the configuration an update is bringing in. */
export interface PendingVariantSummary extends ProductionVariantSummary {
  VariantStatus?: { Status: VariantStatus; StatusMessage?: string; StartTime: Date }[];
}

/** The update in progress, as DescribeEndpoint's PendingDeploymentSummary shows it. */
export interface PendingDeploymentSummary {
  EndpointConfigName: string;
  ProductionVariants: PendingVariantSummary[];
  StartTime: Date;
}

/** How many instances, or what share of them, a traffic-shifting step takes. */
export interface CapacitySize {
  Type: 'INSTANCE_COUNT' | 'CAPACITY_PERCENT';
  Value: number;
}

/** SageMaker's DeploymentConfig: how UpdateEndpoint moves traffic to the new fleet. */
export interface DeploymentConfig {
  BlueGreenUpdatePolicy?: {
    TrafficRoutingConfiguration: {
      Type: 'ALL_AT_ONCE' | 'CANARY' | 'LINEAR';
      WaitIntervalInSeconds: number;
      CanarySize?: CapacitySize;
      LinearStepSize?: CapacitySize;
    };
    TerminationWaitInSeconds?: number;
    MaximumExecutionTimeoutInSeconds?: number;
  };
  RollingUpdatePolicy?: {
    MaximumBatchSize: CapacitySize;
    WaitIntervalInSeconds: number;
    MaximumExecutionTimeoutInSeconds?: number;
    RollbackMaximumBatchSize?: CapacitySize;
  };
  AutoRollbackConfiguration?: { Alarms?: { AlarmName: string }[] };
}

/** What UpdateEndpoint takes. */
export interface UpdateEndpointRequest {
  EndpointName: string;
  EndpointConfigName: string;
  RetainAllVariantProperties?: boolean;
  ExcludeRetainedVariantProperties?: { VariantPropertyType: string }[];
  DeploymentConfig?: DeploymentConfig;
  RetainDeploymentConfig?: boolean;
}

/** DescribeEndpoint's account of the serving configuration's data capture. */
export interface DataCaptureConfigSummary {
  EnableCapture: boolean;
  CaptureStatus: 'Started' | 'Stopped';
  CurrentSamplingPercentage: number;
  DestinationS3Uri: string;
  KmsKeyId?: string;
}

/** A stored endpoint: its config's name, status and variants (DescribeEndpoint minus name/ARN/times). */
export interface EndpointBody {
  EndpointConfigName: string;
  EndpointStatus: EndpointStatus;
  FailureReason?: string;
  ProductionVariants: ProductionVariantSummary[];
  ShadowProductionVariants?: ProductionVariantSummary[];
  DataCaptureConfig?: DataCaptureConfigSummary;
  LastDeploymentConfig?: DeploymentConfig;
  PendingDeploymentSummary?: PendingDeploymentSummary;
}
