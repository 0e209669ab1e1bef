import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { unpackTarGzObject } from '../../compute/archive/unpack-object.js';
import type { Executor } from '../../compute/executor.js';
import { killLeftovers } from '../../compute/host-run.js';
import { startModelInstance, type ModelInstance } from '../../compute/serving/model-instance.js';
import type { Logger } from '../../logging/logger.js';
import type { EndpointConfigService } from '../endpoint-configs/endpoint-config-service.js';
import type { ProductionVariant } from '../endpoint-configs/endpoint-config-types.js';
import type { ModelService } from '../models/model-service.js';
import { recordsWithStatus } from '../shared/records-with-status.js';
import type { ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import { SerialUpdates } from '../shared/serial-updates.js';
import type { ProgramCatalog } from '../training/job-programs.js';
import { builtinAlgorithm } from '../training/launch-plan.js';
import { endpointKind, fromStored, toStored } from './endpoint-state.js';
import type { EndpointBody, EndpointStatus } from './endpoint-types.js';
import { Router, type LiveVariant } from './router.js';

/** SageMaker's limit on FailureReason. */
const MAX_REASON_LENGTH = 1024;

export interface EndpointFleetOptions {
  readonly ctx: ServiceContext;
  readonly executor: Executor;
  readonly objectStore: ObjectStore;
  readonly programs: ProgramCatalog;
  readonly models: ModelService;
  readonly configs: EndpointConfigService;
  /** Each endpoint's instances get work directories and logs under `<workRoot>/<endpoint>/`. */
  readonly workRoot: string;
  readonly logger: Logger;
  readonly stopGraceMs: number;
}

/**
 * The model-server processes behind endpoints: brings up every instance of every production
 * variant of an endpoint's configuration, records the endpoint InService (or Failed, saying
 * why), hands the live instances to the router, and stops them when the endpoint is deleted.
 */
export class EndpointFleet {
  readonly router = new Router();
  readonly #endpoints: ResourceKind;
  readonly #updates: SerialUpdates<EndpointBody>;
  readonly #instances = new Map<string, ModelInstance[]>();
  readonly #deploying = new Map<string, Promise<void>>();

  constructor(private readonly options: EndpointFleetOptions) {
    this.#endpoints = endpointKind(options.ctx);
    this.#updates = new SerialUpdates(this.#endpoints, {
      fromStored,
      toStored,
      status: (body) => body.EndpointStatus,
    });
  }

  /** Brings up the endpoint's instances in the background. */
  deploy(name: string): void {
    const done = this.#deploy(name)
      .catch((error: unknown) =>
        this.options.logger.error('endpoint deployment failed', { endpoint: name, err: error }),
      )
      .finally(() => this.#deploying.delete(name));
    this.#deploying.set(name, done);
  }

  /** Takes the endpoint out of the router and stops its instances. */
  async remove(name: string): Promise<void> {
    await this.#deploying.get(name);
    this.router.remove(name);
    const instances = this.#instances.get(name) ?? [];
    this.#instances.delete(name);
    await Promise.all(instances.map((i) => i.process.stop(this.options.stopGraceMs)));
  }

  /**
   * Brings back, after a restart, the endpoints a previous server ran (SystemUpdating until
   * they serve again), and finishes deleting those it was deleting.
   */
  async reconcile(): Promise<number> {
    let settled = 0;
    for (const status of ['Creating', 'InService', 'Updating', 'SystemUpdating'] as const) {
      for await (const record of recordsWithStatus(this.#endpoints, status)) {
        // Marked SystemUpdating below, an endpoint comes round again in that status's listing.
        if (this.#deploying.has(record.name)) continue;
        await killLeftovers(join(this.options.workRoot, record.name));
        await this.#updates.update(record.name, (body) => (body.EndpointStatus = 'SystemUpdating'));
        this.deploy(record.name);
        settled += 1;
      }
    }
    for await (const record of recordsWithStatus(this.#endpoints, 'Deleting')) {
      await killLeftovers(join(this.options.workRoot, record.name));
      await this.#endpoints.delete(record.name);
      settled += 1;
    }
    return settled;
  }

  /** Stops every instance (server shutdown); the endpoints stay as they are recorded. */
  async close(): Promise<void> {
    await Promise.all([...this.#deploying.values()]);
    await Promise.all([...this.#instances.keys()].map((name) => this.remove(name)));
  }

  async #deploy(name: string): Promise<void> {
    const endpoint = fromStored((await this.#endpoints.get(name)).body);
    const config = await this.options.configs.describe(endpoint.EndpointConfigName);
    const started: ModelInstance[] = [];
    this.#instances.set(name, started);
    const live: LiveVariant[] = [];
    const images: string[] = [];
    try {
      for (const variant of config.ProductionVariants) {
        const { image, instances } = await this.#startVariant(name, { variant, started });
        images.push(image);
        live.push({
          name: variant.VariantName,
          weight: variant.InitialVariantWeight ?? 1,
          instances: instances.map((i) => ({ url: i.url, outstanding: 0 })),
        });
      }
    } catch (error) {
      await Promise.all(started.map((i) => i.process.stop(0)));
      this.#instances.delete(name);
      return this.#record(name, {
        status: 'Failed',
        reason: (error as Error).message.slice(0, MAX_REASON_LENGTH),
      });
    }
    this.router.set(name, live);
    const now = this.options.ctx.clock.now();
    await this.#updates.update(name, (body) => {
      body.EndpointStatus = 'InService';
      delete body.FailureReason;
      body.ProductionVariants = config.ProductionVariants.map((variant, index) => ({
        VariantName: variant.VariantName,
        DeployedImages: [
          {
            SpecifiedImage: images[index] ?? '',
            ResolvedImage: images[index] ?? '',
            ResolutionTime: now,
          },
        ],
        CurrentWeight: variant.InitialVariantWeight ?? 1,
        DesiredWeight: variant.InitialVariantWeight ?? 1,
        CurrentInstanceCount: variant.InitialInstanceCount ?? 1,
        DesiredInstanceCount: variant.InitialInstanceCount ?? 1,
      }));
    });
  }

  async #startVariant(
    endpoint: string,
    run: { variant: ProductionVariant; started: ModelInstance[] },
  ): Promise<{ image: string; instances: ModelInstance[] }> {
    const { variant } = run;
    const model = await this.options.models.describe(variant.ModelName ?? '');
    const container = model.PrimaryContainer ?? model.Containers?.[0];
    const image = container?.Image ?? '';
    const algorithm = builtinAlgorithm(image);
    if (!algorithm) {
      throw new Error(
        `Variant ${variant.VariantName}: Plinth cannot serve the image '${image}' of model ${model.ModelName} yet; it serves the built-in algorithms' images.`,
      );
    }
    if (!container?.ModelDataUrl) {
      throw new Error(
        `Variant ${variant.VariantName}: model ${model.ModelName} has no ModelDataUrl, and ${algorithm} needs its model.tar.gz.`,
      );
    }
    const program = this.options.programs.server(algorithm);
    const instances: ModelInstance[] = [];
    for (let i = 1; i <= (variant.InitialInstanceCount ?? 1); i++) {
      const root = join(this.options.workRoot, endpoint, `${variant.VariantName}-${i}`);
      await unpackTarGzObject(this.options.objectStore, {
        uri: container.ModelDataUrl,
        dir: join(root, 'model'),
        what: `the model of variant ${variant.VariantName}`,
      });
      const instance = await startModelInstance(this.options.executor, {
        name: `${endpoint}/${variant.VariantName}/${i}`,
        ...program,
        root,
        env: container.Environment ?? {},
        logFile: `${root}.log`,
      });
      run.started.push(instance);
      instances.push(instance);
      // Kept so that a server restarted after a crash can end what this one started.
      await writeFile(`${root}.pid`, String(instance.process.pid));
    }
    return { image, instances };
  }

  #record(name: string, outcome: { status: EndpointStatus; reason?: string }): Promise<void> {
    return this.#updates.update(name, (body) => {
      body.EndpointStatus = outcome.status;
      if (outcome.reason) body.FailureReason = outcome.reason;
    });
  }
}
