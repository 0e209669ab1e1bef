/** The fields of a failed InvokeEndpoint that say what went wrong (the SDK's ModelError has them all). */
interface InvokeFailure {
  readonly name?: string;
  readonly message?: string;
  readonly OriginalStatusCode?: number;
  readonly OriginalMessage?: string;
  readonly LogStreamArn?: string;
}

/**
 * What to tell a person whose invocation failed, when the failure is one an invocation has: the
 * model's own status and message for a ModelError, what to do for a missing endpoint or variant.
 * Undefined for anything else, which the CLI reports as it reports every failure.
 */
export function explainInvokeFailure(error: unknown, endpoint: string): string | undefined {
  const failure = error as InvokeFailure;
  if (failure.name === 'ModelError') {
    const status = failure.OriginalStatusCode ?? 'unknown';
    const message = failure.OriginalMessage ?? failure.message ?? '(no message)';
    const log = failure.LogStreamArn ? `\nIts log: ${failure.LogStreamArn}` : '';
    return `The model of endpoint ${endpoint} answered with an error (status ${status}): ${message}${log}`;
  }
  if (failure.name !== 'ValidationError') return undefined;
  const message = failure.message ?? '';
  if (/^Endpoint .* not found\.$/.test(message))
    return `${message} 'plinth endpoints list' shows the endpoints there are; 'plinth deploy' creates one.`;
  if (/^The variant .* does not exist/.test(message))
    return `${message} 'plinth endpoints describe ${endpoint}' shows its variants.`;
  return undefined;
}
