import type { DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { formatElapsed, formatTable } from '../output.js';

/** What `plinth train` prints once a job has ended, and the exit code it ends with. */
export interface Outcome {
  readonly lines: readonly string[];
  readonly exitCode: number;
}

/**
 * The summary of an ended job: on Completed its model artifact and final metrics (exit 0); on
 * Failed its FailureReason and what to do about it, on Stopped why (exit 1).
 */
export function describeOutcome(job: DescribeTrainingJobCommandOutput): Outcome {
  const name = job.TrainingJobName ?? '';
  const took =
    job.TrainingStartTime && job.TrainingEndTime
      ? ` (trained for ${formatElapsed(job.TrainingEndTime.getTime() - job.TrainingStartTime.getTime())})`
      : '';
  const header = `Training job ${name}: ${job.TrainingJobStatus ?? 'unknown'}${took}`;
  if (job.TrainingJobStatus === 'Completed') {
    const metrics = (job.FinalMetricDataList ?? []).map((m) => [
      m.MetricName ?? '',
      String(m.Value ?? ''),
    ]);
    return {
      exitCode: 0,
      lines: [
        header,
        `Model artifact: ${job.ModelArtifacts?.S3ModelArtifacts ?? '-'}`,
        ...(metrics.length > 0 ? [formatTable(['METRIC', 'VALUE'], metrics)] : []),
      ],
    };
  }
  if (job.TrainingJobStatus === 'Failed') {
    return {
      exitCode: 1,
      lines: [header, `Reason: ${job.FailureReason ?? '(none given)'}`, failureAdvice(job)],
    };
  }
  return { exitCode: 1, lines: [header, stopAdvice(job)] };
}

function failureAdvice(job: DescribeTrainingJobCommandOutput): string {
  const logs = `plinth logs ${job.TrainingJobName ?? ''}`;
  if (job.FailureReason?.startsWith('AlgorithmError'))
    return `The training program failed. Its whole log: ${logs}. Fix the data or hyperparameters it names and train again.`;
  if (job.FailureReason?.startsWith('ClientError'))
    return 'The job could not run as asked: check the image, the input data locations and the hyperparameters, then train again.';
  return `See the job's log (${logs}) and train again.`;
}

function stopAdvice(job: DescribeTrainingJobCommandOutput): string {
  if (job.SecondaryStatus === 'MaxRuntimeExceeded')
    return `It reached its maximum runtime (${job.StoppingCondition?.MaxRuntimeInSeconds ?? '?'} s) and was stopped; give it longer with --max-runtime <seconds>.`;
  return 'It was stopped by a StopTrainingJob request.';
}
