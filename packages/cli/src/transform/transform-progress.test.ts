import { describe, expect, it } from 'vitest';
import { describeTransformOutcome, expectedOutputs, formatProgress } from './transform-progress.js';

describe('transform progress', () => {
  it('names outputs as the server does, below the output prefix', () => {
    const expected = expectedOutputs(
      {
        prefix: 'job/input/data',
        keys: ['job/input/data/a.csv', 'job/input/data/sub/b.csv', 'job/input/data/'],
      },
      'results',
    );
    expect([...expected.byInput.values()]).toEqual(['results/a.csv.out', 'results/sub/b.csv.out']);
    const single = expectedOutputs({ prefix: 'in/x.csv', keys: ['in/x.csv'] }, '');
    expect([...single.byInput.values()]).toEqual(['x.csv.out']);
  });

  it('draws a bar of objects done', () => {
    expect(formatProgress({ done: 1, total: 4, status: 'InProgress', elapsedMs: 7_000 })).toBe(
      '[#####---------------] 1/4 objects | InProgress | 0:07',
    );
    expect(formatProgress({ done: 0, total: 0, status: 'InProgress', elapsedMs: 0 })).toMatch(
      /^\[-{20}\] 0\/0 objects/,
    );
  });

  it('exits 0 on Completed and 1 with the reason on Failed', () => {
    expect(
      describeTransformOutcome({
        TransformJobName: 'j',
        TransformJobStatus: 'Completed',
        TransformOutput: { S3OutputPath: 's3://b/o' },
      }),
    ).toEqual({ exitCode: 0, lines: ['Transform job j: Completed', 'Output: s3://b/o'] });
    expect(
      describeTransformOutcome({
        TransformJobName: 'j',
        TransformJobStatus: 'Failed',
        FailureReason: 'bad line 3',
      }),
    ).toEqual({ exitCode: 1, lines: ['Transform job j: Failed', 'Reason: bad line 3'] });
    expect(describeTransformOutcome({ TransformJobStatus: 'Stopped' }).exitCode).toBe(1);
  });
});
