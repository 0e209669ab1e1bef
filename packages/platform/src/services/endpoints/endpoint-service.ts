import type { Clock } from '../../core/clock.js';
import { ValidationError } from '../../core/errors.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import type { EndpointConfigService } from '../endpoint-configs/endpoint-config-service.js';
import type { ProductionVariant } from '../endpoint-configs/endpoint-config-types.js';
import type { AsyncInferenceConfig } from '../async-inference/async-settings.js';
import type { ListOptions, ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import { checkTags } from '../tags/tag-rules.js';
import type { EndpointFleet, VariantChange } from './endpoint-fleet.js';
import { endpointKind, fromStored } from './endpoint-state.js';
import type {
  CreateEndpointRequest,
  EndpointBody,
  ProductionVariantSummary,
  UpdateEndpointRequest,
} from './endpoint-types.js';
import { toStoredBody } from '../shared/stored-body.js';
import { trafficPlan } from './traffic-plan.js';

/**
 * CreateEndpoint, DescribeEndpoint, ListEndpoints, UpdateEndpoint,
 * UpdateEndpointWeightsAndCapacities and DeleteEndpoint. Creating stores the endpoint Creating
 * and has the fleet bring up its instances; updating stores what is wanted and has the fleet
 * bring it about; deleting stops the instances first.
 */
export class EndpointService {
  readonly endpoints: ResourceKind;
  readonly clock: Clock;

  constructor(
    ctx: ServiceContext,
    private readonly deps: { configs: EndpointConfigService; fleet: EndpointFleet },
  ) {
    this.endpoints = endpointKind(ctx);
    this.clock = ctx.clock;
  }

  async create(request: CreateEndpointRequest): Promise<{ EndpointArn: string }> {
    const tags = checkTags(request.Tags);
    // "Could not find endpoint configuration ..." when it does not exist, as SageMaker says.
    const config = await this.deps.configs.describe(request.EndpointConfigName);
    const body: EndpointBody = {
      EndpointConfigName: config.EndpointConfigName,
      EndpointStatus: 'Creating',
      ProductionVariants: desiredSummaries(config.ProductionVariants),
      ...(config.ShadowProductionVariants
        ? { ShadowProductionVariants: desiredSummaries(config.ShadowProductionVariants) }
        : {}),
      ...(request.DeploymentConfig ? { LastDeploymentConfig: request.DeploymentConfig } : {}),
    };
    if (request.DeploymentConfig) {
      trafficPlan(request.DeploymentConfig, totalInstances(body.ProductionVariants));
    }
    const record = await this.endpoints.create({
      name: request.EndpointName,
      status: 'Creating',
      body: toStoredBody(body),
      tags,
    });
    this.deps.fleet.deploy(record.name);
    return { EndpointArn: record.arn };
  }

  async describe(name: string): Promise<Record<string, unknown>> {
    const record = await this.endpoints.get(name);
    const asyncConfig = await this.asyncInferenceConfig(fromStored(record.body).EndpointConfigName);
    return {
      ...toDescription(record),
      ...(asyncConfig ? { AsyncInferenceConfig: asyncConfig } : {}),
    };
  }

  /**
   * The AsyncInferenceConfig of an endpoint configuration: undefined when it has none (a
   * real-time endpoint), or when the configuration has been deleted since the endpoint began.
   */
  async asyncInferenceConfig(configName: string): Promise<AsyncInferenceConfig | undefined> {
    const config = await this.deps.configs.describe(configName).catch((error: unknown) => {
      if (error instanceof ValidationError) return undefined;
      throw error;
    });
    return config?.AsyncInferenceConfig;
  }

  async list(
    options: ListOptions,
  ): Promise<{ Endpoints: Record<string, unknown>[]; NextToken?: string }> {
    const page = await this.endpoints.list({ ...options, includeBody: false });
    return {
      Endpoints: page.items.map((record) => ({
        EndpointName: record.name,
        EndpointArn: record.arn,
        CreationTime: record.creationTime,
        LastModifiedTime: record.lastModifiedTime,
        EndpointStatus: record.status,
      })),
      ...(page.nextCursor ? { NextToken: page.nextCursor } : {}),
    };
  }

  /**
   * UpdateEndpoint: the endpoint goes Updating with the new configuration pending, and the
   * fleet brings it in blue/green by the DeploymentConfig's traffic plan. Each variant starts
   * with the new configuration's weight and count, or, with RetainAllVariantProperties, those
   * a variant of the same name has now (but for the properties excluded).
   */
  async update(request: UpdateEndpointRequest): Promise<{ EndpointArn: string }> {
    const record = await this.endpoints.get(request.EndpointName);
    checkUpdatable(record);
    const config = await this.deps.configs.describe(request.EndpointConfigName);
    const body = fromStored(record.body);
    const excluded = new Set(
      (request.ExcludeRetainedVariantProperties ?? []).map((p) => p.VariantPropertyType),
    );
    const retained = {
      now: request.RetainAllVariantProperties
        ? [...body.ProductionVariants, ...(body.ShadowProductionVariants ?? [])]
        : [],
      excluded,
    };
    const variants = desiredSummaries(config.ProductionVariants, retained);
    const shadows = desiredSummaries(config.ShadowProductionVariants ?? [], retained);
    const deployment =
      request.DeploymentConfig ??
      (request.RetainDeploymentConfig ? body.LastDeploymentConfig : undefined);
    const plan = trafficPlan(deployment, totalInstances(variants));
    const updated: EndpointBody = {
      ...body,
      EndpointStatus: 'Updating',
      PendingDeploymentSummary: {
        EndpointConfigName: config.EndpointConfigName,
        ProductionVariants: variants.map((variant) => ({
          ...variant,
          VariantStatus: [{ Status: 'Creating', StartTime: this.clock.now() }],
        })),
        StartTime: this.clock.now(),
      },
    };
    if (deployment) updated.LastDeploymentConfig = deployment;
    else delete updated.LastDeploymentConfig;
    await this.endpoints.update(record.name, { status: 'Updating', body: toStoredBody(updated) });
    this.deps.fleet.switchConfig(record.name, {
      configName: config.EndpointConfigName,
      desired: new Map(
        [...variants, ...shadows].map((v) => [
          v.VariantName,
          {
            weight: v.DesiredWeight,
            count:
              v.DesiredInstanceCount ?? (v.DesiredServerlessConfig?.ProvisionedConcurrency ? 1 : 0),
          },
        ]),
      ),
      plan,
    });
    return { EndpointArn: record.arn };
  }

  /**
   * UpdateEndpointWeightsAndCapacities: the endpoint goes Updating with the desired figures and
   * the fleet brings them about; only an InService endpoint can be updated.
   */
  async updateWeightsAndCapacities(
    name: string,
    changes: readonly VariantChange[],
  ): Promise<{ EndpointArn: string }> {
    const record = await this.endpoints.get(name);
    checkUpdatable(record);
    const body = fromStored(record.body);
    const all = [...body.ProductionVariants, ...(body.ShadowProductionVariants ?? [])];
    const names = new Set(all.map((v) => v.VariantName));
    const unknown = changes.map((c) => c.VariantName).filter((n) => !names.has(n));
    if (unknown.length > 0) {
      throw new ValidationError(
        `DesiredWeightsAndCapacities names variants the endpoint ${record.name} does not have: ${unknown.join(', ')}.`,
        'DesiredWeightsAndCapacities',
      );
    }
    const serverless = changes.find(
      (c) =>
        c.DesiredInstanceCount !== undefined &&
        all.find((v) => v.VariantName === c.VariantName)?.DesiredServerlessConfig,
    );
    if (serverless) {
      throw new ValidationError(
        `DesiredWeightsAndCapacities: the variant ${serverless.VariantName} is serverless and has no instance count to set; it scales with its requests up to its MaxConcurrency.`,
        'DesiredWeightsAndCapacities',
      );
    }
    for (const change of changes) {
      const variant = all.find((v) => v.VariantName === change.VariantName)!;
      if (change.DesiredWeight !== undefined) variant.DesiredWeight = change.DesiredWeight;
      if (change.DesiredInstanceCount !== undefined)
        variant.DesiredInstanceCount = change.DesiredInstanceCount;
    }
    await this.endpoints.update(record.name, {
      status: 'Updating',
      body: toStoredBody({ ...body, EndpointStatus: 'Updating' }),
    });
    this.deps.fleet.updateWeightsAndCapacities(record.name, changes);
    return { EndpointArn: record.arn };
  }

  /** Stops the endpoint's instances, then forgets it (and its tags). */
  async delete(name: string): Promise<void> {
    const record = await this.endpoints.get(name);
    if (record.status === 'Deleting') {
      throw new ValidationError(`The endpoint ${record.name} is already being deleted.`);
    }
    const body = fromStored(record.body);
    await this.endpoints.update(record.name, {
      status: 'Deleting',
      body: toStoredBody({ ...body, EndpointStatus: 'Deleting' }),
    });
    await this.deps.fleet.remove(record.name);
    await this.endpoints.delete(record.name);
  }
}

/** Only an InService endpoint can be updated, as SageMaker says. */
function checkUpdatable(record: ResourceRecord): void {
  if (record.status === 'Failed') {
    throw new ValidationError(
      `Cannot update the endpoint ${record.name}: it is Failed, and a failed endpoint can only be deleted.`,
    );
  }
  if (record.status !== 'InService') {
    throw new ValidationError(
      `Cannot update in-progress endpoint "${record.arn}": it is ${record.status}; wait until it is InService.`,
    );
  }
}

/**
 * Each variant's desired weight and count: the configuration's initial figures or, for those
 * `retained.now` has by name, its figures but for the excluded properties.
 */
function desiredSummaries(
  variants: readonly ProductionVariant[],
  retained: { now: readonly ProductionVariantSummary[]; excluded: ReadonlySet<string> } = {
    now: [],
    excluded: new Set(),
  },
): ProductionVariantSummary[] {
  return variants.map((variant) => {
    const now = retained.now.find((v) => v.VariantName === variant.VariantName);
    const keep = (property: 'DesiredWeight' | 'DesiredInstanceCount') =>
      retained.excluded.has(property) ? undefined : now?.[property];
    return {
      VariantName: variant.VariantName,
      DesiredWeight: keep('DesiredWeight') ?? variant.InitialVariantWeight ?? 1,
      ...(variant.ServerlessConfig
        ? { DesiredServerlessConfig: { ...variant.ServerlessConfig } }
        : {
            DesiredInstanceCount: keep('DesiredInstanceCount') ?? variant.InitialInstanceCount ?? 1,
          }),
    };
  });
}

/** How many instances the variants ask for in all. */
function totalInstances(variants: readonly ProductionVariantSummary[]): number {
  return variants.reduce((sum, v) => sum + (v.DesiredInstanceCount ?? 1), 0);
}

function toDescription(record: ResourceRecord): Record<string, unknown> {
  return {
    EndpointName: record.name,
    EndpointArn: record.arn,
    ...fromStored(record.body),
    CreationTime: record.creationTime,
    LastModifiedTime: record.lastModifiedTime,
  };
}
