import type {
  CreateEndpointCommandInput,
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
} from '@aws-sdk/client-sagemaker';

/** What one `plinth deploy` puts behind an endpoint, once its model artifact is in S3. */
export interface DeploySettings {
  /** The name the model, endpoint configuration and endpoint all get. */
  readonly name: string;
  readonly image: string;
  readonly modelDataUrl: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly role: string;
  readonly variant: string;
  readonly instanceType: string;
  readonly instanceCount: number;
}

/** The three requests of a deployment, in the order they are sent. */
export interface DeployRequests {
  readonly model: CreateModelCommandInput;
  readonly endpointConfig: CreateEndpointConfigCommandInput;
  readonly endpoint: CreateEndpointCommandInput;
}

type InstanceType = NonNullable<
  CreateEndpointConfigCommandInput['ProductionVariants']
>[number]['InstanceType'];

/**
 * CreateModel, CreateEndpointConfig and CreateEndpoint as the SageMaker SDK's `deploy()` sends
 * them: one variant taking all the traffic (weight 1), everything named alike.
 */
export function buildDeployRequests(settings: DeploySettings): DeployRequests {
  const environment = Object.keys(settings.environment).length
    ? { Environment: { ...settings.environment } }
    : {};
  return {
    model: {
      ModelName: settings.name,
      ExecutionRoleArn: settings.role,
      PrimaryContainer: {
        Image: settings.image,
        ModelDataUrl: settings.modelDataUrl,
        ...environment,
      },
    },
    endpointConfig: {
      EndpointConfigName: settings.name,
      ProductionVariants: [
        {
          VariantName: settings.variant,
          ModelName: settings.name,
          InstanceType: settings.instanceType as InstanceType,
          InitialInstanceCount: settings.instanceCount,
          InitialVariantWeight: 1,
        },
      ],
    },
    endpoint: { EndpointName: settings.name, EndpointConfigName: settings.name },
  };
}
