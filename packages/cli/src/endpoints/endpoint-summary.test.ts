import type { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../output.js';
import { formatEndpointSummary } from './endpoint-summary.js';

const CREATED = new Date('2024-05-01T12:00:00Z');
const MODIFIED = new Date('2024-05-01T12:05:00Z');

function endpoint(fields: Partial<DescribeEndpointCommandOutput>): DescribeEndpointCommandOutput {
  return {
    $metadata: {},
    EndpointName: 'km',
    EndpointArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/km',
    EndpointConfigName: 'km-config',
    EndpointStatus: 'InService',
    CreationTime: CREATED,
    LastModifiedTime: MODIFIED,
    ...fields,
  };
}

describe('an endpoint described for people', () => {
  it('lists each variant with its weight, traffic share, instances and image', () => {
    const text = formatEndpointSummary(
      endpoint({
        ProductionVariants: [
          {
            VariantName: 'old',
            CurrentWeight: 0.8,
            DesiredWeight: 0.8,
            CurrentInstanceCount: 2,
            DesiredInstanceCount: 2,
            DeployedImages: [{ SpecifiedImage: 'plinth/kmeans:1' }],
          },
          {
            VariantName: 'new',
            CurrentWeight: 0.2,
            DesiredWeight: 1,
            CurrentInstanceCount: 1,
            DesiredInstanceCount: 3,
            DeployedImages: [{ SpecifiedImage: 'kmeans' }],
          },
        ],
      }),
    );
    expect(text).toBe(
      [
        'Endpoint:       km',
        'Status:         InService',
        'Configuration:  km-config',
        'ARN:            arn:aws:sagemaker:us-east-1:000000000000:endpoint/km',
        `Created:        ${formatTime(CREATED)}`,
        `Last modified:  ${formatTime(MODIFIED)}`,
        '',
        'VARIANT  WEIGHT    TRAFFIC  INSTANCES  IMAGE',
        'old      0.8       80%      2          plinth/kmeans:1',
        'new      0.2 -> 1  20%      1 -> 3     kmeans',
      ].join('\n'),
    );
  });

  it('shows why it failed, and says so when no variant serves', () => {
    const text = formatEndpointSummary(
      endpoint({ EndpointStatus: 'Failed', FailureReason: 'the model server exited' }),
    );
    expect(text).toContain('Status:          Failed\nFailure reason:  the model server exited\n');
    expect(text.endsWith('\n\nNo variants serving yet.')).toBe(true);
  });

  it('shows no traffic share while every weight is 0', () => {
    const text = formatEndpointSummary(
      endpoint({
        ProductionVariants: [{ VariantName: 'only', CurrentWeight: 0, CurrentInstanceCount: 1 }],
      }),
    );
    expect(text).toMatch(/^only\s+0\s+-\s+1\s+-$/m);
  });
});
