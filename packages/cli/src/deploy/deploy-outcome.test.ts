import type { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { describeDeployOutcome } from './deploy-outcome.js';

function endpoint(fields: Partial<DescribeEndpointCommandOutput>): DescribeEndpointCommandOutput {
  return {
    $metadata: {},
    EndpointName: 'km',
    EndpointArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/km',
    EndpointConfigName: 'km',
    EndpointStatus: 'InService',
    CreationTime: new Date('2024-05-01T12:00:00Z'),
    LastModifiedTime: new Date('2024-05-01T12:00:02Z'),
    ...fields,
  };
}

const CONTEXT = { elapsedMs: 2_400, endpointUrl: 'http://127.0.0.1:8766' };

describe('the outcome of a deployment', () => {
  it('says how to invoke an endpoint InService, with exit 0', () => {
    expect(describeDeployOutcome(endpoint({}), CONTEXT)).toEqual({
      exitCode: 0,
      lines: [
        'Endpoint km: InService (after 0:02)',
        "Invoke it: plinth invoke km --body '<csv row>'   (or --file <path>; --content-type for other formats)",
      ],
    });
  });

  it('gives the FailureReason and how to clear the name, with exit 1, when it failed', () => {
    const outcome = describeDeployOutcome(
      endpoint({ EndpointStatus: 'Failed', FailureReason: "Plinth cannot serve the image 'x'" }),
      CONTEXT,
    );
    expect(outcome.exitCode).toBe(1);
    expect(outcome.lines.slice(0, 2)).toEqual([
      'Endpoint km: Failed (after 0:02)',
      "Reason: Plinth cannot serve the image 'x'",
    ]);
    expect(outcome.lines).toContain(
      '  aws --endpoint-url http://127.0.0.1:8766 sagemaker delete-endpoint --endpoint-name km',
    );
    expect(outcome.lines.at(-1)).toContain('delete-model --model-name km');
  });

  it('points elsewhere to look, with exit 1, for any other status', () => {
    const outcome = describeDeployOutcome(endpoint({ EndpointStatus: 'OutOfService' }), CONTEXT);
    expect(outcome).toEqual({
      exitCode: 1,
      lines: [
        'Endpoint km: OutOfService (after 0:02)',
        'See where it stands with: plinth endpoints describe km',
      ],
    });
  });
});
