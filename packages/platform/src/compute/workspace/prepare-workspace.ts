import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { PreparedWorkspace, WorkspaceSpec } from '../workspace.js';
import { downloadChannel } from './channel-data.js';
import { contractEnv, contractPaths, inputDataConfig, resourceConfig } from './contract-layout.js';

/** SageMaker's ChannelName pattern and length limit. */
const CHANNEL_NAME = /^[A-Za-z0-9.\-_]+$/;
const MAX_CHANNEL_NAME_LENGTH = 64;

/**
 * Lays out one host's work directory as SageMaker's training contract has it under `/opt/ml`:
 * `input/config/*.json`, each channel's objects under `input/data/<channel>/`, and empty
 * `model/`, `output/data/`, `output/intermediate/` and `checkpoints/`. Returns the environment
 * the sagemaker-training toolkit would give the program. Errors carry a FailureReason.
 */
export async function prepareWorkspace(
  spec: WorkspaceSpec,
  store: ObjectStore,
): Promise<PreparedWorkspace> {
  validateSpec(spec);
  const paths = contractPaths(spec.root);
  for (const dir of [
    paths.config,
    paths.data,
    paths.model,
    paths.outputData,
    paths.outputIntermediate,
    paths.checkpoints,
  ]) {
    await mkdir(dir, { recursive: true });
  }
  await writeJson(join(paths.config, 'hyperparameters.json'), spec.hyperParameters);
  await writeJson(join(paths.config, 'inputdataconfig.json'), inputDataConfig(spec.channels));
  await writeJson(join(paths.config, 'resourceconfig.json'), resourceConfig(spec));
  const hostIndex = spec.hosts.indexOf(spec.currentHost);
  for (const channel of spec.channels) {
    await downloadChannel(store, {
      channel,
      dir: join(paths.data, channel.name),
      hostIndex,
      hostCount: spec.hosts.length,
    });
  }
  // The request's Environment first: the toolkit sets the SM_* contract over the container's env.
  return { root: spec.root, env: { ...spec.environment, ...contractEnv(spec) } };
}

function validateSpec(spec: WorkspaceSpec): void {
  if (!spec.hosts.includes(spec.currentHost)) {
    throw new ValidationError(
      `The current host '${spec.currentHost}' is not one of the job's hosts (${spec.hosts.join(', ')}).`,
      'currentHost',
    );
  }
  const seen = new Set<string>();
  for (const channel of spec.channels) {
    const name = channel.name;
    if (
      !CHANNEL_NAME.test(name) ||
      name.length > MAX_CHANNEL_NAME_LENGTH ||
      name === '.' ||
      name === '..'
    ) {
      throw new ValidationError(
        `The channel name '${name}' must be 1 to ${MAX_CHANNEL_NAME_LENGTH} characters of ` +
          `[A-Za-z0-9.-_], and not '.' or '..'.`,
        'ChannelName',
      );
    }
    if (seen.has(name)) {
      throw new ValidationError(`The channel name '${name}' is used twice.`, 'ChannelName');
    }
    seen.add(name);
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value));
}
