/**
 * Turns a failed call into one line a person can act on: the AWS error name and message, or,
 * when the server cannot be reached, how to start it or point the CLI elsewhere.
 */
export function describeFailure(error: unknown, endpointUrl: string): string {
  const err = error as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string };
  };
  const code = err.code ?? err.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return `Cannot reach Plinth at ${endpointUrl} (${code}). Start it with 'plinth serve', or point the CLI at it with --endpoint-url or PLINTH_ENDPOINT_URL.`;
  }
  if (err.name && err.name !== 'Error') return `${err.name}: ${err.message ?? ''}`.trim();
  return err.message ?? String(error);
}
