import { EventStreamCodec } from '@smithy/core/event-streams';

/** The AWS event-stream framing (prelude, headers, CRCs) the SDKs decode. */
const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

/** Content type of an InvokeEndpointWithResponseStream answer. */
export const EVENT_STREAM_TYPE = 'application/vnd.amazon.eventstream';

/** A PayloadPart event: a piece of the model server's answer, as it arrived. */
export function payloadPart(bytes: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'PayloadPart' },
      ':content-type': { type: 'string', value: 'application/octet-stream' },
    },
    body: bytes,
  });
}

/**
 * The stream's error event once the answer has begun: ModelStreamError when the model server
 * broke off, InternalStreamFailure when Plinth did.
 */
export function streamError(
  kind: 'ModelStreamError' | 'InternalStreamFailure',
  error: { message: string; code?: string },
): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: kind },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: Buffer.from(
      JSON.stringify({ Message: error.message, ...(error.code ? { ErrorCode: error.code } : {}) }),
    ),
  });
}

/** Decodes one framed message (for tests and diagnostics). */
export function decodeMessage(bytes: Uint8Array): ReturnType<EventStreamCodec['decode']> {
  return codec.decode(bytes);
}
