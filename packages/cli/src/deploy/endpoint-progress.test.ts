import type { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { LiveLine } from '../live-line.js';
import { EndpointProgress } from './endpoint-progress.js';
import { hasSettled } from './follow-endpoint.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = {
    isTTY,
    columns: 80,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

function polls(
  statuses: NonNullable<DescribeEndpointCommandOutput['EndpointStatus']>[],
): DescribeEndpointCommandOutput[] {
  return statuses.map((EndpointStatus) => ({
    $metadata: {},
    EndpointName: 'km',
    EndpointArn: 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/km',
    EndpointStatus,
    CreationTime: new Date(0),
    LastModifiedTime: new Date(0),
  }));
}

describe('a deploying endpoint', () => {
  it('on a terminal shows a live status | elapsed line', () => {
    const stream = fakeStream(true);
    let now = 0;
    const progress = new EndpointProgress(new LiveLine(stream), 0, () => now);
    for (const poll of polls(['Creating', 'Creating'])) {
      progress.update(poll);
      now += 1_000;
    }
    expect(stream.text).toBe('\r\x1b[2KCreating | 0:00\r\x1b[2KCreating | 0:01');
  });

  it('elsewhere prints a plain line only when the status changes', () => {
    const stream = fakeStream(false);
    let now = 0;
    const progress = new EndpointProgress(new LiveLine(stream), 0, () => now);
    for (const poll of polls(['Creating', 'Creating', 'Creating', 'InService'])) {
      progress.update(poll);
      now += 500;
    }
    expect(stream.text).toBe('[0:00] Creating\n[0:01] InService\n');
  });

  it('is followed until it is no longer Creating or Updating', () => {
    for (const status of ['Creating', 'Updating', 'SystemUpdating', 'RollingBack', undefined])
      expect(hasSettled(status), String(status)).toBe(false);
    for (const status of ['InService', 'Failed', 'OutOfService', 'Deleting'])
      expect(hasSettled(status), status).toBe(true);
  });
});
