import { ACCEPT_TYPES, type AcceptType } from '../common/invocation.js';
import { parseSelectableKeys } from './selectable-output.js';

/** How SageMaker's XGBoost server is configured through the model's environment. */
export interface ServeSettings {
  /** Response types, the default first (`SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT`, else text/csv). */
  acceptTypes: readonly AcceptType[];
  /** Batch transform (`SAGEMAKER_BATCH` set): one `str(prediction)` per line. */
  batch: boolean;
  /** `SAGEMAKER_INFERENCE_OUTPUT` keys, when selectable output is on. */
  selectable?: readonly string[];
}

/** Reads the server's settings from the environment; a bad value fails naming the variable. */
export function readServeSettings(env: NodeJS.ProcessEnv): ServeSettings {
  const fallback = (env.SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT ?? 'text/csv').trim().toLowerCase();
  const known = ACCEPT_TYPES.find((type) => type === fallback);
  if (known === undefined)
    throw new Error(
      `SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT='${env.SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT}' is not a response type the XGBoost server writes; use one of: ${ACCEPT_TYPES.join(', ')}.`,
    );
  const settings: ServeSettings = {
    acceptTypes: [known, ...ACCEPT_TYPES.filter((type) => type !== known)],
    batch: (env.SAGEMAKER_BATCH ?? '') !== '',
  };
  if (env.SAGEMAKER_INFERENCE_OUTPUT !== undefined)
    settings.selectable = parseSelectableKeys(env.SAGEMAKER_INFERENCE_OUTPUT);
  return settings;
}
