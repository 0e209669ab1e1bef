import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { Executor } from '../../compute/executor.js';
import { startFleetInstance, type FleetInstance } from '../endpoints/fleet-instance.js';
import { variantLaunch } from '../endpoints/variant-launch.js';
import type { ModelService } from '../models/model-service.js';
import type { ProgramCatalog } from '../training/job-programs.js';

/** What starting a job's model servers reads. */
export interface TransformInstanceDeps {
  readonly executor: Executor;
  readonly models: ModelService;
  readonly programs: ProgramCatalog;
  readonly objectStore: ObjectStore;
}

/** A running instance of a transform job: its host name and its model servers. */
export interface TransformInstance {
  readonly host: string;
  readonly root: string;
  readonly fleet: FleetInstance;
  /** The log files its model servers write. */
  readonly logFiles: readonly string[];
}

/**
 * Starts `count` instances of the job's model exactly as an endpoint's instances start — each
 * container's server with the model unpacked in its `/opt/ml/model`, answering GET /ping — with
 * the job's Environment added to the model's. Instances live in `<jobDir>/algo-<n>`. If one
 * cannot start, the others are stopped and the error (fit for FailureReason) says why.
 */
export async function startTransformInstances(
  deps: TransformInstanceDeps,
  spec: {
    readonly job: string;
    readonly jobDir: string;
    readonly modelName: string;
    readonly count: number;
    readonly env: Readonly<Record<string, string>>;
  },
): Promise<TransformInstance[]> {
  const launch = await variantLaunch(deps, spec.job, {
    VariantName: spec.job,
    ModelName: spec.modelName,
  }).catch((error: unknown) => {
    throw new Error(withoutVariant((error as Error).message), { cause: error });
  });
  if (launch.mode === 'Direct' && launch.images.length > 1) {
    throw new Error(
      `The model ${spec.modelName} invokes its containers directly (InferenceExecutionConfig Mode Direct); a transform job sends every record through the model's containers in turn, so give the model Mode Serial.`,
    );
  }
  const hosts = Array.from({ length: spec.count }, (_, i) => `algo-${i + 1}`);
  const started = await Promise.allSettled(
    hosts.map(async (host): Promise<TransformInstance> => {
      const root = join(spec.jobDir, host);
      const commands = (await launch.prepare(root)).map((command) => ({
        ...command,
        env: { ...command.env, ...spec.env },
      }));
      const fleet = await startFleetInstance(deps.executor, {
        name: `${spec.job}/${host}`,
        root,
        mode: launch.mode,
        commands,
      });
      const logFiles =
        fleet.containers.length > 1
          ? fleet.containers.map((c) => `${root}.${c.hostname}.log`)
          : [`${root}.log`];
      return { host, root, fleet, logFiles };
    }),
  );
  const instances = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(instances.map((i) => i.fleet.stop(0)));
    throw new Error(withoutVariant((failed.reason as Error).message), { cause: failed.reason });
  }
  return instances;
}

/** variantLaunch names the variant first; a transform job has none. */
function withoutVariant(message: string): string {
  return message.replace(/^Variant [^,]+, model /, 'Model ');
}
