import type { EndpointConfigService } from '../../services/endpoint-configs/endpoint-config-service.js';
import type { CreateEndpointConfigRequest } from '../../services/endpoint-configs/endpoint-config-types.js';
import type { VariantChange } from '../../services/endpoints/endpoint-fleet.js';
import type { EndpointService } from '../../services/endpoints/endpoint-service.js';
import type {
  CreateEndpointRequest,
  UpdateEndpointRequest,
} from '../../services/endpoints/endpoint-types.js';
import type { ModelService } from '../../services/models/model-service.js';
import type { CreateModelRequest } from '../../services/models/model-types.js';
import type { TagService } from '../../services/tags/tag-service.js';
import type { ProcessingJobService } from '../../services/processing/processing-job-service.js';
import type { CreateProcessingJobRequest } from '../../services/processing/processing-job-types.js';
import type { TrainingJobService } from '../../services/training/training-job-service.js';
import type { TransformJobService } from '../../services/transform/transform-job-service.js';
import type { CreateTransformJobRequest } from '../../services/transform/transform-job-types.js';
import type { CreateTrainingJobRequest } from '../../services/training/training-job-types.js';
import type { Tag } from '../../store/metadata-store.js';
import type { OperationHandler } from '../aws-json/json-service.js';
import { decodeListOptions } from './decode.js';

export interface SageMakerServices {
  readonly models: ModelService;
  readonly endpointConfigs: EndpointConfigService;
  readonly tags: TagService;
  readonly trainingJobs: TrainingJobService;
  readonly processingJobs: ProcessingJobService;
  readonly transformJobs: TransformJobService;
  readonly endpoints: EndpointService;
}

/**
 * The SageMaker operations Plinth serves, by operation name. Inputs arrive validated against
 * their shapes, so each handler only picks fields and calls one service method.
 */
export function createSageMakerHandlers(
  services: SageMakerServices,
): Record<string, OperationHandler> {
  const { models, endpointConfigs, tags, trainingJobs, processingJobs, transformJobs, endpoints } =
    services;
  return {
    CreateModel: (input) => models.create(input as unknown as CreateModelRequest),
    DescribeModel: (input) => models.describe(input.ModelName as string),
    ListModels: (input) => models.list(decodeListOptions(input)),
    DeleteModel: async (input) => {
      await models.delete(input.ModelName as string);
      return {};
    },

    CreateEndpointConfig: (input) =>
      endpointConfigs.create(input as unknown as CreateEndpointConfigRequest),
    DescribeEndpointConfig: (input) => endpointConfigs.describe(input.EndpointConfigName as string),
    ListEndpointConfigs: (input) => endpointConfigs.list(decodeListOptions(input)),
    DeleteEndpointConfig: async (input) => {
      await endpointConfigs.delete(input.EndpointConfigName as string);
      return {};
    },

    CreateEndpoint: (input) => endpoints.create(input as unknown as CreateEndpointRequest),
    DescribeEndpoint: (input) => endpoints.describe(input.EndpointName as string),
    ListEndpoints: (input) => endpoints.list(decodeListOptions(input)),
    UpdateEndpoint: (input) => endpoints.update(input as unknown as UpdateEndpointRequest),
    UpdateEndpointWeightsAndCapacities: (input) =>
      endpoints.updateWeightsAndCapacities(
        input.EndpointName as string,
        input.DesiredWeightsAndCapacities as VariantChange[],
      ),
    DeleteEndpoint: async (input) => {
      await endpoints.delete(input.EndpointName as string);
      return {};
    },

    CreateTrainingJob: (input) => trainingJobs.create(input as unknown as CreateTrainingJobRequest),
    DescribeTrainingJob: (input) => trainingJobs.describe(input.TrainingJobName as string),
    ListTrainingJobs: (input) => trainingJobs.list(decodeListOptions(input)),
    StopTrainingJob: async (input) => {
      await trainingJobs.stop(input.TrainingJobName as string);
      return {};
    },

    CreateProcessingJob: (input) =>
      processingJobs.create(input as unknown as CreateProcessingJobRequest),
    DescribeProcessingJob: (input) => processingJobs.describe(input.ProcessingJobName as string),
    ListProcessingJobs: (input) => processingJobs.list(decodeListOptions(input)),
    StopProcessingJob: async (input) => {
      await processingJobs.stop(input.ProcessingJobName as string);
      return {};
    },

    CreateTransformJob: (input) =>
      transformJobs.create(input as unknown as CreateTransformJobRequest),
    DescribeTransformJob: (input) => transformJobs.describe(input.TransformJobName as string),
    ListTransformJobs: (input) => transformJobs.list(decodeListOptions(input)),
    StopTransformJob: async (input) => {
      await transformJobs.stop(input.TransformJobName as string);
      return {};
    },

    AddTags: async (input) => ({
      Tags: await tags.addTags(input.ResourceArn as string, input.Tags as Tag[]),
    }),
    ListTags: async (input) => {
      const page = await tags.listTags(input.ResourceArn as string, {
        maxResults: input.MaxResults as number | undefined,
        nextToken: input.NextToken as string | undefined,
      });
      return { Tags: page.items, ...(page.nextCursor ? { NextToken: page.nextCursor } : {}) };
    },
    DeleteTags: async (input) => {
      await tags.deleteTags(input.ResourceArn as string, input.TagKeys as string[]);
      return {};
    },
  };
}
