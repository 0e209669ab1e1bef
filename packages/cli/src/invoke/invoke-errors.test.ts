import { ModelError, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { describe, expect, it } from 'vitest';
import { explainInvokeFailure } from './invoke-errors.js';

describe('failed invocations', () => {
  it("give a ModelError's original status and message, and its log when named", () => {
    const error = new ModelError({
      $metadata: { httpStatusCode: 424 },
      message: 'Received client error (400) from primary with message "bad row".',
      OriginalStatusCode: 400,
      OriginalMessage: 'Row 1 has 3 features; the model expects 2.',
    });
    expect(explainInvokeFailure(error, 'km')).toBe(
      'The model of endpoint km answered with an error (status 400): Row 1 has 3 features; the model expects 2.',
    );
    const logged = new ModelError({
      $metadata: {},
      message: 'x',
      OriginalStatusCode: 500,
      OriginalMessage: 'boom',
      LogStreamArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/Endpoints/km',
    });
    expect(explainInvokeFailure(logged, 'km')).toContain(
      '\nIts log: arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/Endpoints/km',
    );
  });

  it('say what to do about a missing endpoint or variant', () => {
    const missing = new ValidationError({
      $metadata: {},
      message: 'Endpoint ghost of account 000000000000 not found.',
    });
    expect(explainInvokeFailure(missing, 'ghost')).toBe(
      "Endpoint ghost of account 000000000000 not found. 'plinth endpoints list' shows the endpoints there are; 'plinth deploy' creates one.",
    );
    const variant = new ValidationError({
      $metadata: {},
      message: 'The variant blue of endpoint km does not exist or is not serving.',
    });
    expect(explainInvokeFailure(variant, 'km')).toContain("'plinth endpoints describe km'");
  });

  it('leave every other failure to the CLI', () => {
    expect(
      explainInvokeFailure(
        new ValidationError({ $metadata: {}, message: 'Body is too big' }),
        'km',
      ),
    ).toBeUndefined();
    expect(explainInvokeFailure(new Error('socket hang up'), 'km')).toBeUndefined();
  });
});
