import type { DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { scriptModeEnvironment, trainedModel } from './training-job-model.js';

/** A description with the fields SageMaker always returns, and those a test gives. */
function job(fields: Partial<DescribeTrainingJobCommandOutput>): DescribeTrainingJobCommandOutput {
  return {
    $metadata: {},
    TrainingJobName: 'km',
    TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/km',
    TrainingJobStatus: 'Completed',
    SecondaryStatus: 'Completed',
    AlgorithmSpecification: { TrainingImage: 'plinth/kmeans:1', TrainingInputMode: 'File' },
    ModelArtifacts: { S3ModelArtifacts: 's3://b/km/output/model.tar.gz' },
    StoppingCondition: { MaxRuntimeInSeconds: 60 },
    CreationTime: new Date('2024-05-01T11:59:58Z'),
    ...fields,
  };
}

describe('the model a training job made', () => {
  it("is the job's training image serving its model artifact", () => {
    expect(trainedModel(job({ HyperParameters: { k: '3' } }))).toEqual({
      image: 'plinth/kmeans:1',
      modelDataUrl: 's3://b/km/output/model.tar.gz',
      environment: {},
    });
  });

  it("carries a script-mode job's program and source over to the serving environment", () => {
    const model = trainedModel(
      job({
        AlgorithmSpecification: { TrainingImage: 'plinth/node:20', TrainingInputMode: 'File' },
        HyperParameters: {
          sagemaker_program: 'train.js',
          sagemaker_submit_directory: 's3://b/code/sourcedir.tar.gz',
          epochs: '3',
        },
      }),
    );
    expect(model.environment).toEqual({
      SAGEMAKER_PROGRAM: 'train.js',
      SAGEMAKER_SUBMIT_DIRECTORY: 's3://b/code/sourcedir.tar.gz',
    });
    // The SageMaker Python SDK stores hyperparameters JSON-encoded.
    expect(
      scriptModeEnvironment({
        sagemaker_program: '"train.py"',
        sagemaker_submit_directory: '"s3://b/s.tar.gz"',
      }),
    ).toEqual({ SAGEMAKER_PROGRAM: 'train.py', SAGEMAKER_SUBMIT_DIRECTORY: 's3://b/s.tar.gz' });
    expect(scriptModeEnvironment({ sagemaker_program: '"unterminated' })).toEqual({
      SAGEMAKER_PROGRAM: '"unterminated',
    });
  });

  it('does not exist until the job has completed, and the error says what to do', () => {
    expect(() => trainedModel(job({ TrainingJobStatus: 'InProgress' }))).toThrow(
      'Training job km is still InProgress, so it has no model yet; wait for it (plinth logs km --follow) and deploy again.',
    );
    expect(() =>
      trainedModel(
        job({ TrainingJobStatus: 'Failed', FailureReason: 'AlgorithmError: k must be positive' }),
      ),
    ).toThrow(
      'Training job km ended Failed (AlgorithmError: k must be positive), so it has no model to deploy; see plinth logs km',
    );
    expect(() => trainedModel(job({ TrainingJobStatus: 'Stopped' }))).toThrow('ended Stopped');
    expect(() => trainedModel(job({ ModelArtifacts: undefined }))).toThrow(
      'names no model artifact; deploy its model with --model-data <s3-uri> --image <image> instead',
    );
  });
});
