import type { ContainerDefinition } from '../models/model-types.js';
import {
  type ServerProgram,
  builtinAlgorithm,
  imageRuntime,
  modelFormat,
} from '../training/launch-plan.js';

/** The Model Environment variables that name a user-written model server, as the SDK sets them. */
export const PROGRAM_ENV = 'SAGEMAKER_PROGRAM';
export const SUBMIT_DIRECTORY_ENV = 'SAGEMAKER_SUBMIT_DIRECTORY';
/** Where SageMaker's inference toolkits look for code packed in model.tar.gz. */
export const MODEL_CODE_DIR = '/opt/ml/model/code';
const MODEL_DIR = '/opt/ml/model';

/**
 * How Plinth serves a model's container: one of its installed servers (a built-in algorithm's,
 * or a model format's such as ONNX) on the model's model.tar.gz, or the user's own server
 * program ("script mode") from a framework image, with the code from an `s3://` tarball or
 * from inside model.tar.gz.
 */
export type ServingPlan =
  | { readonly kind: 'installed'; readonly program: ServerProgram; readonly modelDataUrl: string }
  | {
      readonly kind: 'script';
      readonly runtime: 'python' | 'node';
      readonly program: string;
      /** An `s3://` URI or a folder below `/opt/ml/model`. */
      readonly submitDirectory: string;
      readonly modelDataUrl: string | undefined;
    };

/**
 * The plan for a container, or a sentence saying why Plinth cannot serve it and what to do
 * (the caller adds which variant and model).
 */
export function resolveServingPlan(container: ContainerDefinition): ServingPlan | string {
  const image = container.Image ?? '';
  const modelDataUrl = container.ModelDataUrl;
  const env = container.Environment ?? {};
  const installed = builtinAlgorithm(image, env[PROGRAM_ENV] !== undefined) ?? modelFormat(image);
  if (installed) {
    if (!modelDataUrl)
      return `it has no ModelDataUrl, and the ${installed} server needs its model.tar.gz: set PrimaryContainer.ModelDataUrl to the model's s3:// URI.`;
    return { kind: 'installed', program: installed, modelDataUrl };
  }
  const runtime = imageRuntime(image);
  if (!runtime) return cannotServe(image);
  const program = env[PROGRAM_ENV];
  if (!program)
    return `the image '${image}' runs a model server you write, and the model's Environment has no ${PROGRAM_ENV}: set ${PROGRAM_ENV} to the server's entry script (e.g. serve.py) and ${SUBMIT_DIRECTORY_ENV} to the s3:// URI of its sourcedir.tar.gz, or to ${MODEL_CODE_DIR} when the code is packed in model.tar.gz.`;
  const submitDirectory = env[SUBMIT_DIRECTORY_ENV] || MODEL_CODE_DIR;
  const inModel = submitDirectory === MODEL_DIR || submitDirectory.startsWith(`${MODEL_DIR}/`);
  if (!inModel && !submitDirectory.startsWith('s3://'))
    return `${SUBMIT_DIRECTORY_ENV} '${submitDirectory}' must be the s3:// URI of a sourcedir.tar.gz or a folder under ${MODEL_DIR} (code packed in model.tar.gz, e.g. ${MODEL_CODE_DIR}).`;
  if (inModel && !modelDataUrl)
    return `${SUBMIT_DIRECTORY_ENV} '${submitDirectory}' is inside the model, but the model has no ModelDataUrl: set PrimaryContainer.ModelDataUrl to the model.tar.gz holding the code, or ${SUBMIT_DIRECTORY_ENV} to the s3:// URI of a sourcedir.tar.gz.`;
  return { kind: 'script', runtime, program, submitDirectory, modelDataUrl };
}

function cannotServe(image: string): string {
  return `Plinth cannot serve the image '${image}'. It serves the built-in algorithms' images (kmeans, linear-learner, pca, knn, randomcutforest, factorization-machines, xgboost and sagemaker-xgboost), ONNX models (image plinth/onnx, with model.onnx in model.tar.gz), and model servers you write, run from a framework image (SageMaker's scikit-learn, PyTorch, TensorFlow, Hugging Face, MXNet or XGBoost images for Python, plinth/node for Node.js) with the Environment variables ${PROGRAM_ENV} and ${SUBMIT_DIRECTORY_ENV}.`;
}
