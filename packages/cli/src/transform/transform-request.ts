import type { CreateTransformJobCommandInput } from '@aws-sdk/client-sagemaker';

/** What `plinth transform` asks for, its input already in S3. */
export interface TransformSpec {
  readonly jobName: string;
  readonly model: string;
  readonly inputUri: string;
  readonly outputUri: string;
  readonly contentType?: string;
  readonly splitType: 'None' | 'Line' | 'RecordIO' | 'TFRecord';
  readonly compression: 'None' | 'Gzip';
  readonly strategy: 'SingleRecord' | 'MultiRecord';
  readonly accept?: string;
  readonly assembleWith: 'None' | 'Line';
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly maxPayloadMb?: number;
  readonly maxConcurrent?: number;
  readonly joinSource?: 'Input' | 'None';
  readonly inputFilter?: string;
  readonly outputFilter?: string;
}

/** The CreateTransformJob request for a spec; DataProcessing only when a flag asks for it. */
export function buildTransformRequest(spec: TransformSpec): CreateTransformJobCommandInput {
  const dataProcessing = {
    ...(spec.inputFilter ? { InputFilter: spec.inputFilter } : {}),
    ...(spec.outputFilter ? { OutputFilter: spec.outputFilter } : {}),
    ...(spec.joinSource ? { JoinSource: spec.joinSource } : {}),
  };
  return {
    TransformJobName: spec.jobName,
    ModelName: spec.model,
    BatchStrategy: spec.strategy,
    ...(spec.maxPayloadMb === undefined ? {} : { MaxPayloadInMB: spec.maxPayloadMb }),
    ...(spec.maxConcurrent === undefined ? {} : { MaxConcurrentTransforms: spec.maxConcurrent }),
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: spec.inputUri } },
      ...(spec.contentType ? { ContentType: spec.contentType } : {}),
      SplitType: spec.splitType,
      CompressionType: spec.compression,
    },
    TransformOutput: {
      S3OutputPath: spec.outputUri,
      AssembleWith: spec.assembleWith,
      ...(spec.accept ? { Accept: spec.accept } : {}),
    },
    TransformResources: { InstanceType: spec.instanceType, InstanceCount: spec.instanceCount },
    ...(Object.keys(dataProcessing).length > 0 ? { DataProcessing: dataProcessing } : {}),
  } as CreateTransformJobCommandInput;
}
