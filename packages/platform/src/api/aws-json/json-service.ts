import type { DomainErrorCode } from '../../core/errors.js';
import type { ApiModel } from '../api-model/api-model.js';
import type { Principal } from '../auth/authenticator.js';
import type { WireName } from './error-map.js';

/** What a JSON operation handler knows about the call besides its input. */
export interface OperationContext {
  readonly requestId: string;
  readonly principal: Principal;
}

/**
 * One operation: takes the validated input (still the wire JSON) and returns the output shape.
 * Dates in the output are sent as epoch seconds, as the AWS JSON protocol does.
 */
export type OperationHandler = (
  input: Record<string, unknown>,
  context: OperationContext,
) => Promise<unknown>;

/** An AWS JSON 1.1 service on the front door, selected by the `X-Amz-Target` prefix. */
export interface JsonService {
  /** `SageMaker`, `AnyScaleFrontendService`, ... */
  readonly targetPrefix: string;
  readonly model: ApiModel;
  readonly handlers: Readonly<Record<string, OperationHandler>>;
  /** The service's own names for domain errors where they differ from SageMaker's. */
  readonly errorNames?: Readonly<Record<Exclude<DomainErrorCode, 'Authentication'>, WireName>>;
}
