import type { Command } from 'commander';
import {
  connectS3,
  connectSageMaker,
  resolveClientSettings,
  type ClientOptions,
  type SageMakerConnection,
} from '../client.js';
import { LiveLine } from '../live-line.js';
import { formatJson } from '../output.js';
import { INTERRUPTED_EXIT_CODE } from '../train/run-train.js';
import { describeDeployOutcome } from './deploy-outcome.js';
import type { ModelDataSource } from './deploy-flags.js';
import { generateDeployName } from './deploy-name.js';
import { buildDeployRequests } from './deploy-requests.js';
import { createDeployment, refuseTakenName } from './deploy-resources.js';
import { EndpointProgress } from './endpoint-progress.js';
import { followEndpoint, type EndpointDescription } from './follow-endpoint.js';
import { describeTrainingJob, trainedModel } from './training-job-model.js';
import { uploadModel } from './upload-model.js';

/** `plinth deploy`'s flags as commander parses them. */
export interface DeployFlags {
  trainingJob?: string;
  modelData?: ModelDataSource;
  image?: string;
  env?: Record<string, string>;
  name?: string;
  bucket: string;
  role: string;
  variant: string;
  instanceType: string;
  instanceCount: number;
  wait: boolean;
  json?: boolean;
}

/** The model to deploy, before a local artifact is uploaded. */
interface ModelToDeploy {
  readonly image: string;
  readonly modelData: ModelDataSource;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Creates a model, an endpoint configuration and an endpoint, all named alike, from a training
 * job or a model artifact (uploading a local one first) and, unless --no-wait, follows the
 * endpoint until it is InService; the exit code says how it ended.
 */
export async function runDeploy(
  flags: DeployFlags,
  clientOptions: ClientOptions,
  command: Command,
): Promise<void> {
  if (!flags.trainingJob === !flags.modelData)
    command.error(
      'error: give exactly one of --training-job <name> and --model-data <s3-uri-or-file>',
    );
  if (flags.modelData && !flags.image)
    command.error(
      'error: --model-data needs --image <image>, the image that serves it (e.g. kmeans, linear-learner, plinth/onnx)',
    );
  const live = new LiveLine(flags.json ? process.stderr : process.stdout);
  const { endpointUrl } = resolveClientSettings(clientOptions);
  const sm = await connectSageMaker(clientOptions);
  if (!Object.values<string>(sm.sdk.ProductionVariantInstanceType).includes(flags.instanceType))
    command.error(
      `error: option '--instance-type <type>' argument '${flags.instanceType}' is not a SageMaker hosting instance type; use one like ml.m5.large, ml.c5.xlarge or ml.g5.xlarge`,
    );
  const model = await modelToDeploy(sm, flags);
  const name =
    flags.name ??
    generateDeployName({ trainingJob: flags.trainingJob, image: model.image }, new Date());
  await refuseTakenName(sm, name, endpointUrl);

  const modelDataUrl =
    's3Uri' in model.modelData
      ? model.modelData.s3Uri
      : await uploadModel({
          s3: await connectS3(clientOptions),
          bucket: flags.bucket,
          name,
          localPath: model.modelData.localPath,
          live,
        });
  const requests = buildDeployRequests({
    name,
    image: model.image,
    modelDataUrl,
    environment: model.environment,
    role: flags.role,
    variant: flags.variant,
    instanceType: flags.instanceType,
    instanceCount: flags.instanceCount,
  });
  const startedAt = Date.now();
  const arns = await createDeployment(sm, requests);
  if (!flags.wait) {
    if (flags.json) {
      process.stdout.write(`${formatJson({ EndpointName: name, ...arns })}\n`);
    } else {
      live.print(`Created endpoint ${name} (${arns.EndpointArn}); it is Creating.`);
      live.print(`Check on it with: plinth endpoints describe ${name}`);
    }
    return;
  }
  live.print(`Model ${name} created: ${model.image} serving ${modelDataUrl}`);
  live.print(`Endpoint ${name} created (${arns.EndpointArn})`);

  const final = await followUntilInterrupted({ sm, name, live, startedAt });
  live.clear();
  if (!final) {
    live.print(`Stopped following ${name}; the endpoint keeps starting on the server.`);
    live.print(`  check on it: plinth endpoints describe ${name}`);
    process.exitCode = INTERRUPTED_EXIT_CODE;
    return;
  }
  const outcome = describeDeployOutcome(final, {
    elapsedMs: Date.now() - startedAt,
    endpointUrl,
  });
  for (const line of outcome.lines) live.print(line);
  if (flags.json) {
    const { $metadata: _metadata, ...description } = final;
    process.stdout.write(`${formatJson(description)}\n`);
  }
  process.exitCode = outcome.exitCode;
}

/** The image, artifact and environment to deploy, from the training job or the flags. */
async function modelToDeploy(sm: SageMakerConnection, flags: DeployFlags): Promise<ModelToDeploy> {
  if (flags.modelData)
    return { image: flags.image!, modelData: flags.modelData, environment: flags.env ?? {} };
  const trained = trainedModel(await describeTrainingJob(sm, flags.trainingJob!));
  return {
    image: flags.image ?? trained.image,
    modelData: { s3Uri: trained.modelDataUrl },
    environment: { ...trained.environment, ...flags.env },
  };
}

/**
 * Follows the endpoint until it settles. Ctrl-C stops following, not the deployment: the
 * endpoint keeps starting, as a training job keeps running when `plinth train` is interrupted.
 */
async function followUntilInterrupted(run: {
  sm: SageMakerConnection;
  name: string;
  live: LiveLine;
  startedAt: number;
}): Promise<EndpointDescription | undefined> {
  const progress = new EndpointProgress(run.live, run.startedAt);
  const interrupted = new AbortController();
  const onInterrupt = () => interrupted.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await followEndpoint({
      sm: run.sm,
      name: run.name,
      signal: interrupted.signal,
      onUpdate: (endpoint) => progress.update(endpoint),
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
