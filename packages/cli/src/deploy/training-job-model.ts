import type { SageMakerConnection } from '../client.js';
import type { TrainingJobDescription } from '../jobs/follow-job.js';

/** The model a completed training job made: its image, artifact and serving environment. */
export interface TrainedModel {
  readonly image: string;
  readonly modelDataUrl: string;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Script-mode hyperparameters and the environment variables a framework's model server reads
 * them from, as the SageMaker SDK's `Framework.create_model()` passes them on.
 */
const SCRIPT_MODE_ENVIRONMENT = {
  sagemaker_program: 'SAGEMAKER_PROGRAM',
  sagemaker_submit_directory: 'SAGEMAKER_SUBMIT_DIRECTORY',
} as const;

/** Reads a training job, or says clearly that there is none by that name. */
export async function describeTrainingJob(
  sm: SageMakerConnection,
  name: string,
): Promise<TrainingJobDescription> {
  try {
    return await sm.client.send(new sm.sdk.DescribeTrainingJobCommand({ TrainingJobName: name }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFound') throw error;
    throw new Error(
      `There is no training job named ${name}; 'plinth training-jobs list' shows those there are.`,
    );
  }
}

/**
 * The model of a Completed training job: its training image, its `model.tar.gz`, and, for a
 * script-mode job, SAGEMAKER_PROGRAM and SAGEMAKER_SUBMIT_DIRECTORY so the same script serves it.
 * A job that has not completed has no model: the error says what to do instead.
 */
export function trainedModel(job: TrainingJobDescription): TrainedModel {
  const name = job.TrainingJobName ?? '';
  const status = job.TrainingJobStatus ?? 'unknown';
  if (status === 'InProgress')
    throw new Error(
      `Training job ${name} is still InProgress, so it has no model yet; wait for it (plinth logs ${name} --follow) and deploy again.`,
    );
  if (status !== 'Completed') {
    const reason = job.FailureReason ? ` (${job.FailureReason})` : '';
    throw new Error(
      `Training job ${name} ended ${status}${reason}, so it has no model to deploy; see plinth logs ${name}, then train again.`,
    );
  }
  const image = job.AlgorithmSpecification?.TrainingImage;
  const modelDataUrl = job.ModelArtifacts?.S3ModelArtifacts;
  if (!image || !modelDataUrl)
    throw new Error(
      `Training job ${name} names no ${image ? 'model artifact' : 'training image'}; deploy its model with --model-data <s3-uri> --image <image> instead.`,
    );
  return { image, modelDataUrl, environment: scriptModeEnvironment(job.HyperParameters ?? {}) };
}

/**
 * The serving environment a script-mode job's hyperparameters imply. The SageMaker SDK stores
 * them JSON-encoded (`"train.py"`), `plinth train` as given; both are read.
 */
export function scriptModeEnvironment(
  hyperParameters: Readonly<Record<string, string>>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [hyperParameter, variable] of Object.entries(SCRIPT_MODE_ENVIRONMENT)) {
    const value = hyperParameters[hyperParameter];
    if (value !== undefined) environment[variable] = unquote(value);
  }
  return environment;
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : value;
  } catch {
    return value;
  }
}
