import type { AuthenticationFailure, DomainErrorCode } from '../../core/errors.js';
import { DomainError, AuthenticationError } from '../../core/errors.js';
import { SerializationError } from '../api-model/validate-input.js';

/** An error as the AWS JSON protocol sends it: `__type` in the body and an HTTP status. */
export interface WireError {
  readonly type: string;
  readonly status: number;
  readonly message: string;
}

/** SageMaker's names for the domain errors; other JSON services may rename some. */
export const SAGEMAKER_ERROR_NAMES: Readonly<
  Record<Exclude<DomainErrorCode, 'Authentication'>, WireName>
> = {
  Validation: { type: 'ValidationException', status: 400 },
  ResourceNotFound: { type: 'ResourceNotFound', status: 400 },
  ResourceInUse: { type: 'ResourceInUse', status: 400 },
  ResourceLimitExceeded: { type: 'ResourceLimitExceeded', status: 400 },
  Conflict: { type: 'ConflictException', status: 409 },
};

export interface WireName {
  readonly type: string;
  readonly status: number;
}

/** What every AWS JSON service answers when a signature is refused. */
const AUTHENTICATION_ERRORS: Readonly<Record<AuthenticationFailure, WireName>> = {
  MissingAuthentication: { type: 'MissingAuthenticationTokenException', status: 403 },
  UnknownAccessKey: { type: 'UnrecognizedClientException', status: 403 },
  SignatureMismatch: { type: 'InvalidSignatureException', status: 403 },
  RequestExpired: { type: 'InvalidSignatureException', status: 403 },
  MalformedAuthorization: { type: 'IncompleteSignatureException', status: 403 },
};

/** A failure of the request itself before any service saw it (target, body, size). */
export class ProtocolError extends Error {
  constructor(
    readonly wire: WireName,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * Maps anything thrown while serving a request to the error the client sees. Unknown errors
 * become InternalFailure (500); the caller logs their stack.
 */
export function toWireError(
  error: unknown,
  names: Readonly<
    Record<Exclude<DomainErrorCode, 'Authentication'>, WireName>
  > = SAGEMAKER_ERROR_NAMES,
): WireError | undefined {
  if (error instanceof AuthenticationError)
    return { ...AUTHENTICATION_ERRORS[error.failure], message: error.message };
  if (error instanceof DomainError)
    return {
      ...names[error.code as Exclude<DomainErrorCode, 'Authentication'>],
      message: error.message,
    };
  if (error instanceof SerializationError)
    return { type: 'SerializationException', status: 400, message: error.message };
  if (error instanceof ProtocolError) return { ...error.wire, message: error.message };
  return undefined;
}
