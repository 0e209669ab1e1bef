import { ValidationError } from '../../core/errors.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import { ResourceKind, type ListOptions, type ServiceContext } from '../shared/resource-kind.js';
import { checkTags } from '../tags/tag-rules.js';
import type {
  ContainerDefinition,
  CreateModelRequest,
  ModelDescription,
  ModelSummary,
} from './model-types.js';

/** CreateModel, DescribeModel, ListModels and DeleteModel, with SageMaker's rules and wording. */
export class ModelService {
  private readonly models: ResourceKind;

  constructor(ctx: ServiceContext) {
    this.models = new ResourceKind(ctx, 'model', 'model');
  }

  async create(request: CreateModelRequest): Promise<{ ModelArn: string }> {
    const tags = checkTags(request.Tags);
    const body = describedBody(request);
    const record = await this.models.create({ name: request.ModelName, body, tags });
    return { ModelArn: record.arn };
  }

  async describe(name: string): Promise<ModelDescription> {
    return toDescription(await this.models.get(name));
  }

  async list(options: ListOptions): Promise<{ Models: ModelSummary[]; NextToken?: string }> {
    const page = await this.models.list({ ...options, includeBody: false });
    return {
      Models: page.items.map((r) => ({
        ModelName: r.name,
        ModelArn: r.arn,
        CreationTime: r.creationTime,
      })),
      ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
    };
  }

  async delete(name: string): Promise<void> {
    await this.models.delete(name);
  }
}

/** Checks the rules the input shape cannot express and returns what DescribeModel will show. */
function describedBody(request: CreateModelRequest): Record<string, unknown> {
  const { PrimaryContainer, Containers, InferenceExecutionConfig } = request;
  if (PrimaryContainer && Containers) {
    throw new ValidationError(
      'Specify either PrimaryContainer or Containers, not both.',
      'PrimaryContainer',
    );
  }
  if (!PrimaryContainer && (!Containers || Containers.length === 0)) {
    throw new ValidationError(
      'Either PrimaryContainer or Containers must be specified.',
      'PrimaryContainer',
    );
  }
  if (InferenceExecutionConfig && !Containers) {
    throw new ValidationError(
      'InferenceExecutionConfig applies only to models with Containers (an inference pipeline).',
      'InferenceExecutionConfig',
    );
  }
  const body: Record<string, unknown> = {
    EnableNetworkIsolation: request.EnableNetworkIsolation ?? false,
  };
  if (PrimaryContainer) body.PrimaryContainer = withDefaults(PrimaryContainer, 'PrimaryContainer');
  if (Containers)
    body.Containers = Containers.map((c, i) => withDefaults(c, `Containers.${i + 1}`));
  if (InferenceExecutionConfig) body.InferenceExecutionConfig = InferenceExecutionConfig;
  if (request.ExecutionRoleArn) body.ExecutionRoleArn = request.ExecutionRoleArn;
  if (request.VpcConfig) body.VpcConfig = request.VpcConfig;
  return body;
}

/** SageMaker fills Mode and Environment when describing a container. */
function withDefaults(container: ContainerDefinition, field: string): ContainerDefinition {
  if (!container.Image && !container.ModelPackageName) {
    throw new ValidationError(
      `${field}: a container needs an Image (or a ModelPackageName).`,
      field,
    );
  }
  return {
    ...container,
    Mode: container.Mode ?? 'SingleModel',
    Environment: container.Environment ?? {},
  };
}

function toDescription(record: ResourceRecord): ModelDescription {
  return {
    ModelName: record.name,
    ...(record.body as Omit<ModelDescription, 'ModelName' | 'ModelArn' | 'CreationTime'>),
    ModelArn: record.arn,
    CreationTime: record.creationTime,
  };
}
