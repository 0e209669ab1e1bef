import type { SageMakerConnection } from '../client.js';
import type { DeployRequests } from './deploy-requests.js';

/** The ARNs of a deployment's three resources. */
export interface DeployedArns {
  readonly ModelArn?: string;
  readonly EndpointConfigArn?: string;
  readonly EndpointArn?: string;
}

/** One resource of a deployment: what people call it, and how to read and delete it. */
interface Resource {
  readonly label: string;
  readonly deleteCommand: string;
  describe(): Promise<unknown>;
  remove(): Promise<unknown>;
}

function resources({ client, sdk }: SageMakerConnection, name: string): Resource[] {
  return [
    {
      label: 'model',
      deleteCommand: `delete-model --model-name ${name}`,
      describe: () => client.send(new sdk.DescribeModelCommand({ ModelName: name })),
      remove: () => client.send(new sdk.DeleteModelCommand({ ModelName: name })),
    },
    {
      label: 'endpoint configuration',
      deleteCommand: `delete-endpoint-config --endpoint-config-name ${name}`,
      describe: () =>
        client.send(new sdk.DescribeEndpointConfigCommand({ EndpointConfigName: name })),
      remove: () => client.send(new sdk.DeleteEndpointConfigCommand({ EndpointConfigName: name })),
    },
    {
      label: 'endpoint',
      deleteCommand: `delete-endpoint --endpoint-name ${name}`,
      describe: () => client.send(new sdk.DescribeEndpointCommand({ EndpointName: name })),
      remove: () => client.send(new sdk.DeleteEndpointCommand({ EndpointName: name })),
    },
  ];
}

/** SageMaker's answer to describing a model, endpoint configuration or endpoint that is not there. */
function isNotFound(error: unknown): boolean {
  const { name, message } = error as { name?: string; message?: string };
  return name === 'ValidationException' && (message ?? '').startsWith('Could not find');
}

/**
 * Fails, before anything is uploaded or created, when a model, endpoint configuration or endpoint
 * has the name already; the message lists them and how to delete them.
 */
export async function refuseTakenName(
  sm: SageMakerConnection,
  name: string,
  endpointUrl: string,
): Promise<void> {
  const all = resources(sm, name);
  const taken = await Promise.all(
    all.map((resource) =>
      resource.describe().then(
        () => true,
        (error: unknown) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      ),
    ),
  );
  const existing = all.filter((_, i) => taken[i]);
  if (existing.length === 0) return;
  const deletions = [...existing]
    .reverse()
    .map((r) => `  aws --endpoint-url ${endpointUrl} sagemaker ${r.deleteCommand}`);
  throw new Error(
    [
      `The name ${name} is taken: the ${existing.map((r) => r.label).join(', the ')} exist${existing.length === 1 ? 's' : ''} already.`,
      'Choose another --name (or leave it out for a fresh one), or delete them first:',
      ...deletions,
    ].join('\n'),
  );
}

/**
 * Creates the model, then the endpoint configuration, then the endpoint. When one is refused,
 * those created before it are deleted again, so a failed deploy leaves nothing behind.
 */
export async function createDeployment(
  sm: SageMakerConnection,
  requests: DeployRequests,
): Promise<DeployedArns> {
  const { client, sdk } = sm;
  const [model, config, endpoint] = resources(sm, requests.endpoint.EndpointName ?? '');
  const steps = [
    { resource: model!, send: () => client.send(new sdk.CreateModelCommand(requests.model)) },
    {
      resource: config!,
      send: () => client.send(new sdk.CreateEndpointConfigCommand(requests.endpointConfig)),
    },
    {
      resource: endpoint!,
      send: () => client.send(new sdk.CreateEndpointCommand(requests.endpoint)),
    },
  ];
  const arns: Record<string, string | undefined> = {};
  const created: Resource[] = [];
  for (const step of steps) {
    try {
      Object.assign(arns, await step.send());
    } catch (error) {
      for (const resource of [...created].reverse()) await resource.remove().catch(() => undefined);
      const { name, message } = error as Error;
      const undone = created.length
        ? `; the ${created.map((r) => r.label).join(' and the ')} created before it ${created.length === 1 ? 'was' : 'were'} deleted again`
        : '';
      throw new Error(`Creating the ${step.resource.label} failed (${name}: ${message})${undone}.`);
    }
    created.push(step.resource);
  }
  return {
    ModelArn: arns.ModelArn,
    EndpointConfigArn: arns.EndpointConfigArn,
    EndpointArn: arns.EndpointArn,
  };
}
