import { parseS3Uri } from '../../artifacts/s3-uri.js';
import { ValidationError } from '../../core/errors.js';
import { isRootPath, JsonPathError, parseJsonPath } from './json-path.js';
import { handlesEachAnswer, planDataProcessing, recordFormat } from './data-processing.js';
import {
  DEFAULT_BATCH_STRATEGY,
  DEFAULT_INVOCATIONS_MAX_RETRIES,
  DEFAULT_INVOCATIONS_TIMEOUT_SECONDS,
  DEFAULT_MAX_CONCURRENT_TRANSFORMS,
  DEFAULT_MAX_PAYLOAD_IN_MB,
  MAX_PAYLOAD_IN_MB,
} from './transform-job-state.js';
import type { CreateTransformJobRequest, TransformJobBody } from './transform-job-types.js';

/**
 * Checks the rules of CreateTransformJob the input shape cannot express, and returns the job as
 * it is stored and described: the request with SageMaker's defaults filled. Throws
 * ValidationError naming the field.
 */
export function transformJobBody(request: CreateTransformJobRequest): TransformJobBody {
  const { TransformJobName: _name, Tags: _tags, ...fields } = request;
  checkLocations(request);
  const maxPayload = request.MaxPayloadInMB ?? DEFAULT_MAX_PAYLOAD_IN_MB;
  const concurrent = request.MaxConcurrentTransforms || DEFAULT_MAX_CONCURRENT_TRANSFORMS;
  if (maxPayload > MAX_PAYLOAD_IN_MB) {
    throw new ValidationError(
      `MaxPayloadInMB must be at most ${MAX_PAYLOAD_IN_MB}, got ${maxPayload}.`,
      'MaxPayloadInMB',
    );
  }
  if (concurrent * maxPayload > MAX_PAYLOAD_IN_MB) {
    throw new ValidationError(
      `MaxConcurrentTransforms × MaxPayloadInMB must be at most ${MAX_PAYLOAD_IN_MB} MB, got ${concurrent} × ${maxPayload}.`,
      'MaxConcurrentTransforms',
    );
  }
  checkDataProcessing(request);
  return {
    ...fields,
    MaxConcurrentTransforms: concurrent,
    MaxPayloadInMB: maxPayload,
    BatchStrategy: request.BatchStrategy ?? DEFAULT_BATCH_STRATEGY,
    ModelClientConfig: {
      InvocationsTimeoutInSeconds:
        request.ModelClientConfig?.InvocationsTimeoutInSeconds ??
        DEFAULT_INVOCATIONS_TIMEOUT_SECONDS,
      InvocationsMaxRetries:
        request.ModelClientConfig?.InvocationsMaxRetries ?? DEFAULT_INVOCATIONS_MAX_RETRIES,
    },
    TransformInput: {
      ...request.TransformInput,
      CompressionType: request.TransformInput.CompressionType ?? 'None',
      SplitType: request.TransformInput.SplitType ?? 'None',
    },
    TransformOutput: {
      ...request.TransformOutput,
      AssembleWith: request.TransformOutput.AssembleWith ?? 'None',
    },
    TransformJobStatus: 'InProgress',
  };
}

function checkLocations(request: CreateTransformJobRequest): void {
  const source = request.TransformInput.DataSource.S3DataSource;
  const inputField = 'TransformInput.DataSource.S3DataSource.S3Uri';
  checkS3Uri(source.S3Uri, inputField);
  if (source.S3DataType !== 'S3Prefix' && source.S3DataType !== 'ManifestFile') {
    throw new ValidationError(
      `TransformInput.DataSource.S3DataSource.S3DataType ${source.S3DataType} is not supported by Plinth; use S3Prefix or ManifestFile.`,
      'TransformInput.DataSource.S3DataSource.S3DataType',
    );
  }
  checkS3Uri(request.TransformOutput.S3OutputPath, 'TransformOutput.S3OutputPath');
}

function checkS3Uri(uri: string, field: string): void {
  if (!uri.startsWith('s3://')) {
    throw new ValidationError(`${field} must be an s3:// URI, got '${uri}'.`, field);
  }
  parseS3Uri(uri, field);
}

/**
 * Filters and joins read records as CSV or JSON, so the input's ContentType (and, to join or
 * filter the answers, the Accept) must name one, and records must be lines.
 */
function checkDataProcessing(request: CreateTransformJobRequest): void {
  for (const field of ['InputFilter', 'OutputFilter'] as const) {
    try {
      parseJsonPath(request.DataProcessing?.[field] ?? '$');
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      throw new ValidationError(
        `DataProcessing.${field} is not a JSONPath batch transform supports: ${error.message}.`,
        `DataProcessing.${field}`,
      );
    }
  }
  const plan = planDataProcessing(request.DataProcessing);
  const active = !isRootPath(plan.inputFilter) || handlesEachAnswer(plan);
  if (!active) return;
  const input = request.TransformInput;
  if (!recordFormat(input.ContentType)) {
    throw new ValidationError(
      `DataProcessing needs TransformInput.ContentType text/csv, application/json or application/jsonlines to read records, got '${input.ContentType ?? ''}'.`,
      'TransformInput.ContentType',
    );
  }
  const split = input.SplitType ?? 'None';
  if (split === 'RecordIO' || split === 'TFRecord') {
    throw new ValidationError(
      `DataProcessing reads CSV and JSON records; it cannot be used with SplitType ${split}.`,
      'TransformInput.SplitType',
    );
  }
  const accept = request.TransformOutput.Accept;
  if (handlesEachAnswer(plan) && accept !== undefined && !recordFormat(accept)) {
    throw new ValidationError(
      `JoinSource and OutputFilter need TransformOutput.Accept text/csv, application/json or application/jsonlines, got '${accept}'.`,
      'TransformOutput.Accept',
    );
  }
}
