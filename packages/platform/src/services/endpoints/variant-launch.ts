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

/** What one instance runs, once its work directory is ready. */
export interface InstanceCommand extends ProgramCommand {
  /** Where it starts, when not in its contract root (a user's server starts in its code folder). */
  readonly cwd?: string;
  /** The Model's `Environment` and whatever the server's kind adds. */
  readonly env: Readonly<Record<string, string>>;
}

/** How to start instances of one production variant. */
export interface VariantLaunch {
  readonly endpoint: string;
  readonly variant: string;
  /** The image the variant's model names (DescribeEndpoint's `DeployedImages`). */
  readonly image: string;
  /**
   * Makes an instance's work directory ready — the model unpacked in `<root>/model`, and
   * whatever else its server needs — and says what to run there.
   */
  prepare(root: string): Promise<InstanceCommand>;
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
  const container = model.PrimaryContainer ?? model.Containers?.[0] ?? {};
  const where = `Variant ${variant.VariantName}, model ${model.ModelName}`;
  const plan = resolveServingPlan(container);
  if (typeof plan === 'string') throw new Error(`${where}: ${plan}`);
  const env = container.Environment ?? {};
  return {
    endpoint,
    variant: variant.VariantName,
    image: container.Image ?? '',
    prepare: async (root) => {
      try {
        if (plan.modelDataUrl) {
          await unpackTarGzObject(deps.objectStore, {
            uri: plan.modelDataUrl,
            dir: join(root, 'model'),
            what: 'the model',
          });
        }
        return { ...(await serverCommand(deps, { plan, root })), env };
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
      }
    },
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
