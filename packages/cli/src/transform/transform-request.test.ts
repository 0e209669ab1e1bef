import { describe, expect, it } from 'vitest';
import { buildTransformRequest, type TransformSpec } from './transform-request.js';

const spec: TransformSpec = {
  jobName: 'km-1',
  model: 'km',
  inputUri: 's3://data/in',
  outputUri: 's3://data/out',
  contentType: 'text/csv',
  splitType: 'Line',
  compression: 'None',
  strategy: 'MultiRecord',
  assembleWith: 'Line',
  instanceType: 'ml.m5.large',
  instanceCount: 2,
};

describe('buildTransformRequest', () => {
  it('asks for what the flags say and leaves the rest to SageMaker defaults', () => {
    const request = buildTransformRequest(spec);
    expect(request).toEqual({
      TransformJobName: 'km-1',
      ModelName: 'km',
      BatchStrategy: 'MultiRecord',
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/in' } },
        ContentType: 'text/csv',
        SplitType: 'Line',
        CompressionType: 'None',
      },
      TransformOutput: { S3OutputPath: 's3://data/out', AssembleWith: 'Line' },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 2 },
    });
  });

  it('adds DataProcessing, Accept and limits only when given', () => {
    const request = buildTransformRequest({
      ...spec,
      accept: 'text/csv',
      joinSource: 'Input',
      inputFilter: '$[1:]',
      outputFilter: '$[0,-1]',
      maxPayloadMb: 1,
      maxConcurrent: 4,
    });
    expect(request.DataProcessing).toEqual({
      InputFilter: '$[1:]',
      OutputFilter: '$[0,-1]',
      JoinSource: 'Input',
    });
    expect(request.TransformOutput?.Accept).toBe('text/csv');
    expect([request.MaxPayloadInMB, request.MaxConcurrentTransforms]).toEqual([1, 4]);
  });
});
