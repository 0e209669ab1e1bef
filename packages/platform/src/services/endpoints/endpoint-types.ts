import type { Tag } from '../../store/metadata-store.js';

export type EndpointStatus =
  'Creating' | 'InService' | 'Updating' | 'SystemUpdating' | 'RollingBack' | 'Deleting' | 'Failed';

/** What CreateEndpoint takes. */
export interface CreateEndpointRequest {
  EndpointName: string;
  EndpointConfigName: string;
  DeploymentConfig?: Record<string, unknown>;
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
  DesiredInstanceCount: number;
}

/** A stored endpoint: its config's name, status and variants (DescribeEndpoint minus name/ARN/times). */
export interface EndpointBody {
  EndpointConfigName: string;
  EndpointStatus: EndpointStatus;
  FailureReason?: string;
  ProductionVariants: ProductionVariantSummary[];
}
