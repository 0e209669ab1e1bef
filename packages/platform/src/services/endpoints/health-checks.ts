import { ping } from '../../compute/serving/model-instance.js';
import { PeriodicTask } from '../shared/periodic-task.js';

/** Consecutive failed pings after which an instance counts as unhealthy. */
export const UNHEALTHY_AFTER = 3;

/** What the health checks watch: the serving instances, each under a stable key. */
export interface HealthCheckOptions<K extends object> {
  readonly intervalMs: number;
  /** The instances serving now, each with its servers' URLs (all must answer) and its key. */
  instances(): Iterable<{ readonly key: K; readonly urls: readonly string[] }>;
  /** Called once for an instance that failed UNHEALTHY_AFTER pings in a row. */
  onUnhealthy(key: K): void;
}

/**
 * SageMaker's health checks of a serving instance: every interval each instance is asked
 * `GET /ping`; one that does not answer 200 (in 2 s) several times in a row is reported, so
 * that it can be replaced. A check does not start before the previous one has ended.
 */
export class HealthChecks<K extends object> {
  readonly #failures = new WeakMap<K, number>();
  readonly #task: PeriodicTask;

  constructor(private readonly options: HealthCheckOptions<K>) {
    this.#task = new PeriodicTask(() => this.#check(), options.intervalMs);
  }

  start(): void {
    this.#task.start();
  }

  /** Stops checking; resolves once a check under way has ended. */
  stop(): Promise<void> {
    return this.#task.stop();
  }

  async #check(): Promise<void> {
    const instances = [...this.options.instances()];
    const answers = await Promise.all(
      instances.map(async (instance) =>
        (await Promise.all(instance.urls.map((url) => ping(url)))).every(Boolean),
      ),
    );
    for (const [index, healthy] of answers.entries()) {
      const { key } = instances[index]!;
      const failures = healthy ? 0 : (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      if (failures === UNHEALTHY_AFTER && this.#task.started) this.options.onUnhealthy(key);
    }
  }
}
