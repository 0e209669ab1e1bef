import { rename, writeFile } from 'node:fs/promises';
import type { Executor } from '../../compute/executor.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { startModelInstance, type ModelInstance } from '../../compute/serving/model-instance.js';
import type { LiveInstance } from './router.js';
import type { ContainerCommand, ContainerMode } from './variant-launch.js';

/** One instance of a variant: a model server per container of its model, in rotation as one. */
export interface FleetInstance {
  /** The router's view: the first container's URL and requests in flight. */
  readonly live: LiveInstance;
  readonly containers: readonly (ModelInstance & { readonly hostname: string })[];
  /** When it was put in rotation (ms since the epoch). */
  readonly startedAt: number;
  /** Resolves when any of its containers has exited. */
  readonly exited: Promise<void>;
  /** Stops every container: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Starts an instance's containers, each a model server on the inference contract, and resolves
 * once each answers GET /ping. A pid file per container (`<root>.pid`, or `<root>.<hostname>.pid`
 * for several) lets a server restarted after a crash end what this one started. If one
 * container cannot start, those already started are stopped.
 */
export async function startFleetInstance(
  executor: Executor,
  spec: {
    readonly name: string;
    readonly root: string;
    readonly mode: ContainerMode;
    readonly commands: readonly ContainerCommand[];
    /** When the instance counts as started (the system's clock unless given). */
    readonly clock?: Clock;
  },
): Promise<FleetInstance> {
  const several = spec.commands.length > 1;
  const started: (ModelInstance & { hostname: string })[] = [];
  try {
    for (const command of spec.commands) {
      const suffix = several ? `.${command.hostname}` : '';
      const instance = await startModelInstance(executor, {
        ...command,
        name: several ? `${spec.name}/${command.hostname}` : spec.name,
        logFile: `${spec.root}${suffix}.log`,
      });
      started.push({ ...instance, hostname: command.hostname });
      // Written aside and renamed, so that a reader never finds the file empty.
      const pidFile = `${spec.root}${suffix}.pid`;
      await writeFile(`${pidFile}.partial`, String(instance.process.pid));
      await rename(`${pidFile}.partial`, pidFile);
    }
  } catch (error) {
    await Promise.all(started.map((c) => c.process.stop(0)));
    throw error;
  }
  const live: LiveInstance = {
    url: started[0]!.url,
    outstanding: 0,
    ...(several
      ? {
          containers: {
            mode: spec.mode,
            urls: new Map(started.map((c) => [c.hostname, c.url])),
          },
        }
      : {}),
  };
  return {
    live,
    containers: started,
    startedAt: (spec.clock ?? systemClock).now().getTime(),
    exited: Promise.race(started.map((c) => c.process.exited)).then(() => undefined),
    stop: async (graceMs) => {
      await Promise.all(started.map((c) => c.process.stop(graceMs)));
    },
  };
}
