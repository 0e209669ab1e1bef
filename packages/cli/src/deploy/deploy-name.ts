import { baseNameFromImage, generateJobName } from '../train/job-name.js';

/** The `-yyyy-mm-dd-hh-mm-ss-SSS` a generated name ends with (see `generateJobName`). */
const TIMESTAMP_SUFFIX = /-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-\d{3}$/;

/** What a deployment's default name comes from: its training job, else its image. */
export interface NameSource {
  readonly trainingJob?: string;
  readonly image: string;
}

/**
 * The default name of a deployment's model, endpoint configuration and endpoint:
 * `<base>-<yyyy-mm-dd-hh-mm-ss-SSS>` in UTC, as the SageMaker SDK's `deploy()` names them. The
 * base is the training job's name without the timestamp `plinth train` gave it
 * (`kmeans-2024-05-01-…` -> `kmeans`), so timestamps do not pile up; else the image's name.
 */
export function generateDeployName(source: NameSource, now: Date): string {
  const base = source.trainingJob
    ? source.trainingJob.replace(TIMESTAMP_SUFFIX, '') || source.trainingJob
    : baseNameFromImage(source.image);
  return generateJobName(base, now);
}
