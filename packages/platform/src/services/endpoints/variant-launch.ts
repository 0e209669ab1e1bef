import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { unpackTarGzObject } from '../../compute/archive/unpack-object.js';
import { prepareUserCode } from '../../compute/script-mode/user-code.js';
import type { ProductionVariant } from '../endpoint-configs/endpoint-config-types.js';
import type { ModelService } from '../models/model-service.js';
import type { ProgramCatalog, ProgramCommand } from '../training/job-programs.js';
import {
  PROGRAM_ENV,
  SUBMIT_DIRECTORY_ENV,
  type ServingPlan,
  resolveServingPlan,
} from './serving-plan.js';

/** What one container of an instance runs, once its work directory is ready. */
export interface ContainerCommand extends ProgramCommand {
  /** The container's name in the model (ContainerHostname, or `container-<n>`). */
  readonly hostname: string;
  /** Its contract root (`/opt/ml` inside): the model is unpacked in `<root>/model`. */
  readonly root: string;
  /** Where it starts, when not in its contract root (a user's server starts in its code folder). */
  readonly cwd?: string;
  /** The container's `Environment` and whatever the server's kind adds. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * How a request passes an instance's containers: `Serial`, each container's answer is the
 * next one's request (an inference pipeline); `Direct`, the caller names the container.
 */
export type ContainerMode = 'Serial' | 'Direct';

/** How to start instances of one production variant. */
export interface VariantLaunch {
  readonly endpoint: string;
  readonly variant: string;
  /** The images the variant's model names, in order (DescribeEndpoint's `DeployedImages`). */
  readonly images: readonly string[];
  readonly mode: ContainerMode;
  /**
   * Makes an instance's work directories ready — each container's model unpacked in its
   * `<root>/model`, and whatever else its server needs — and says what to run there. A single
   * container's root is the instance's; several get `<instance root>/<hostname>`.
   */
  prepare(root: string): Promise<ContainerCommand[]>;
}

/** What deciding a variant's launch reads. */
export interface VariantLaunchDeps {
  readonly models: ModelService;
  readonly programs: ProgramCatalog;
  readonly objectStore: ObjectStore;
}

/**
 * How a variant's instances start, from its model's container: an installed server (built-in
 * algorithm or ONNX) or the user's own server program. Throws, with a sentence fit for
 * FailureReason that names the variant and the model, when Plinth cannot serve the model or
 * an instance's directory cannot be readied.
 */
export async function variantLaunch(
  deps: VariantLaunchDeps,
  endpoint: string,
  variant: ProductionVariant,
): Promise<VariantLaunch> {
  const model = await deps.models.describe(variant.ModelName ?? '');
  const containers = model.PrimaryContainer ? [model.PrimaryContainer] : (model.Containers ?? [{}]);
  const stages = containers.map((container, index) => {
    const hostname = container.ContainerHostname ?? `container-${index + 1}`;
    const where =
      containers.length > 1
        ? `Variant ${variant.VariantName}, model ${model.ModelName}, container ${hostname}`
        : `Variant ${variant.VariantName}, model ${model.ModelName}`;
    const plan = resolveServingPlan(container);
    if (typeof plan === 'string') throw new Error(`${where}: ${plan}`);
    return { hostname, where, plan, env: container.Environment ?? {} };
  });
  return {
    endpoint,
    variant: variant.VariantName,
    images: containers.map((c) => c.Image ?? ''),
    mode: model.InferenceExecutionConfig?.Mode ?? 'Serial',
    prepare: (root) =>
      Promise.all(
        stages.map(async ({ hostname, where, plan, env }) => {
          const stageRoot = stages.length > 1 ? join(root, hostname) : root;
          try {
            if (plan.modelDataUrl) {
              await unpackTarGzObject(deps.objectStore, {
                uri: plan.modelDataUrl,
                dir: join(stageRoot, 'model'),
                what: 'the model',
              });
            }
            const command = await serverCommand(deps, { plan, root: stageRoot });
            return { ...command, hostname, root: stageRoot, env };
          } catch (error) {
            throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
          }
        }),
      ),
  };
}

/** The server an instance runs, its model already in `<root>/model`. */
async function serverCommand(
  deps: VariantLaunchDeps,
  instance: { plan: ServingPlan; root: string },
): Promise<ProgramCommand & { cwd?: string }> {
  const { plan, root } = instance;
  if (plan.kind === 'installed') return deps.programs.server(plan.program);
  const code = await prepareUserCode({
    root,
    program: plan.program,
    source: plan.submitDirectory,
    store: deps.objectStore,
    runtime: plan.runtime,
    names: { program: PROGRAM_ENV, source: SUBMIT_DIRECTORY_ENV },
  });
  return { command: code.command, args: [code.entryPoint], cwd: code.cwd };
}
