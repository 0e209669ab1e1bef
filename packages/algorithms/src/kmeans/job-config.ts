import { readFile, stat } from 'node:fs/promises';
import type { ContractPaths } from '../contract/paths.js';
import { HyperparameterError } from './hyperparameters.js';

/** One channel the job was given: its directory and content type. */
export interface ChannelInput {
  name: string;
  path: string;
  contentType: string;
}

/** What a k-means job reads from `input/config/`, resolved against the data directories. */
export interface KMeansJobInput {
  hyperparameters: Record<string, unknown>;
  train: ChannelInput;
  test?: ChannelInput;
  /** This instance's name in log lines (`algo-1` unless resourceconfig.json says otherwise). */
  host: string;
}

/** A job setup problem the user can fix (missing channel, unreadable config). */
export class JobConfigError extends Error {
  readonly code = 'JobConfigError';

  constructor(message: string) {
    super(message);
    this.name = 'JobConfigError';
  }
}

const CHANNELS = ['train', 'test'];

/** Reads hyperparameters, channels and host name for a k-means training job. */
export async function readJobInput(paths: ContractPaths): Promise<KMeansJobInput> {
  const hyperparameters = await readJsonObject(paths.hyperparameters, 'hyperparameters');
  if (hyperparameters === undefined)
    throw new HyperparameterError(
      `Missing ${paths.hyperparameters}: k-means needs hyperparameters k and feature_dim.`,
    );
  const dataConfig = (await readJsonObject(paths.inputDataConfig, 'input data config')) ?? {};
  for (const name of Object.keys(dataConfig))
    if (!CHANNELS.includes(name))
      throw new JobConfigError(
        `Channel '${name}' is not supported by k-means; use 'train' (required) and 'test' (optional).`,
      );
  const train = await channel(paths, dataConfig, 'train');
  if (train === undefined)
    throw new JobConfigError(
      `k-means needs a 'train' channel; none was found at ${paths.channel('train')}.`,
    );
  const test = await channel(paths, dataConfig, 'test');
  const resource = await readJsonObject(paths.resourceConfig, 'resource config');
  const host = typeof resource?.current_host === 'string' ? resource.current_host : 'algo-1';
  return { hyperparameters, train, ...(test && { test }), host };
}

async function channel(
  paths: ContractPaths,
  dataConfig: Record<string, unknown>,
  name: string,
): Promise<ChannelInput | undefined> {
  const path = paths.channel(name);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (!exists) return undefined;
  const entry = dataConfig[name] as { ContentType?: unknown } | undefined;
  const contentType = typeof entry?.ContentType === 'string' ? entry.ContentType : 'text/csv';
  return { name, path, contentType };
}

async function readJsonObject(
  path: string,
  what: string,
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new JobConfigError(
      `The ${what} file ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new JobConfigError(`The ${what} file ${path} must hold a JSON object.`);
  return parsed as Record<string, unknown>;
}
