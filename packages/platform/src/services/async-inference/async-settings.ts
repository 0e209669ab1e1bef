import { parseS3Uri, type S3Location } from '../../artifacts/s3-uri.js';
import { ValidationError } from '../../core/errors.js';

/** An endpoint configuration's AsyncInferenceConfig, as CreateEndpointConfig takes it. */
export interface AsyncInferenceConfig {
  ClientConfig?: { MaxConcurrentInvocationsPerInstance?: number };
  OutputConfig: {
    KmsKeyId?: string;
    S3OutputPath?: string;
    S3FailurePath?: string;
    NotificationConfig?: {
      SuccessTopic?: string;
      ErrorTopic?: string;
      IncludeInferenceResponseIn?: ('SUCCESS_NOTIFICATION_TOPIC' | 'ERROR_NOTIFICATION_TOPIC')[];
    };
  };
}

/**
 * How many requests each instance is given at once when the configuration does not say.
 * SageMaker "chooses an optimal value"; Plinth's model servers answer a few at a time well.
 */
export const DEFAULT_MAX_CONCURRENT_INVOCATIONS = 4;

/** Where an asynchronous endpoint's answers go and whom it tells, read once from its configuration. */
export interface AsyncSettings {
  readonly output: S3Location;
  readonly failure?: S3Location;
  readonly successTopic?: string;
  readonly errorTopic?: string;
  /** IncludeInferenceResponseIn: the answer (up to 128 KB) goes in these notifications. */
  readonly responseInSuccess: boolean;
  readonly responseInError: boolean;
  readonly maxConcurrentPerInstance: number;
}

/**
 * The settings an AsyncInferenceConfig asks for, or the ValidationError naming the field that
 * breaks a rule: S3OutputPath is required, and it and S3FailurePath must be s3:// URIs of
 * Plinth's object store (the API model also admits https:// URLs, which Plinth cannot write).
 */
export function asyncSettings(config: AsyncInferenceConfig): AsyncSettings {
  const output = config.OutputConfig;
  if (!output.S3OutputPath) {
    throw new ValidationError(
      'AsyncInferenceConfig.OutputConfig.S3OutputPath is required: it is where the answers are written.',
      'AsyncInferenceConfig.OutputConfig.S3OutputPath',
    );
  }
  const notify = output.NotificationConfig ?? {};
  const include = new Set(notify.IncludeInferenceResponseIn ?? []);
  return {
    output: parseS3Uri(output.S3OutputPath, 'AsyncInferenceConfig.OutputConfig.S3OutputPath'),
    ...(output.S3FailurePath
      ? {
          failure: parseS3Uri(
            output.S3FailurePath,
            'AsyncInferenceConfig.OutputConfig.S3FailurePath',
          ),
        }
      : {}),
    ...(notify.SuccessTopic ? { successTopic: notify.SuccessTopic } : {}),
    ...(notify.ErrorTopic ? { errorTopic: notify.ErrorTopic } : {}),
    responseInSuccess: include.has('SUCCESS_NOTIFICATION_TOPIC'),
    responseInError: include.has('ERROR_NOTIFICATION_TOPIC'),
    maxConcurrentPerInstance:
      config.ClientConfig?.MaxConcurrentInvocationsPerInstance ??
      DEFAULT_MAX_CONCURRENT_INVOCATIONS,
  };
}

/** The object an answer is written to under a path: `<path>/<name>`, one slash between. */
export function objectUnder(path: S3Location, name: string): S3Location {
  const prefix = path.key.replace(/\/+$/, '');
  return { bucket: path.bucket, key: prefix ? `${prefix}/${name}` : name };
}
