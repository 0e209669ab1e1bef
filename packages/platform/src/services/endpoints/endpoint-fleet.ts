import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
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
import { endpointKind, fromStored } from './endpoint-state.js';
import type { EndpointBody, EndpointStatus } from './endpoint-types.js';
import { Router, type LiveVariant } from './router.js';
import { variantLaunch, type VariantLaunch } from './variant-launch.js';

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
  readonly #variants = new Map<string, VariantFleet[]>();
  readonly #deploying = new Map<string, Promise<void>>();

  constructor(private readonly options: EndpointFleetOptions) {
    this.#endpoints = endpointKind(options.ctx);
    this.#updates = new SerialUpdates(this.#endpoints, {
      fromStored,
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
    const instances = (this.#variants.get(name) ?? []).flatMap((fleet) => fleet.instances);
    this.#variants.delete(name);
    await Promise.all(instances.map((i) => i.process.stop(this.options.stopGraceMs)));
  }

  /**
   * UpdateEndpointWeightsAndCapacities on a serving endpoint, in the background: new weights
   * take effect at once; instances are added (each in rotation once it answers /ping) or taken
   * out of rotation and stopped; then the endpoint is InService again with its current figures.
   */
  updateWeightsAndCapacities(name: string, changes: readonly VariantChange[]): void {
    const work = this.#update(name, changes)
      .catch((error: unknown) =>
        this.options.logger.error('endpoint update failed', { endpoint: name, err: error }),
      )
      .finally(() => this.#deploying.delete(name));
    this.#deploying.set(name, work);
  }

  async #update(name: string, changes: readonly VariantChange[]): Promise<void> {
    const fleets = this.#variants.get(name) ?? [];
    let failure: string | undefined;
    for (const change of changes) {
      const fleet = fleets.find((f) => f.launch.variant === change.VariantName);
      if (!fleet) continue;
      if (change.DesiredWeight !== undefined) fleet.live.weight = change.DesiredWeight;
      const wanted = change.DesiredInstanceCount ?? fleet.instances.length;
      try {
        while (fleet.instances.length < wanted) await this.#addInstance(name, fleet);
      } catch (error) {
        failure = (error as Error).message.slice(0, MAX_REASON_LENGTH);
      }
      while (fleet.instances.length > wanted) await this.#removeInstance(fleet);
    }
    await this.#updates.update(name, (body) => {
      body.EndpointStatus = 'InService';
      if (failure) body.FailureReason = failure;
      else delete body.FailureReason;
      for (const variant of body.ProductionVariants) {
        const fleet = fleets.find((f) => f.launch.variant === variant.VariantName);
        if (!fleet) continue;
        variant.CurrentWeight = fleet.live.weight;
        variant.CurrentInstanceCount = fleet.instances.length;
      }
    });
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
    await Promise.all([...this.#variants.keys()].map((name) => this.remove(name)));
  }

  async #deploy(name: string): Promise<void> {
    const endpoint = fromStored((await this.#endpoints.get(name)).body);
    const config = await this.options.configs.describe(endpoint.EndpointConfigName);
    // What UpdateEndpointWeightsAndCapacities last asked for outlives a restart.
    const desired = (variant: ProductionVariant) => {
      const stored = endpoint.ProductionVariants.find((v) => v.VariantName === variant.VariantName);
      return {
        weight: stored?.DesiredWeight ?? variant.InitialVariantWeight ?? 1,
        count: stored?.DesiredInstanceCount ?? variant.InitialInstanceCount ?? 1,
      };
    };
    const fleets: VariantFleet[] = [];
    try {
      for (const variant of config.ProductionVariants) {
        const launch = await variantLaunch(this.options, name, variant);
        const fleet: VariantFleet = {
          launch,
          live: { name: variant.VariantName, weight: desired(variant).weight, instances: [] },
          instances: [],
        };
        fleets.push(fleet);
        for (let i = 0; i < desired(variant).count; i++) {
          await this.#addInstance(name, fleet);
        }
      }
    } catch (error) {
      await Promise.all(fleets.flatMap((f) => f.instances).map((i) => i.process.stop(0)));
      return this.#record(name, {
        status: 'Failed',
        reason: (error as Error).message.slice(0, MAX_REASON_LENGTH),
      });
    }
    this.#variants.set(name, fleets);
    this.router.set(
      name,
      fleets.map((f) => f.live),
    );
    const now = this.options.ctx.clock.now();
    await this.#updates.update(name, (body) => {
      body.EndpointStatus = 'InService';
      delete body.FailureReason;
      body.ProductionVariants = config.ProductionVariants.map((variant, index) => ({
        VariantName: variant.VariantName,
        DeployedImages: [
          {
            SpecifiedImage: fleets[index]!.launch.image,
            ResolvedImage: fleets[index]!.launch.image,
            ResolutionTime: now,
          },
        ],
        CurrentWeight: fleets[index]!.live.weight,
        DesiredWeight: fleets[index]!.live.weight,
        CurrentInstanceCount: fleets[index]!.instances.length,
        DesiredInstanceCount: fleets[index]!.instances.length,
      }));
    });
  }

  /** Starts one more instance of a variant and puts it in the variant's rotation. */
  async #addInstance(endpoint: string, fleet: VariantFleet): Promise<ModelInstance> {
    const { launch } = fleet;
    const index = (fleet.next = (fleet.next ?? 0) + 1);
    const root = join(this.options.workRoot, endpoint, `${launch.variant}-${index}`);
    const command = await launch.prepare(root);
    const instance = await startModelInstance(this.options.executor, {
      name: `${endpoint}/${launch.variant}/${index}`,
      ...command,
      root,
      logFile: `${root}.log`,
    });
    // Kept so that a server restarted after a crash can end what this one started.
    await writeFile(`${root}.pid`, String(instance.process.pid));
    fleet.instances.push(instance);
    fleet.live.instances.push({ url: instance.url, outstanding: 0 });
    void instance.process.exited.then(() => this.#replaceIfLost(endpoint, { fleet, instance }));
    return instance;
  }

  /**
   * An instance that exits while it is in rotation (it crashed or was killed) is taken out and
   * replaced by a new one, as SageMaker replaces an unhealthy instance. Instances stopped on
   * purpose have left the fleet first and are not replaced.
   */
  async #replaceIfLost(
    endpoint: string,
    lost: { fleet: VariantFleet; instance: ModelInstance },
  ): Promise<void> {
    const { fleet, instance } = lost;
    if (!fleet.instances.includes(instance) || !this.#variants.get(endpoint)?.includes(fleet)) {
      return;
    }
    takeOut(lost);
    this.options.logger.warn('A model server exited; starting a replacement', {
      endpoint,
      variant: fleet.launch.variant,
    });
    await this.#addInstance(endpoint, fleet).catch((error: unknown) =>
      this.options.logger.error('Could not replace a model server', { endpoint, err: error }),
    );
  }

  /** Takes a variant's newest instance out of rotation, then stops it. */
  async #removeInstance(fleet: VariantFleet): Promise<void> {
    const instance = fleet.instances.at(-1);
    if (!instance) return;
    takeOut({ fleet, instance });
    await instance.process.stop(this.options.stopGraceMs);
  }

  #record(name: string, outcome: { status: EndpointStatus; reason?: string }): Promise<void> {
    return this.#updates.update(name, (body) => {
      body.EndpointStatus = outcome.status;
      if (outcome.reason) body.FailureReason = outcome.reason;
    });
  }
}

/** Out of the fleet and the router's rotation: no new request reaches the instance. */
function takeOut(leaving: { fleet: VariantFleet; instance: ModelInstance }): void {
  const { fleet, instance } = leaving;
  fleet.instances.splice(fleet.instances.indexOf(instance), 1);
  fleet.live.instances.splice(
    fleet.live.instances.findIndex((i) => i.url === instance.url),
    1,
  );
}

/** A variant's running instances and the router's view of them. */
interface VariantFleet {
  readonly launch: VariantLaunch;
  readonly live: LiveVariant;
  readonly instances: ModelInstance[];
  /** The number the last instance started was given (instances are numbered from 1). */
  next?: number;
}

/** One variant's part of UpdateEndpointWeightsAndCapacities. */
export interface VariantChange {
  readonly VariantName: string;
  readonly DesiredWeight?: number;
  readonly DesiredInstanceCount?: number;
}
