import type { IncomingHttpHeaders } from 'node:http';
import { parseS3Uri } from '../../artifacts/s3-uri.js';
import { ValidationError } from '../../core/errors.js';
import {
  DEFAULT_INVOCATION_TIMEOUT_SECONDS,
  DEFAULT_REQUEST_TTL_SECONDS,
  MAX_INVOCATION_TIMEOUT_SECONDS,
  MAX_REQUEST_TTL_SECONDS,
  MIN_INVOCATION_TIMEOUT_SECONDS,
  MIN_REQUEST_TTL_SECONDS,
  type AsyncInvocationRequest,
} from '../../services/async-inference/async-request.js';

/** The runtime model's limit on the header values it passes through. */
const MAX_HEADER_LENGTH = 1024;
/** InferenceId: 1 to 64 printable ASCII characters, not starting with a space. */
const INFERENCE_ID = /^[\x21-\x7e][\x20-\x7e]{0,63}$/;
const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * The InvokeEndpointAsync request its `X-Amzn-SageMaker-*` headers describe, or a
 * ValidationError worded as AWS words it, naming the member that breaks a rule. Plinth reads
 * the input from its own object store, so InputLocation must be an s3:// URI of an object.
 */
export function parseAsyncHeaders(
  endpoint: string,
  headers: IncomingHttpHeaders,
): AsyncInvocationRequest {
  const inputUri = text(headers, 'x-amzn-sagemaker-inputlocation');
  if (inputUri === undefined || inputUri === '') {
    throw new ValidationError(
      "1 validation error detected: Value null at 'inputLocation' failed to satisfy constraint: Member must not be null",
      'InputLocation',
    );
  }
  if (inputUri.length > MAX_HEADER_LENGTH) throw tooLong('inputLocation', inputUri);
  if (inputUri.startsWith('https://')) {
    throw new ValidationError(
      `InputLocation ${inputUri}: Plinth reads inputs from its object store; give an s3://bucket/key URI.`,
      'InputLocation',
    );
  }
  const input = parseS3Uri(inputUri, 'InputLocation');
  if (!input.key || input.key.endsWith('/')) {
    throw new ValidationError(
      `InputLocation ${inputUri} must name an object (s3://bucket/key), not a bucket or folder.`,
      'InputLocation',
    );
  }
  for (const unsupported of [
    'x-amzn-sagemaker-s3outputpathextension',
    'x-amzn-sagemaker-filename',
  ]) {
    if (text(headers, unsupported) !== undefined) {
      const member =
        unsupported === 'x-amzn-sagemaker-filename' ? 'Filename' : 'S3OutputPathExtension';
      throw new ValidationError(
        `${member} is not supported by Plinth yet: answers are written to <S3OutputPath>/<id>.out.`,
        member,
      );
    }
  }
  const inferenceId = text(headers, 'x-amzn-sagemaker-inference-id');
  if (inferenceId !== undefined && !INFERENCE_ID.test(inferenceId)) {
    throw new ValidationError(
      `1 validation error detected: Value '${inferenceId}' at 'inferenceId' failed to satisfy constraint: Member must have length between 1 and 64 and satisfy regular expression pattern: \\A\\S[\\p{Print}]*\\z`,
      'InferenceId',
    );
  }
  const passed = {
    contentType: text(headers, 'x-amzn-sagemaker-content-type'),
    accept: text(headers, 'x-amzn-sagemaker-accept'),
    customAttributes: text(headers, 'x-amzn-sagemaker-custom-attributes'),
  };
  for (const [member, value] of Object.entries(passed)) {
    if (value === undefined) continue;
    if (value.length > MAX_HEADER_LENGTH) throw tooLong(member, value);
    if (member === 'customAttributes' && !PRINTABLE.test(value)) {
      throw new ValidationError(
        `1 validation error detected: Value at 'customAttributes' failed to satisfy constraint: Member must consist of visible US-ASCII characters`,
        'CustomAttributes',
      );
    }
  }
  return {
    endpoint,
    input,
    ...(passed.contentType ? { contentType: passed.contentType } : {}),
    ...(passed.accept ? { accept: passed.accept } : {}),
    ...(passed.customAttributes ? { customAttributes: passed.customAttributes } : {}),
    ...(inferenceId ? { inferenceId } : {}),
    requestTtlSeconds: integer(headers, {
      header: 'x-amzn-sagemaker-requestttlseconds',
      member: 'requestTTLSeconds',
      min: MIN_REQUEST_TTL_SECONDS,
      max: MAX_REQUEST_TTL_SECONDS,
      fallback: DEFAULT_REQUEST_TTL_SECONDS,
    }),
    invocationTimeoutSeconds: integer(headers, {
      header: 'x-amzn-sagemaker-invocationtimeoutseconds',
      member: 'invocationTimeoutSeconds',
      min: MIN_INVOCATION_TIMEOUT_SECONDS,
      max: MAX_INVOCATION_TIMEOUT_SECONDS,
      fallback: DEFAULT_INVOCATION_TIMEOUT_SECONDS,
    }),
  };
}

function text(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function integer(
  headers: IncomingHttpHeaders,
  rule: { header: string; member: string; min: number; max: number; fallback: number },
): number {
  const raw = text(headers, rule.header);
  if (raw === undefined || raw === '') return rule.fallback;
  const value = Number(raw);
  const field = rule.member.charAt(0).toUpperCase() + rule.member.slice(1);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    throw new ValidationError(
      `1 validation error detected: Value '${raw}' at '${rule.member}' failed to satisfy constraint: Member must be an integer`,
      field,
    );
  }
  if (value < rule.min || value > rule.max) {
    const bound =
      value < rule.min
        ? `greater than or equal to ${rule.min}`
        : `less than or equal to ${rule.max}`;
    throw new ValidationError(
      `1 validation error detected: Value '${value}' at '${rule.member}' failed to satisfy constraint: Member must have value ${bound}`,
      field,
    );
  }
  return value;
}

function tooLong(member: string, value: string): ValidationError {
  return new ValidationError(
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_HEADER_LENGTH} (it has ${value.length})`,
    member.charAt(0).toUpperCase() + member.slice(1),
  );
}
