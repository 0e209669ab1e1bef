import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { Executor } from '../../compute/executor.js';
import { killLeftovers } from '../../compute/host-run.js';
import type { Logger } from '../../logging/logger.js';
import type { EndpointConfigService } from '../endpoint-configs/endpoint-config-service.js';
import type {
  EndpointConfigDescription,
  ProductionVariant,
} from '../endpoint-configs/endpoint-config-types.js';
import type { ModelService } from '../models/model-service.js';
import { recordsWithStatus } from '../shared/records-with-status.js';
import type { ResourceKind, ServiceContext } from '../shared/resource-kind.js';
import { SerialUpdates } from '../shared/serial-updates.js';
import type { ProgramCatalog } from '../training/job-programs.js';
import { endpointKind, fromStored } from './endpoint-state.js';
import type {
  EndpointBody,
  EndpointStatus,
  ProductionVariantSummary,
  VariantStatus,
} from './endpoint-types.js';
import { captureSettings, type CaptureSettings } from '../data-capture/capture-settings.js';
import { HealthChecks, UNHEALTHY_AFTER } from './health-checks.js';
import { ServerlessWatch } from './serverless-watch.js';
import { Router, type LiveVariant } from './router.js';
import type { TrafficPlan } from './traffic-plan.js';
import type { FleetInstance } from './fleet-instance.js';
import { variantLaunch } from './variant-launch.js';
import { VariantFleet, type InstanceHost } from './variant-fleet.js';

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
  /** How often each serving instance is asked GET /ping (5 s by default). */
  readonly pingIntervalMs?: number;
  /** How long a serverless instance may sit idle before it stops (60 s by default). */
  readonly serverlessIdleMs?: number;
  /** Told how long each serverless cold start took. */
  onModelSetup?(sample: { endpoint: string; variant: string; ms: number }): void;
}

/** How often serving instances are health-checked unless the options say otherwise. */
const DEFAULT_PING_INTERVAL_MS = 5_000;
/** How long a serverless instance stays up without requests unless the options say otherwise. */
const DEFAULT_SERVERLESS_IDLE_MS = 60_000;

/** What UpdateEndpoint asks the fleet to bring in. */
export interface ConfigSwitch {
  readonly configName: string;
  /** The weight and instance count each variant of the new configuration starts with. */
  readonly desired: ReadonlyMap<string, { weight: number; count: number }>;
  readonly plan: TrafficPlan;
}

/**
 * The model-server processes behind endpoints: brings up every instance of every production
 * variant of an endpoint's configuration, records the endpoint InService (or Failed, saying
 * why), hands the live instances to the router, moves traffic to a new fleet on UpdateEndpoint,
 * and stops the instances when the endpoint is deleted.
 */
export class EndpointFleet {
  readonly router = new Router();
  readonly #endpoints: ResourceKind;
  readonly #updates: SerialUpdates<EndpointBody>;
  readonly #variants = new Map<string, VariantFleet[]>();
  readonly #work = new Map<string, { done: Promise<void>; abort: AbortController }>();
  /** The number the last instance of each endpoint was given: work directories never clash. */
  readonly #instanceNumbers = new Map<string, number>();
  readonly #health: HealthChecks<FleetInstance>;
  readonly #host: InstanceHost;
  readonly #serverless: ServerlessWatch;
  /** What each serving endpoint's configuration asks data capture to keep. */
  readonly #capture = new Map<string, CaptureSettings>();

