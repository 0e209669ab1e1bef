import { readFile, stat } from 'node:fs/promises';
import type { ContractPaths } from '../contract/paths.js';
import { HyperparameterError, JobConfigError } from './errors.js';

/** One channel the job was given: its directory and content type. */
export interface ChannelInput {
  name: string;
  path: string;
  contentType: string;
}

/** What a training job reads from `input/config/`, resolved against the data directories. */
export interface JobInput {
  hyperparameters: Record<string, unknown>;
  train: ChannelInput;
  /** The optional channels that exist, by name (e.g. `validation`, `test`). */
  channels: Record<string, ChannelInput>;
  /** This instance's name in log lines (`algo-1` unless resourceconfig.json says otherwise). */
  host: string;
  /** Every instance of the job, this one included, in order (`[host]` without resourceconfig). */
  hosts: string[];
}

/** What an algorithm expects of its job: its name in messages and the channels it reads. */
export interface JobSpec {
  /** As users know it, e.g. `k-means`. */
  algorithm: string;
  /** Channels besides the required `train`, e.g. `['test']`. */
  optionalChannels: readonly string[];
  /** Named when hyperparameters.json is missing, e.g. `k and feature_dim`. */
  requiredHyperparameters: string;
}

/** Reads hyperparameters, channels and host name for a training job. */
export async function readJobInput(paths: ContractPaths, spec: JobSpec): Promise<JobInput> {
  const { algorithm, optionalChannels } = spec;
  const hyperparameters = await readJsonObject(paths.hyperparameters, 'hyperparameters');
  if (hyperparameters === undefined)
    throw new HyperparameterError(
      `Missing ${paths.hyperparameters}: ${algorithm} needs hyperparameters ${spec.requiredHyperparameters}.`,
    );
  const dataConfig = (await readJsonObject(paths.inputDataConfig, 'input data config')) ?? {};
  for (const name of Object.keys(dataConfig))
    if (name !== 'train' && !optionalChannels.includes(name))
      throw new JobConfigError(
        `Channel '${name}' is not supported by ${algorithm}; use 'train' (required) and ${optionalChannels.map((c) => `'${c}'`).join(', ')} (optional).`,
      );
  const train = await channel(paths, dataConfig, 'train');
  if (train === undefined)
    throw new JobConfigError(
      `${algorithm} needs a 'train' channel; none was found at ${paths.channel('train')}.`,
    );
  const channels: Record<string, ChannelInput> = {};
  for (const name of optionalChannels) {
    const found = await channel(paths, dataConfig, name);
    if (found) channels[name] = found;
  }
  const resource = await readJsonObject(paths.resourceConfig, 'resource config');
  const host = typeof resource?.current_host === 'string' ? resource.current_host : 'algo-1';
  const listed = Array.isArray(resource?.hosts) ? (resource.hosts as unknown[]) : [];
  const hosts = listed.every((h) => typeof h === 'string') && listed.length > 0 ? listed : [host];
  return { hyperparameters, train, channels, host, hosts };
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
