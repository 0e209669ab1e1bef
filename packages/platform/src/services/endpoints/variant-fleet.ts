import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Executor } from '../../compute/executor.js';
import type { Clock } from '../../core/clock.js';
import { startFleetInstance, type FleetInstance } from './fleet-instance.js';
import type { LiveVariant } from './router.js';
import type { VariantLaunch } from './variant-launch.js';

/** How often a retiring instance is checked for requests still in flight. */
const DRAIN_POLL_MS = 10;

/** What starting and stopping instances takes, shared by an endpoint's variants. */
export interface InstanceHost {
  readonly executor: Executor;
  readonly clock: Clock;
  /** Instances get work directories and logs under `<workRoot>/<endpoint>/`. */
  readonly workRoot: string;
  /** How long a stopping instance may finish its requests. */
  readonly stopGraceMs: number;
  /** The next number for an instance of the endpoint, so directories never clash. */
  nextNumber(endpoint: string): number;
  /** Told how long a serverless variant's cold start took (the ModelSetupTime metric). */
  onModelSetup?(sample: { endpoint: string; variant: string; ms: number }): void;
}

/** A serverless variant's ServerlessConfig. */
export interface ServerlessSettings {
  readonly MemorySizeInMB: number;
  readonly MaxConcurrency: number;
  readonly ProvisionedConcurrency?: number;
}

/**
 * One variant's running instances and the router's view of them: starts instances into
 * rotation and takes them out of it, letting each finish its requests before it stops. A
 * serverless variant starts its instance when a request finds none (a cold start).
 */
export class VariantFleet {
  readonly live: LiveVariant;
  readonly instances: FleetInstance[] = [];
  readonly launch: VariantLaunch;
  /** A shadow variant gets copies of requests; its answers are discarded. */
  readonly shadow: boolean;
  readonly serverless: ServerlessSettings | undefined;
  #waking: Promise<void> | undefined;

  constructor(
    variant: {
      launch: VariantLaunch;
      shadow: boolean;
      weight: number;
      serverless?: ServerlessSettings;
    },
    private readonly host: InstanceHost,
    /** Called when one of an instance's containers exits. */
    private readonly onExit: (fleet: VariantFleet, instance: FleetInstance) => void,
  ) {
    this.launch = variant.launch;
    this.shadow = variant.shadow;
    this.serverless = variant.serverless;
    this.live = {
      name: variant.launch.variant,
      weight: variant.weight,
      instances: [],
      ...(variant.serverless
        ? { maxConcurrency: variant.serverless.MaxConcurrency, wake: () => this.#wake() }
        : {}),
    };
  }

  get variant(): string {
    return this.launch.variant;
  }

  /** Starts one more instance and puts it in rotation once all its containers answer /ping. */
  async add(): Promise<FleetInstance> {
    const { launch, host } = this;
    const index = host.nextNumber(launch.endpoint);
    const root = join(host.workRoot, launch.endpoint, `${launch.variant}-${index}`);
    const instance = await startFleetInstance(host.executor, {
      name: `${launch.endpoint}/${launch.variant}/${index}`,
      root,
      mode: launch.mode,
      commands: await launch.prepare(root),
      clock: host.clock,
    });
    this.instances.push(instance);
    this.live.instances.push(instance.live);
    void instance.exited.then(() => this.onExit(this, instance));
    return instance;
  }

  /** A cold start: one instance for the requests waiting, however many wait. */
  #wake(): Promise<void> {
    if (this.instances.length > 0) return Promise.resolve();
    this.#waking ??= (async () => {
      const started = performance.now();
      await this.add();
      this.host.onModelSetup?.({
        endpoint: this.launch.endpoint,
        variant: this.variant,
        ms: performance.now() - started,
      });
    })().finally(() => (this.#waking = undefined));
    return this.#waking;
  }

  /** Takes the instance out of rotation: no new request reaches it. False if it was not in. */
  takeOut(instance: FleetInstance): boolean {
    const index = this.instances.indexOf(instance);
    if (index < 0) return false;
    this.instances.splice(index, 1);
    const live = this.live.instances.indexOf(instance.live);
    if (live >= 0) this.live.instances.splice(live, 1);
    return true;
  }

  /** Takes the instance out of rotation; it finishes its requests, then stops. */
  retire(instance: FleetInstance): Promise<void> {
    return this.#retire(instance);
  }

  /** Takes the newest instance out of rotation; it finishes its requests, then stops. */
  async removeNewest(): Promise<void> {
    const instance = this.instances.at(-1);
    if (instance) await this.#retire(instance);
  }

  /** Takes every instance out of rotation; each finishes its requests, then stops. */
  async stop(): Promise<void> {
    await Promise.all([...this.instances].map((instance) => this.#retire(instance)));
  }

  async #retire(instance: FleetInstance): Promise<void> {
    this.takeOut(instance);
    const deadline = Date.now() + this.host.stopGraceMs;
    while (instance.live.outstanding > 0 && Date.now() < deadline) await sleep(DRAIN_POLL_MS);
    await instance.stop(this.host.stopGraceMs);
  }
}
