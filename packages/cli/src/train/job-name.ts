/** SageMaker's pattern for a training job's name (1 to 63 characters). */
const JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const MAX_NAME_LENGTH = 63;

/** True when SageMaker accepts `name` as a training job's name. */
export function isValidJobName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && JOB_NAME.test(name);
}

/**
 * The name an image gives its jobs, as the SageMaker SDK's `base_name_from_image` takes it:
 * the repository's last path segment (`…amazonaws.com/sagemaker-scikit-learn:1.2-1` ->
 * `sagemaker-scikit-learn`, `plinth/node:20` -> `node`).
 */
export function baseNameFromImage(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const match = /^(.+\/)?([^:/]+)(:[^:/]+)?$/.exec(withoutDigest);
  return match?.[2] ?? withoutDigest;
}

/**
 * `<base>-<yyyy-mm-dd-hh-mm-ss-SSS>` in UTC, as the SageMaker SDK's `name_from_base` names
 * jobs: the base is cut so that the whole fits 63 characters, and characters SageMaker does not
 * allow in names become `-`.
 */
export function generateJobName(base: string, now: Date): string {
  const timestamp = now.toISOString().slice(0, 23).replace(/[T:.]/g, '-');
  const cleaned = base.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/^-+/, '') || 'plinth';
  const trimmed = cleaned.slice(0, MAX_NAME_LENGTH - timestamp.length - 1).replace(/-+$/, '');
  return `${trimmed || 'plinth'}-${timestamp}`;
}
