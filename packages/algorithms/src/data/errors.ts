/**
 * A dataset or request body that does not match the format its content type promises. The
 * message is written for the user who supplied the data: algorithms copy it into the training
 * job's FailureReason or the invocation's error response, so it names the file, line or byte
 * offset and says what was expected.
 */
export class DataFormatError extends Error {
  readonly code = 'DataFormatError';

  constructor(message: string) {
    super(message);
    this.name = 'DataFormatError';
  }
}

/** Prefixes a message with where it happened, when the caller told us (a file name). */
export function located(source: string | undefined, message: string): string {
  return source === undefined ? message : `${source}: ${message}`;
}
