// A batch transform job run through Plinth as a user runs one, with the real
// @aws-sdk/client-sagemaker: CreateTransformJob, then DescribeTransformJob until it ends.
import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often DescribeTransformJob is asked: the wall time is known to within this. */
const POLL_MS = 50;
const WAIT_LIMIT_MS = 600_000;

/** A CSV transform job: every Line of every object under `input`, MultiRecord batches. */
export interface TransformSpec {
  readonly name: string;
  readonly model: string;
  /** An S3 prefix URI holding the input objects. */
  readonly input: string;
  readonly outputPath: string;
  readonly instances: number;
  readonly maxPayloadInMB: number;
  readonly maxConcurrentTransforms: number;
}

/** How long a completed job took. */
export interface TransformTiming {
  /** CreateTransformJob sent to DescribeTransformJob first answering Completed. */
  readonly wallMs: number;
  /** TransformStartTime to TransformEndTime, as Plinth recorded them. */
  readonly jobMs: number;
}

/** Runs the job to its end; rejects unless it Completed. */
export async function runTransformJob(
  sm: SageMakerClient,
  spec: TransformSpec,
): Promise<TransformTiming> {
  const started = performance.now();
  await sm.send(
    new CreateTransformJobCommand({
      TransformJobName: spec.name,
      ModelName: spec.model,
      BatchStrategy: 'MultiRecord',
      MaxPayloadInMB: spec.maxPayloadInMB,
      MaxConcurrentTransforms: spec.maxConcurrentTransforms,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: spec.input } },
        ContentType: 'text/csv',
        SplitType: 'Line',
      },
      TransformOutput: { S3OutputPath: spec.outputPath, Accept: 'text/csv', AssembleWith: 'Line' },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: spec.instances },
    }),
  );
  for (const deadline = Date.now() + WAIT_LIMIT_MS; Date.now() < deadline; await sleep(POLL_MS)) {
    const job = await sm.send(new DescribeTransformJobCommand({ TransformJobName: spec.name }));
    const status = job.TransformJobStatus;
    if (status === 'Completed') {
      return {
        wallMs: performance.now() - started,
        jobMs: job.TransformEndTime!.getTime() - job.TransformStartTime!.getTime(),
      };
    }
    if (status === 'Failed' || status === 'Stopped')
      throw new Error(`${spec.name} ended ${status}: ${job.FailureReason ?? ''}`);
  }
  throw new Error(`${spec.name} did not complete within ${WAIT_LIMIT_MS / 1000} s`);
}
