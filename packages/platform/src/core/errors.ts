/**
 * Domain errors. Services throw these; the API edge maps each `code` to the wire error of the
 * protocol in use (see `api/aws-json/error-map.ts`). Nothing below the API layer knows HTTP.
 */
export type DomainErrorCode =
  | 'Validation'
  | 'ResourceNotFound'
  | 'ResourceInUse'
  | 'ResourceLimitExceeded'
  | 'Conflict'
  | 'Authentication';

/** Base class of every error a service may throw on purpose. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

/** A request broke a rule: a field is missing, malformed, out of range, or names something that already exists. */
export class ValidationError extends DomainError {
  readonly code = 'Validation';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** The named resource does not exist. */
export class ResourceNotFoundError extends DomainError {
  readonly code = 'ResourceNotFound';
  constructor(message: string) {
    super(message);
    this.name = 'ResourceNotFoundError';
  }
}

/** The resource is in use by another resource or operation and cannot be changed now. */
export class ResourceInUseError extends DomainError {
  readonly code = 'ResourceInUse';
  constructor(message: string) {
    super(message);
    this.name = 'ResourceInUseError';
  }
}

/** A quota (count, size, capacity) would be exceeded. */
export class ResourceLimitExceededError extends DomainError {
  readonly code = 'ResourceLimitExceeded';
  constructor(message: string) {
    super(message);
    this.name = 'ResourceLimitExceededError';
  }
}

/** A concurrent change won: the caller's view of the resource is stale. */
export class ConflictError extends DomainError {
  readonly code = 'Conflict';
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Why a request's credentials were refused. Each protocol names these in its own words. */
export type AuthenticationFailure =
  | 'MissingAuthentication'
  | 'UnknownAccessKey'
  | 'SignatureMismatch'
  | 'RequestExpired'
  | 'MalformedAuthorization';

/** The request's credentials or signature were refused; nothing was done. */
export class AuthenticationError extends DomainError {
  readonly code = 'Authentication';
  constructor(
    readonly failure: AuthenticationFailure,
    message: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}
