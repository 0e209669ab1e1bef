import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../logging/logger.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { readProcessUsage } from '../metrics/process-usage.js';
import type { FleetInstance } from './fleet-instance.js';
import type { VariantFleet } from './variant-fleet.js';

/** How often serverless instances are checked for idleness and memory. */
const WATCH_INTERVAL_MS = 1_000;

export interface ServerlessWatchOptions {
  /** The fleets serving now; the watch looks at the serverless ones. */
  fleets(): Iterable<{ endpoint: string; fleet: VariantFleet }>;
  /** How long a serverless instance may sit without a request before it stops. */
  readonly idleMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * What makes a serverless variant serverless after its cold start: an instance that has
 * answered no request for the idle time stops (scale to zero; ProvisionedConcurrency keeps
 * one), and one whose model servers use more resident memory than MemorySizeInMB is killed,
 * as SageMaker enforces the memory it gives a serverless endpoint.
 */
export class ServerlessWatch {
  readonly #task: PeriodicTask;

  constructor(private readonly options: ServerlessWatchOptions) {
    this.#task = new PeriodicTask(() => this.#check(), WATCH_INTERVAL_MS);
  }

  start(): void {
    this.#task.start();
  }

  /** Stops watching; resolves once a check under way has ended. */
  stop(): Promise<void> {
    return this.#task.stop();
  }

  async #check(): Promise<void> {
    const now = this.options.clock.now().getTime();
    for (const { endpoint, fleet } of this.options.fleets()) {
      const settings = fleet.serverless;
      if (!settings) continue;
      for (const instance of [...fleet.instances]) {
        const rss = await residentBytes(instance);
        if (rss > settings.MemorySizeInMB * 1024 * 1024) {
          this.options.logger.warn(
            'A serverless model server used more memory than its MemorySizeInMB; stopping it',
            { endpoint, variant: fleet.variant, rssMiB: Math.round(rss / 2 ** 20) },
          );
          fleet.takeOut(instance);
          await instance.stop(0);
          continue;
        }
        const idle = now - (instance.live.lastUsed ?? instance.startedAt);
        const kept = (settings.ProvisionedConcurrency ?? 0) > 0 && fleet.instances.length <= 1;
        if (instance.live.outstanding === 0 && idle >= this.options.idleMs && !kept) {
          await fleet.retire(instance);
        }
      }
    }
  }
}

/** The resident memory of all the instance's model servers. */
async function residentBytes(instance: FleetInstance): Promise<number> {
  const usages = await Promise.all(instance.containers.map((c) => readProcessUsage(c.process.pid)));
  return usages.reduce((sum, usage) => sum + (usage?.rssBytes ?? 0), 0);
}