  constructor(private readonly options: EndpointFleetOptions) {
    this.#endpoints = endpointKind(options.ctx);
    this.#updates = new SerialUpdates(this.#endpoints, {
      fromStored,
      status: (body) => body.EndpointStatus,
    });
    this.#host = {
      executor: options.executor,
      clock: options.ctx.clock,
      onModelSetup: (sample) => options.onModelSetup?.(sample),
      workRoot: options.workRoot,
      stopGraceMs: options.stopGraceMs,
      nextNumber: (endpoint) => {
        const next = (this.#instanceNumbers.get(endpoint) ?? 0) + 1;
        this.#instanceNumbers.set(endpoint, next);
        return next;
      },
    };
    this.#health = new HealthChecks({
      intervalMs: options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
      instances: () => this.#serving(),
      onUnhealthy: (instance) => void this.#replaceUnhealthy(instance),
    });
    this.#serverless = new ServerlessWatch({
      fleets: () =>
        [...this.#variants].flatMap(([endpoint, fleets]) =>
          fleets.map((fleet) => ({ endpoint, fleet })),
        ),
      idleMs: options.serverlessIdleMs ?? DEFAULT_SERVERLESS_IDLE_MS,
      clock: options.ctx.clock,
      logger: options.logger,
    });
  }

  /** The data capture the endpoint's serving configuration asks for, if any. */
  captureSettings(endpoint: string): CaptureSettings | undefined {
    return this.#capture.get(endpoint);
  }

  /**
   * Starts watching serving instances: GET /ping, replacing those that stop answering; and
   * serverless ones' idleness and memory.
   */
  watch(): void {
    this.#health.start();
    this.#serverless.start();
  }

  /** Brings up the endpoint's instances in the background. */
  deploy(name: string): void {
    this.#background(name, 'endpoint deployment failed', () => this.#deploy(name));
  }

  /**
   * UpdateEndpointWeightsAndCapacities on a serving endpoint, in the background: new weights
   * take effect at once; instances are added (each in rotation once it answers /ping) or taken
   * out of rotation and stopped; then the endpoint is InService again with its current figures.
   */
  updateWeightsAndCapacities(name: string, changes: readonly VariantChange[]): void {
    this.#background(name, 'endpoint update failed', () => this.#update(name, changes));
  }

  /**
   * UpdateEndpoint, in the background, blue/green as SageMaker does it: the new configuration's
   * fleet comes up beside the serving one and answers /ping before any request reaches it;
   * traffic then moves by the plan's steps; the old fleet finishes its requests and stops. If
   * the new fleet cannot start, it is stopped and the endpoint goes on serving its old
   * configuration, InService with a FailureReason saying why.
   */
  switchConfig(name: string, change: ConfigSwitch): void {
    this.#background(name, 'endpoint update failed', (signal) =>
      this.#switch(name, change, signal),
    );
  }

  /** Ends any update under way, takes the endpoint out of the router and stops its instances. */
  async remove(name: string): Promise<void> {
    const work = this.#work.get(name);
    work?.abort.abort();
    await work?.done;
    this.router.remove(name);
    this.#capture.delete(name);
    const fleets = this.#variants.get(name) ?? [];
    this.#variants.delete(name);
    await this.#stop(fleets);
  }

  /**
   * Brings back, after a restart, the endpoints a previous server ran (SystemUpdating until
   * they serve again), and finishes deleting those it was deleting. An update that was under
   * way is not resumed: the endpoint serves its configuration and its FailureReason says so.
   */
  async reconcile(): Promise<number> {
    let settled = 0;
    for (const status of ['Creating', 'InService', 'Updating', 'SystemUpdating'] as const) {
      for await (const record of recordsWithStatus(this.#endpoints, status)) {
        // Marked SystemUpdating below, an endpoint comes round again in that status's listing.
        if (this.#work.has(record.name)) continue;
        await killLeftovers(join(this.options.workRoot, record.name));
        await this.#updates.update(record.name, (body) => {
          body.EndpointStatus = 'SystemUpdating';
          const pending = body.PendingDeploymentSummary;
          if (!pending) return;
          body.FailureReason = `Plinth restarted while the endpoint was being updated to the endpoint configuration ${pending.EndpointConfigName}; it serves ${body.EndpointConfigName} again. Call UpdateEndpoint again to update it.`;
          delete body.PendingDeploymentSummary;
        });
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
    await Promise.all([this.#health.stop(), this.#serverless.stop()]);
    await Promise.all([...this.#work.values()].map((work) => work.done));
    await Promise.all([...this.#variants.keys()].map((name) => this.remove(name)));
  }

  /** Runs an endpoint's deployment or update, logging a failure no status records. */
  #background(name: string, what: string, work: (signal: AbortSignal) => Promise<void>): void {
    const abort = new AbortController();
    const done = work(abort.signal)
      .catch((error: unknown) => this.options.logger.error(what, { endpoint: name, err: error }))
      .finally(() => this.#work.delete(name));
    this.#work.set(name, { done, abort });
  }

  async #deploy(name: string): Promise<void> {
    const endpoint = fromStored((await this.#endpoints.get(name)).body);
    const config = await this.options.configs.describe(endpoint.EndpointConfigName);
    const stored = [...endpoint.ProductionVariants, ...(endpoint.ShadowProductionVariants ?? [])];
    // What UpdateEndpointWeightsAndCapacities last asked for outlives a restart.
    const desired = new Map(
      variantsOf(config).map(({ variant }) => {
        const now = stored.find((v) => v.VariantName === variant.VariantName);
        return [
          variant.VariantName,
          {
            weight: now?.DesiredWeight ?? variant.InitialVariantWeight ?? 1,
            count: now?.DesiredInstanceCount ?? initialCount(variant),
          },
        ];
      }),
    );
    let fleets: VariantFleet[];
    try {
      fleets = await this.#startFleets(name, config, desired);
    } catch (error) {
      return this.#record(name, { status: 'Failed', reason: reasonOf(error) });
    }
    this.#variants.set(name, fleets);
    this.#route(name, fleets, config);
    await this.#updates.update(name, (body) => {
      body.EndpointStatus = 'InService';
      this.#describe(body, fleets, config);
    });
  }

  async #switch(name: string, change: ConfigSwitch, signal: AbortSignal): Promise<void> {
    const config = await this.options.configs.describe(change.configName);
    const blue = this.#variants.get(name) ?? [];
    let green: VariantFleet[];
    try {
      green = await this.#startFleets(name, config, change.desired);
    } catch (error) {
      return this.#updates.update(name, (body) => {
        body.EndpointStatus = 'InService';
        body.FailureReason =
          `The update to the endpoint configuration ${change.configName} failed, so the endpoint still serves ${body.EndpointConfigName}: ${reasonOf(error)}`.slice(
            0,
            MAX_REASON_LENGTH,
          );
        delete body.PendingDeploymentSummary;
      });
    }
    const fleets = { blue: serving(blue), green: serving(green) };
    try {
      for (const share of change.plan.shares) {
        signal.throwIfAborted();
        this.router.split(name, { ...fleets, greenShare: share });
        await this.#pending(name, green, {
          status: share < 1 ? 'ActivatingTraffic' : 'Baking',
          share,
        });
        if (change.plan.waitMs > 0) await sleep(change.plan.waitMs, undefined, { signal });
      }
    } catch (error) {
      // The endpoint is being deleted: the new fleet goes; remove() stops the old one.
      await this.#stop(green);
      if (signal.aborted) return;
      throw error;
    }
    this.#variants.set(name, green);
    this.#route(name, green, config);
    if (change.plan.terminationWaitMs > 0) {
      await sleep(change.plan.terminationWaitMs, undefined, { signal }).catch(() => undefined);
    }
    await this.#stop(blue);
    await this.#updates.update(name, (body) => {
      body.EndpointConfigName = change.configName;
      body.EndpointStatus = 'InService';
      this.#describe(body, green, config);
      delete body.FailureReason;
      delete body.PendingDeploymentSummary;
    });
  }

  async #update(name: string, changes: readonly VariantChange[]): Promise<void> {
    const fleets = this.#variants.get(name) ?? [];
    let failure: string | undefined;
    for (const change of changes) {
      const fleet = fleets.find((f) => f.variant === change.VariantName);
      if (!fleet) continue;
      if (change.DesiredWeight !== undefined) fleet.live.weight = change.DesiredWeight;
      const wanted = change.DesiredInstanceCount ?? fleet.instances.length;
      try {
        while (fleet.instances.length < wanted) await fleet.add();
      } catch (error) {
        failure = reasonOf(error);
      }
      while (fleet.instances.length > wanted) await fleet.removeNewest();
    }
    await this.#updates.update(name, (body) => {
      body.EndpointStatus = 'InService';
      if (failure) body.FailureReason = failure;
      else delete body.FailureReason;
      for (const variant of [
        ...body.ProductionVariants,
        ...(body.ShadowProductionVariants ?? []),
      ]) {
        const fleet = fleets.find((f) => f.variant === variant.VariantName);
        if (!fleet) continue;
        variant.CurrentWeight = fleet.live.weight;
        variant.CurrentInstanceCount = fleet.instances.length;
      }
    });
  }

  /**
   * Starts every instance of every variant; each answers /ping before this resolves. If one
   * cannot start, those already started are stopped and the error says why.
   */
  async #startFleets(
    name: string,
    config: EndpointConfigDescription,
    desired: ReadonlyMap<string, { weight: number; count: number }>,
  ): Promise<VariantFleet[]> {
    const fleets: VariantFleet[] = [];
    try {
      for (const { variant, shadow } of variantsOf(config)) {
        const launch = await variantLaunch(this.options, name, variant);
        const { weight, count } = desired.get(variant.VariantName) ?? { weight: 1, count: 1 };
        const fleet = new VariantFleet(
          { launch, shadow, weight, serverless: variant.ServerlessConfig },
          this.#host,
          (exited, instance) => void this.#replaceIfLost(name, { fleet: exited, instance }),
        );
        fleets.push(fleet);
        for (let i = 0; i < count; i++) await fleet.add();
      }
    } catch (error) {
      await Promise.all(fleets.flatMap((f) => f.instances).map((i) => i.stop(0)));
      throw error;
    }
    return fleets;
  }

  /** Hands the router the fleets' production and shadow variants, and notes their capture. */
  #route(name: string, fleets: readonly VariantFleet[], config: EndpointConfigDescription): void {
    const capture = captureSettings(config.DataCaptureConfig);
    if (capture) this.#capture.set(name, capture);
    else this.#capture.delete(name);
    this.router.set(
      name,
      serving(fleets),
      fleets.filter((f) => f.shadow).map((f) => f.live),
    );
  }

  /** Puts the serving fleets' figures and data capture in DescribeEndpoint's fields. */
  #describe(
    body: EndpointBody,
    fleets: readonly VariantFleet[],
    config: EndpointConfigDescription,
  ): void {
    const capture = config.DataCaptureConfig;
    if (capture) {
      body.DataCaptureConfig = {
        EnableCapture: capture.EnableCapture ?? true,
        CaptureStatus: capture.EnableCapture === false ? 'Stopped' : 'Started',
        CurrentSamplingPercentage: capture.InitialSamplingPercentage,
        DestinationS3Uri: capture.DestinationS3Uri,
        ...(capture.KmsKeyId ? { KmsKeyId: capture.KmsKeyId } : {}),
      };
    } else delete body.DataCaptureConfig;
    body.ProductionVariants = this.#summaries(fleets.filter((f) => !f.shadow));
    const shadows = fleets.filter((f) => f.shadow);
    if (shadows.length > 0) body.ShadowProductionVariants = this.#summaries(shadows);
    else delete body.ShadowProductionVariants;
  }

  /** DescribeEndpoint's variant summaries for fleets now serving. */
  #summaries(fleets: readonly VariantFleet[]): ProductionVariantSummary[] {
    const now = this.options.ctx.clock.now();
    return fleets.map((fleet) => ({
      VariantName: fleet.variant,
      DeployedImages: fleet.launch.images.map((image) => ({
        SpecifiedImage: image,
        ResolvedImage: image,
        ResolutionTime: now,
      })),
      CurrentWeight: fleet.live.weight,
      DesiredWeight: fleet.live.weight,
      ...(fleet.serverless
        ? {
            CurrentServerlessConfig: { ...fleet.serverless },
            DesiredServerlessConfig: { ...fleet.serverless },
          }
        : {
            CurrentInstanceCount: fleet.instances.length,
            DesiredInstanceCount: fleet.instances.length,
          }),
    }));
  }

  /** Shows in PendingDeploymentSummary how far the new fleet has come. */
  #pending(
    name: string,
    green: readonly VariantFleet[],
    step: { status: VariantStatus; share: number },
  ): Promise<void> {
    const summaries = this.#summaries(green.filter((f) => !f.shadow));
    const StartTime = this.options.ctx.clock.now();
    return this.#updates.update(name, (body) => {
      const pending = body.PendingDeploymentSummary;
      if (!pending) return;
      pending.ProductionVariants = summaries.map((summary) => ({
        ...summary,
        VariantStatus: [
          {
            Status: step.status,
            StatusMessage: `The new fleet receives ${Math.round(step.share * 100)}% of the endpoint's requests.`,
            StartTime,
          },
        ],
      }));
    });
  }

  /**
   * An instance that exits while it is in rotation (it crashed or was killed) is taken out and
   * replaced by a new one, as SageMaker replaces an unhealthy instance. Instances stopped on
   * purpose have left the fleet first and are not replaced.
   */
  async #replaceIfLost(
    endpoint: string,
    lost: { fleet: VariantFleet; instance: FleetInstance },
  ): Promise<void> {
    const { fleet, instance } = lost;
    if (!this.#variants.get(endpoint)?.includes(fleet) || !fleet.takeOut(instance)) return;
    // The rest of a pipeline's containers go with the one that exited.
    await instance.stop(0);
    // A serverless variant starts another when a request comes.
    if (fleet.serverless && !fleet.serverless.ProvisionedConcurrency) return;
    await this.#replace(endpoint, fleet, 'A model server exited; starting a replacement');
  }

  /**
   * An instance that stopped answering GET /ping (hung, or overwhelmed past recovery) is taken
   * out of rotation, killed and replaced; requests it held fail over to another instance.
   */
  async #replaceUnhealthy(instance: FleetInstance): Promise<void> {
    for (const [endpoint, fleets] of this.#variants) {
      const fleet = fleets.find((f) => f.takeOut(instance));
      if (!fleet) continue;
      await instance.stop(0);
      return this.#replace(
        endpoint,
        fleet,
        `A model server failed ${UNHEALTHY_AFTER} health checks (GET /ping) in a row; starting a replacement`,
      );
    }
  }

  async #replace(endpoint: string, fleet: VariantFleet, why: string): Promise<void> {
    this.options.logger.warn(why, { endpoint, variant: fleet.variant });
    await fleet
      .add()
      .catch((error: unknown) =>
        this.options.logger.error('Could not replace a model server', { endpoint, err: error }),
      );
  }

  /** Every instance in rotation with its containers' servers, for the health checks. */
  *#serving(): Iterable<{ key: FleetInstance; urls: string[] }> {
    for (const fleets of this.#variants.values()) {
      for (const fleet of fleets) {
        for (const instance of fleet.instances) {
          yield { key: instance, urls: instance.containers.map((c) => c.url) };
        }
      }
    }
  }

  /** Stops fleets no request is routed to any more, each instance finishing its requests. */
  async #stop(fleets: readonly VariantFleet[]): Promise<void> {
    await Promise.all(fleets.map((fleet) => fleet.stop()));
  }

  #record(name: string, outcome: { status: EndpointStatus; reason?: string }): Promise<void> {
    return this.#updates.update(name, (body) => {
      body.EndpointStatus = outcome.status;
      if (outcome.reason) body.FailureReason = outcome.reason;
    });
  }

  /** Every model-server process in rotation, with its pid (read by per-instance metrics). */
  instances(): { endpoint: string; variant: string; pid: number; url: string }[] {
    return [...this.#variants].flatMap(([endpoint, fleets]) =>
      fleets.flatMap((fleet) =>
        fleet.instances.flatMap((instance) =>
          instance.containers.map((container) => ({
            endpoint,
            variant: fleet.variant,
            pid: container.process.pid,
            url: container.url,
          })),
        ),
      ),
    );
  }
}

