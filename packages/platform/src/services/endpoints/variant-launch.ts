import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { unpackTarGzObject } from '../../compute/archive/unpack-object.js';
import type { ProductionVariant } from '../endpoint-configs/endpoint-config-types.js';
import type { ModelService } from '../models/model-service.js';
import type { ProgramCatalog, ProgramCommand } from '../training/job-programs.js';
import { builtinAlgorithm } from '../training/launch-plan.js';

/** What one instance runs, once its work directory is ready. */
export interface InstanceCommand extends ProgramCommand {
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
 * How a variant's instances start, from its model's container; throws, with a sentence fit for
 * FailureReason, when Plinth cannot serve the model.
 */
export async function variantLaunch(
  deps: VariantLaunchDeps,
  endpoint: string,
  variant: ProductionVariant,
): Promise<VariantLaunch> {
  const model = await deps.models.describe(variant.ModelName ?? '');
  const container = model.PrimaryContainer ?? model.Containers?.[0];
  const image = container?.Image ?? '';
  const algorithm = builtinAlgorithm(image);
  if (!algorithm) {
    throw new Error(
      `Variant ${variant.VariantName}: Plinth cannot serve the image '${image}' of model ${model.ModelName} yet; it serves the built-in algorithms' images.`,
    );
  }
  const modelDataUrl = container?.ModelDataUrl;
  if (!modelDataUrl) {
    throw new Error(
      `Variant ${variant.VariantName}: model ${model.ModelName} has no ModelDataUrl, and ${algorithm} needs its model.tar.gz.`,
    );
  }
  const program = deps.programs.server(algorithm);
  return {
    endpoint,
    variant: variant.VariantName,
    image,
    prepare: async (root) => {
      await unpackTarGzObject(deps.objectStore, {
        uri: modelDataUrl,
        dir: join(root, 'model'),
        what: `the model of variant ${variant.VariantName}`,
      });
      return { ...program, env: container.Environment ?? {} };
    },
  };
}
