import type { DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { describeOutcome } from './outcome.js';

/** A description with the fields SageMaker always returns, and those a test gives. */
function job(fields: Partial<DescribeTrainingJobCommandOutput>): DescribeTrainingJobCommandOutput {
  return {
    $metadata: {},
    TrainingJobName: 'km',
    TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/km',
    TrainingJobStatus: 'InProgress',
    SecondaryStatus: 'Training',
    ModelArtifacts: { S3ModelArtifacts: 's3://b/km/output/model.tar.gz' },
    StoppingCondition: { MaxRuntimeInSeconds: 60 },
    CreationTime: new Date('2024-05-01T11:59:58Z'),
    ...fields,
  };
}

describe('the outcome of a followed job', () => {
  it('gives the model, the metrics and exit 0 when the job completed', () => {
    const outcome = describeOutcome(
      job({
        TrainingJobStatus: 'Completed',
        TrainingStartTime: new Date('2024-05-01T12:00:00Z'),
        TrainingEndTime: new Date('2024-05-01T12:01:05Z'),
        FinalMetricDataList: [{ MetricName: 'test:msd', Value: 0.25 }],
      }),
    );
    expect(outcome).toEqual({
      exitCode: 0,
      lines: [
        'Training job km: Completed (trained for 1:05)',
        'Model artifact: s3://b/km/output/model.tar.gz',
        'METRIC    VALUE\ntest:msd  0.25',
      ],
    });
  });

  it('gives the reason and what to do, with exit 1, when the job failed or was stopped', () => {
    const failed = describeOutcome(
      job({
        TrainingJobStatus: 'Failed',
        FailureReason: "AlgorithmError: Hyperparameter 'k' must be a positive integer",
      }),
    );
    expect(failed.exitCode).toBe(1);
    expect(failed.lines).toContain(
      "Reason: AlgorithmError: Hyperparameter 'k' must be a positive integer",
    );
    expect(failed.lines.at(-1)).toContain('plinth logs km');
    const timedOut = describeOutcome(
      job({ TrainingJobStatus: 'Stopped', SecondaryStatus: 'MaxRuntimeExceeded' }),
    );
    expect(timedOut.exitCode).toBe(1);
    expect(timedOut.lines.at(-1)).toContain('(60 s)');
    expect(timedOut.lines.at(-1)).toContain('--max-runtime');
  });
});
