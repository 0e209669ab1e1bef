import { baseType, type CaptureSettings } from './capture-settings.js';

/** One side of an invocation as the endpoint saw it. */
export interface CapturedPayload {
  readonly contentType: string;
  readonly body: Buffer;
}

/** An invocation to capture. */
export interface CapturedInvocation {
  readonly eventId: string;
  readonly inferenceId?: string;
  readonly inferenceTime: Date;
  readonly input: CapturedPayload;
  readonly output: CapturedPayload;
}

/**
 * One line of a capture file, in SageMaker's format (what Model Monitor reads): the request
 * and response with their observed content types, encoded as CSV or JSON text when the
 * configuration lists their type, else BASE64; and the event's id and time.
 */
export function captureLine(settings: CaptureSettings, invocation: CapturedInvocation): string {
  const captureData: Record<string, unknown> = {};
  if (settings.input) captureData.endpointInput = side(settings, invocation.input, 'INPUT');
  if (settings.output) captureData.endpointOutput = side(settings, invocation.output, 'OUTPUT');
  return JSON.stringify({
    captureData,
    eventMetadata: {
      eventId: invocation.eventId,
      ...(invocation.inferenceId ? { inferenceId: invocation.inferenceId } : {}),
      inferenceTime: invocation.inferenceTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    eventVersion: '0',
  });
}

function side(
  settings: CaptureSettings,
  payload: CapturedPayload,
  mode: 'INPUT' | 'OUTPUT',
): Record<string, string> {
  const type = baseType(payload.contentType);
  const encoding = settings.csvTypes.has(type)
    ? 'CSV'
    : settings.jsonTypes.has(type)
      ? 'JSON'
      : 'BASE64';
  return {
    observedContentType: payload.contentType,
    mode,
    data: encoding === 'BASE64' ? payload.body.toString('base64') : payload.body.toString('utf8'),
    encoding,
  };
}
