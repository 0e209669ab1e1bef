import { describe, expect, it } from 'vitest';
import { decodeMessage, payloadPart, streamError } from './response-stream.js';

describe('response stream framing', () => {
  it('frames a payload part as the SDKs expect it', () => {
    const message = decodeMessage(payloadPart(Buffer.from('{"token":"hi"}')));
    expect(message.headers[':message-type']?.value).toBe('event');
    expect(message.headers[':event-type']?.value).toBe('PayloadPart');
    expect(Buffer.from(message.body).toString()).toBe('{"token":"hi"}');
  });

  it('frames a model stream error with its message and code', () => {
    const message = decodeMessage(
      streamError('ModelStreamError', { message: 'broke off', code: 'ModelError' }),
    );
    expect(message.headers[':message-type']?.value).toBe('exception');
    expect(message.headers[':exception-type']?.value).toBe('ModelStreamError');
    expect(JSON.parse(Buffer.from(message.body).toString())).toEqual({
      Message: 'broke off',
      ErrorCode: 'ModelError',
    });
  });
});
