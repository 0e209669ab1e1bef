import { ValidationError } from '../../core/errors.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import { ResourceKind, type ListOptions, type ServiceContext } from '../shared/resource-kind.js';
import { checkTags } from '../tags/tag-rules.js';
import { captureSettings } from '../data-capture/capture-settings.js';
import { asyncSettings, type AsyncInferenceConfig } from '../async-inference/async-settings.js';
import type {
  CreateEndpointConfigRequest,
  EndpointConfigDescription,
  EndpointConfigSummary,
  ProductionVariant,
} from './endpoint-config-types.js';

/** SageMaker gives a variant weight 1.0 when none is set. */
export const DEFAULT_VARIANT_WEIGHT = 1.0;

/** CreateEndpointConfig, DescribeEndpointConfig, ListEndpointConfigs, DeleteEndpointConfig. */
export class EndpointConfigService {
  private readonly configs: ResourceKind;
  private readonly models: ResourceKind;

  constructor(ctx: ServiceContext) {
    this.configs = new ResourceKind(ctx, 'endpoint-config', 'endpoint configuration');
    this.models = new ResourceKind(ctx, 'model', 'model');
  }

  async create(request: CreateEndpointConfigRequest): Promise<{ EndpointConfigArn: string }> {
    const tags = checkTags(request.Tags);
    const variants = await this.checkVariants(request.ProductionVariants, 'ProductionVariants');
    const shadows = request.ShadowProductionVariants
      ? await this.checkVariants(request.ShadowProductionVariants, 'ShadowProductionVariants')
      : undefined;
    if (shadows) checkShadows(variants, shadows);
    // A destination that is not an s3:// URI is refused now, not when the endpoint serves.
    captureSettings(request.DataCaptureConfig);
    if (request.AsyncInferenceConfig) checkAsync(request.AsyncInferenceConfig, variants);
    const { EndpointConfigName: name, Tags: _tags, ...rest } = request;
    const body: Record<string, unknown> = {
      ...rest,
      ProductionVariants: variants,
      ...(shadows ? { ShadowProductionVariants: shadows } : {}),
    };
    const record = await this.configs.create({ name, body, tags });
    return { EndpointConfigArn: record.arn };
  }

  async describe(name: string): Promise<EndpointConfigDescription> {
    return toDescription(await this.configs.get(name));
  }

  async list(
    options: ListOptions,
  ): Promise<{ EndpointConfigs: EndpointConfigSummary[]; NextToken?: string }> {
    const page = await this.configs.list({ ...options, includeBody: false });
    return {
      EndpointConfigs: page.items.map((r) => ({
        EndpointConfigName: r.name,
        EndpointConfigArn: r.arn,
        CreationTime: r.creationTime,
      })),
      ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
    };
  }

  async delete(name: string): Promise<void> {
    await this.configs.delete(name);
  }

  /** Variant rules beyond the shape: unique names, a model that exists, instances or serverless. */
  private async checkVariants(
    variants: readonly ProductionVariant[],
    field: string,
  ): Promise<ProductionVariant[]> {
    const names = new Set<string>();
    const checked: ProductionVariant[] = [];
    for (const [index, variant] of variants.entries()) {
      const at = `${field}.${index + 1}`;
      if (names.has(variant.VariantName.toLowerCase())) {
        throw new ValidationError(
          `${at}.VariantName: variant names must be unique within an endpoint configuration ('${variant.VariantName}' repeats).`,
          at,
        );
      }
      names.add(variant.VariantName.toLowerCase());
      if (!variant.ModelName)
        throw new ValidationError(`${at}.ModelName: each variant must name a model.`, at);
      if (!(await this.models.find(variant.ModelName)))
        throw this.models.notFound(variant.ModelName);
      checkCapacity(variant, at);
      checked.push({
        ...variant,
        InitialVariantWeight: variant.InitialVariantWeight ?? DEFAULT_VARIANT_WEIGHT,
      });
    }
    return checked;
  }
}

function checkCapacity(variant: ProductionVariant, at: string): void {
  if (variant.ServerlessConfig) {
    if (variant.InstanceType || variant.InitialInstanceCount !== undefined) {
      throw new ValidationError(
        `${at}: a serverless variant (ServerlessConfig) cannot also set InstanceType or InitialInstanceCount.`,
        at,
      );
    }
    return;
  }
  if (!variant.InstanceType) {
    throw new ValidationError(
      `${at}.InstanceType: each variant needs an InstanceType, or a ServerlessConfig.`,
      at,
    );
  }
  if (variant.InitialInstanceCount === undefined) {
    throw new ValidationError(`${at}.InitialInstanceCount: required when InstanceType is set.`, at);
  }
}

/** An asynchronous endpoint's outputs must be s3:// URIs, and its variants run on instances. */
function checkAsync(config: AsyncInferenceConfig, variants: readonly ProductionVariant[]): void {
  asyncSettings(config);
  const serverless = variants.findIndex((v) => v.ServerlessConfig);
  if (serverless >= 0) {
    throw new ValidationError(
      `ProductionVariants.${serverless + 1}.ServerlessConfig: an asynchronous endpoint (AsyncInferenceConfig) runs on instances; serverless variants cannot serve it.`,
      `ProductionVariants.${serverless + 1}.ServerlessConfig`,
    );
  }
}

function checkShadows(
  variants: readonly ProductionVariant[],
  shadows: readonly ProductionVariant[],
): void {
  if (shadows.length > 1) {
    throw new ValidationError(
      'ShadowProductionVariants: at most one shadow variant is allowed.',
      'ShadowProductionVariants',
    );
  }
  const production = new Set(variants.map((v) => v.VariantName.toLowerCase()));
  for (const shadow of shadows) {
    if (production.has(shadow.VariantName.toLowerCase())) {
      throw new ValidationError(
        `ShadowProductionVariants: '${shadow.VariantName}' is also a production variant name; names must differ.`,
        'ShadowProductionVariants',
      );
    }
  }
}

function toDescription(record: ResourceRecord): EndpointConfigDescription {
  return {
    EndpointConfigName: record.name,
    ...(record.body as Omit<
      EndpointConfigDescription,
      'EndpointConfigName' | 'EndpointConfigArn' | 'CreationTime'
    >),
    EndpointConfigArn: record.arn,
    CreationTime: record.creationTime,
  };
}
