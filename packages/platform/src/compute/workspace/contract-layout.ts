import { join } from 'node:path';
import type { ChannelSpec, WorkspaceSpec } from '../workspace.js';

/** The instance group name SageMaker gives a job without heterogeneous clusters. */
export const HOMOGENEOUS_GROUP = 'homogeneousCluster';
/** The network interface SageMaker reports in resourceconfig.json. */
export const NETWORK_INTERFACE = 'eth0';

/** The contract's paths under one root (a container's `/opt/ml`). */
export function contractPaths(root: string) {
  const input = join(root, 'input');
  const output = join(root, 'output');
  return {
    input,
    config: join(input, 'config'),
    data: join(input, 'data'),
    model: join(root, 'model'),
    output,
    outputData: join(output, 'data'),
    outputIntermediate: join(output, 'intermediate'),
    failure: join(output, 'failure'),
    checkpoints: join(root, 'checkpoints'),
    code: join(root, 'code'),
  };
}

/** `resourceconfig.json` as SageMaker writes it. */
export function resourceConfig(
  spec: Pick<WorkspaceSpec, 'currentHost' | 'hosts' | 'instanceType'>,
) {
  return {
    current_host: spec.currentHost,
    current_group_name: HOMOGENEOUS_GROUP,
    current_instance_type: spec.instanceType,
    hosts: [...spec.hosts],
    instance_groups: [
      {
        instance_group_name: HOMOGENEOUS_GROUP,
        instance_type: spec.instanceType,
        hosts: [...spec.hosts],
      },
    ],
    network_interface_name: NETWORK_INTERFACE,
  };
}

/**
 * `inputdataconfig.json` as SageMaker writes it: one entry per channel. Every channel is
 * delivered as files, so Pipe and FastFile channels are described to the program as File.
 */
export function inputDataConfig(channels: readonly ChannelSpec[]) {
  const config: Record<string, Record<string, string>> = {};
  for (const channel of channels) {
    config[channel.name] = {
      ...(channel.contentType ? { ContentType: channel.contentType } : {}),
      TrainingInputMode: 'File',
      S3DistributionType: channel.distribution,
      RecordWrapperType: channel.recordWrapperType ?? 'None',
      ...(channel.compressionType ? { CompressionType: channel.compressionType } : {}),
    };
  }
  return config;
}

/**
 * A hyperparameter as the sagemaker-training toolkit sees it: parsed as JSON where it parses
 * (`"10"` -> 10, `"\"a\""` -> "a"), else the string itself.
 */
export function parseHyperParameter(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The toolkit keeps `sagemaker_*` hyperparameters for itself and out of SM_HPS. */
export function userHyperParameters(
  hyperParameters: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const user: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(hyperParameters)) {
    if (!name.startsWith('sagemaker_')) user[name] = parseHyperParameter(value);
  }
  return user;
}

/** The environment the sagemaker-training toolkit gives a training program. */
export function contractEnv(spec: WorkspaceSpec): Record<string, string> {
  const paths = contractPaths(spec.root);
  const channelNames = spec.channels.map((channel) => channel.name).sort();
  const channelDirs = Object.fromEntries(
    channelNames.map((name) => [name, join(paths.data, name)]),
  );
  const hps = userHyperParameters(spec.hyperParameters);
  const resource = resourceConfig(spec);
  const inputData = inputDataConfig(spec.channels);
  const env: Record<string, string> = {
    TRAINING_JOB_NAME: spec.jobName,
    SM_MODEL_DIR: paths.model,
    SM_CHANNELS: JSON.stringify(channelNames),
    SM_HPS: JSON.stringify(hps),
    SM_HOSTS: JSON.stringify(spec.hosts),
    SM_CURRENT_HOST: spec.currentHost,
    SM_CURRENT_INSTANCE_TYPE: spec.instanceType,
    SM_NETWORK_INTERFACE_NAME: NETWORK_INTERFACE,
    SM_NUM_CPUS: String(spec.cpus),
    SM_NUM_GPUS: '0',
    SM_INPUT_DIR: paths.input,
    SM_INPUT_CONFIG_DIR: paths.config,
    SM_OUTPUT_DIR: paths.output,
    SM_OUTPUT_DATA_DIR: paths.outputData,
    SM_OUTPUT_INTERMEDIATE_DIR: paths.outputIntermediate,
    SM_RESOURCE_CONFIG: JSON.stringify(resource),
    SM_INPUT_DATA_CONFIG: JSON.stringify(inputData),
    SM_TRAINING_ENV: JSON.stringify({
      job_name: spec.jobName,
      current_host: spec.currentHost,
      hosts: spec.hosts,
      num_cpus: spec.cpus,
      num_gpus: 0,
      hyperparameters: hps,
      channel_input_dirs: channelDirs,
      model_dir: paths.model,
      input_dir: paths.input,
      input_config_dir: paths.config,
      input_data_config: inputData,
      output_dir: paths.output,
      output_data_dir: paths.outputData,
      output_intermediate_dir: paths.outputIntermediate,
      resource_config: resource,
      network_interface_name: NETWORK_INTERFACE,
    }),
    // Plinth's built-in programs find the contract here; real containers use /opt/ml.
    PLINTH_ML_ROOT: spec.root,
  };
  for (const [name, dir] of Object.entries(channelDirs))
    env[`SM_CHANNEL_${name.toUpperCase()}`] = dir;
  for (const [name, value] of Object.entries(hps)) {
    env[`SM_HP_${name.toUpperCase()}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return env;
}