/** A FailureReason from an error, cut to SageMaker's length. */
function reasonOf(error: unknown): string {
  return (error as Error).message.slice(0, MAX_REASON_LENGTH);
}

/** How many instances a variant starts with: a serverless one, none unless provisioned. */
export function initialCount(variant: ProductionVariant): number {
  if (variant.ServerlessConfig) return variant.ServerlessConfig.ProvisionedConcurrency ? 1 : 0;
  return variant.InitialInstanceCount ?? 1;
}

/** A configuration's production variants, then its shadow variants. */
function variantsOf(
  config: EndpointConfigDescription,
): { variant: ProductionVariant; shadow: boolean }[] {
  return [
    ...config.ProductionVariants.map((variant) => ({ variant, shadow: false })),
    ...(config.ShadowProductionVariants ?? []).map((variant) => ({ variant, shadow: true })),
  ];
}

/** The router's view of the fleets' production variants. */
function serving(fleets: readonly VariantFleet[]): LiveVariant[] {
  return fleets.filter((f) => !f.shadow).map((f) => f.live);
}

/** One variant's part of UpdateEndpointWeightsAndCapacities. */
export interface VariantChange {
  readonly VariantName: string;
  readonly DesiredWeight?: number;
  readonly DesiredInstanceCount?: number;
}
