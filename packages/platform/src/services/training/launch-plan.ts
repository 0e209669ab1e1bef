/**
 * Which program a training image means. Plinth never runs container images itself (yet): the
 * SageMaker built-in image URIs, in any region, name Plinth's built-in algorithm programs, and
 * SageMaker's framework images run the user's script ("script mode") with the runtime they imply.
 */
export type LaunchPlan =
  | { readonly kind: 'builtin'; readonly algorithm: BuiltinAlgorithm }
  | { readonly kind: 'script'; readonly runtime: 'python' | 'node' };

export type BuiltinAlgorithm =
  | 'kmeans'
  | 'linear-learner'
  | 'pca'
  | 'knn'
  | 'randomcutforest'
  | 'factorization-machines'
  | 'xgboost';

/** Model formats Plinth has a model server for (`plinth/onnx`: ONNX models via onnxruntime). */
export type ModelFormat = 'onnx';

/** A model server Plinth installs: a built-in algorithm's, or one for a model format. */
export type ServerProgram = BuiltinAlgorithm | ModelFormat;

/** The built-ins Plinth has, by the repository names SageMaker's images use. */
const BUILTINS: Readonly<Record<string, BuiltinAlgorithm>> = {
  kmeans: 'kmeans',
  'linear-learner': 'linear-learner',
  pca: 'pca',
  knn: 'knn',
  randomcutforest: 'randomcutforest',
  'factorization-machines': 'factorization-machines',
  // SageMaker's first XGBoost image (0.72 and 0.90-1 tags).
  xgboost: 'xgboost',
};

/**
 * SageMaker's XGBoost image serves two purposes: without a script it is the built-in algorithm,
 * with one (`sagemaker_program` for training, `SAGEMAKER_PROGRAM` for hosting) it runs the
 * user's script ("framework mode").
 */
const DUAL_USE: Readonly<Record<string, BuiltinAlgorithm>> = { 'sagemaker-xgboost': 'xgboost' };

/** Plinth's model-format servers, by image repository (`plinth/onnx` or `onnx`). */
const FORMAT_SERVERS: Readonly<Record<string, ModelFormat>> = { onnx: 'onnx' };

/**
 * SageMaker framework images whose containers run a user's Python script: for training, and
 * (the `-inference` ones, and the shared ones) for a model server the user writes.
 */
const PYTHON_FRAMEWORKS = [
  'sagemaker-scikit-learn',
  'sklearn',
  'pytorch-training',
  'pytorch-inference',
  'pytorch',
  'tensorflow-training',
  'tensorflow-inference',
  'tensorflow',
  'huggingface-pytorch-training',
  'huggingface-pytorch-inference',
  'mxnet-training',
  'mxnet-inference',
  'sagemaker-xgboost',
  'python',
];

/** Plinth's own image for Node.js training scripts. */
const NODE_IMAGES = ['plinth/node', 'node'];

/** The repository path of an image URI: `382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1` -> `kmeans`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.indexOf('/');
  const hasRegistry = slash > 0 && /[.:]/.test(withoutDigest.slice(0, slash));
  const path = hasRegistry ? withoutDigest.slice(slash + 1) : withoutDigest;
  const colon = path.lastIndexOf(':');
  return (colon > path.lastIndexOf('/') ? path.slice(0, colon) : path).toLowerCase();
}

/**
 * The plan for an image, or a FailureReason-worthy sentence saying why Plinth cannot run it.
 * Script-mode images need the `sagemaker_program` hyperparameter, as the SageMaker SDK sets it.
 */
export function resolveLaunchPlan(
  image: string,
  hyperParameters: Readonly<Record<string, string>>,
): LaunchPlan | string {
  const builtin = builtinAlgorithm(image, hyperParameters.sagemaker_program !== undefined);
  if (builtin) return { kind: 'builtin', algorithm: builtin };
  const runtime = imageRuntime(image);
  if (!runtime) return cannotRun(image);
  if (
    hyperParameters.sagemaker_program === undefined ||
    hyperParameters.sagemaker_submit_directory === undefined
  ) {
    return `The script-mode image '${image}' needs the hyperparameters sagemaker_program (the entry script) and sagemaker_submit_directory (an s3:// URI of sourcedir.tar.gz), as the SageMaker SDK's framework estimators set them.`;
  }
  return { kind: 'script', runtime };
}

/**
 * The built-in algorithm an image names (`.../kmeans:1`, `plinth/kmeans`, `kmeans`), if any;
 * SageMaker's XGBoost image names the built-in unless the job or model gives a script to run.
 */
export function builtinAlgorithm(image: string, withScript = false): BuiltinAlgorithm | undefined {
  const repository = imageRepository(image).replace(/^plinth\//, '');
  return BUILTINS[repository] ?? (withScript ? undefined : DUAL_USE[repository]);
}

/** The model format whose Plinth server an image names (`plinth/onnx`, `onnx`), if any. */
export function modelFormat(image: string): ModelFormat | undefined {
  return FORMAT_SERVERS[imageRepository(image).replace(/^plinth\//, '')];
}

/** The runtime a SageMaker framework image or `plinth/node` implies, if the image is one. */
export function imageRuntime(image: string): 'python' | 'node' | undefined {
  const repository = imageRepository(image);
  if (NODE_IMAGES.includes(repository)) return 'node';
  const python = PYTHON_FRAMEWORKS.some(
    (framework) => repository === framework || repository.endsWith(`/${framework}`),
  );
  return python ? 'python' : undefined;
}

/** Why Plinth cannot run an image, as a FailureReason sentence. */
export function cannotRun(image: string): string {
  return `Plinth cannot run the image '${image}': it is neither a built-in algorithm (${[...Object.keys(BUILTINS), ...Object.keys(DUAL_USE)].join(', ')}) nor a script-mode framework image (SageMaker's scikit-learn, PyTorch, TensorFlow, Hugging Face, MXNet or XGBoost images, or plinth/node).`;
}
