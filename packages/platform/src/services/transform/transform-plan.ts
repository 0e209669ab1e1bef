import { parseS3Uri, type S3Location } from '../../artifacts/s3-uri.js';
import { planDataProcessing, recordFormat } from './data-processing.js';
import type { ObjectTransformRules } from './transform-object.js';
import {
  DEFAULT_INVOCATIONS_MAX_RETRIES,
  DEFAULT_INVOCATIONS_TIMEOUT_SECONDS,
  DEFAULT_MAX_CONCURRENT_TRANSFORMS,
  DEFAULT_MAX_PAYLOAD_IN_MB,
} from './transform-job-state.js';
import type { TransformJobBody } from './transform-job-types.js';

const MIB = 1024 * 1024;

/** How a stored job reads, sends and writes its objects. */
export function objectRules(job: TransformJobBody): ObjectTransformRules {
  const input = job.TransformInput;
  const split = input.SplitType ?? 'None';
  return {
    split,
    compression: input.CompressionType ?? 'None',
    batching: {
      strategy: job.BatchStrategy ?? 'MultiRecord',
      maxPayloadBytes: (job.MaxPayloadInMB ?? DEFAULT_MAX_PAYLOAD_IN_MB) * MIB,
      terminator: Buffer.from(split === 'Line' ? '\n' : ''),
    },
    concurrency: job.MaxConcurrentTransforms || DEFAULT_MAX_CONCURRENT_TRANSFORMS,
    assembleWith: job.TransformOutput.AssembleWith ?? 'None',
    plan: planDataProcessing(job.DataProcessing),
    inputFormat: recordFormat(input.ContentType) ?? 'raw',
    ...(job.TransformOutput.Accept ? { accept: job.TransformOutput.Accept } : {}),
  };
}

/** The headers every request of the job carries. */
export function requestHeaders(job: TransformJobBody): Record<string, string> {
  return {
    ...(job.TransformInput.ContentType ? { 'content-type': job.TransformInput.ContentType } : {}),
    ...(job.TransformOutput.Accept ? { accept: job.TransformOutput.Accept } : {}),
  };
}

/** ModelClientConfig: how long an invocation may take and how often it is retried. */
export function clientLimits(job: TransformJobBody): { timeoutMs: number; maxRetries: number } {
  const config = job.ModelClientConfig;
  return {
    timeoutMs: (config?.InvocationsTimeoutInSeconds ?? DEFAULT_INVOCATIONS_TIMEOUT_SECONDS) * 1000,
    maxRetries: config?.InvocationsMaxRetries ?? DEFAULT_INVOCATIONS_MAX_RETRIES,
  };
}

/**
 * The model servers' environment: the job's Environment, and the variables SageMaker sets for
 * batch transform (SAGEMAKER_BATCH and the job's batching figures).
 */
export function batchEnvironment(job: TransformJobBody): Record<string, string> {
  return {
    ...job.Environment,
    SAGEMAKER_BATCH: 'true',
    SAGEMAKER_MAX_PAYLOAD_IN_MB: String(job.MaxPayloadInMB ?? DEFAULT_MAX_PAYLOAD_IN_MB),
    SAGEMAKER_BATCH_STRATEGY:
      job.BatchStrategy === 'SingleRecord' ? 'SINGLE_RECORD' : 'MULTI_RECORD',
    SAGEMAKER_MAX_CONCURRENT_TRANSFORMS: String(
      job.MaxConcurrentTransforms || DEFAULT_MAX_CONCURRENT_TRANSFORMS,
    ),
  };
}

/** Where an input object's output goes: `<S3OutputPath>/<path below the input prefix>.out`. */
export function outputLocation(outputPath: string, relativePath: string): S3Location {
  const location = parseS3Uri(outputPath, 'TransformOutput.S3OutputPath');
  const prefix = location.key === '' ? '' : location.key.replace(/\/*$/, '/');
  return { bucket: location.bucket, key: `${prefix}${relativePath}.out` };
}
