import { formatElapsed } from '../output.js';

/** Objects under an input prefix and the `.out` objects their outputs will be. */
export interface ExpectedOutputs {
  /** Output key by input key, in input key order. */
  readonly byInput: ReadonlyMap<string, string>;
}

/**
 * The output keys a transform job writes for its input keys, as the server names them:
 * `<output prefix>/<input key below the input prefix>.out`.
 */
export function expectedOutputs(
  input: { readonly prefix: string; readonly keys: readonly string[] },
  outputPrefix: string,
): ExpectedOutputs {
  const out = outputPrefix === '' ? '' : outputPrefix.replace(/\/*$/, '/');
  const byInput = new Map<string, string>();
  for (const key of input.keys) {
    if (key.endsWith('/')) continue;
    const below = key.slice(input.prefix.length).replace(/^\/+/, '');
    byInput.set(key, `${out}${below === '' ? (key.split('/').pop() ?? '') : below}.out`);
  }
  return { byInput };
}

const BAR_WIDTH = 20;

/** `[########------------] 2/5 objects | InProgress | 0:07` */
export function formatProgress(progress: {
  readonly done: number;
  readonly total: number;
  readonly status: string;
  readonly elapsedMs: number;
}): string {
  const { done, total } = progress;
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  return `${bar} ${done}/${total} object${total === 1 ? '' : 's'} | ${progress.status} | ${formatElapsed(progress.elapsedMs)}`;
}

/** What `plinth transform` prints once the job has ended, and its exit code. */
export function describeTransformOutcome(job: {
  readonly TransformJobName?: string;
  readonly TransformJobStatus?: string;
  readonly FailureReason?: string;
  readonly TransformOutput?: { readonly S3OutputPath?: string };
}): { lines: string[]; exitCode: number } {
  const header = `Transform job ${job.TransformJobName ?? ''}: ${job.TransformJobStatus ?? 'unknown'}`;
  if (job.TransformJobStatus === 'Completed') {
    return { exitCode: 0, lines: [header, `Output: ${job.TransformOutput?.S3OutputPath ?? '-'}`] };
  }
  if (job.TransformJobStatus === 'Failed') {
    return { exitCode: 1, lines: [header, `Reason: ${job.FailureReason ?? 'none given'}`] };
  }
  return { exitCode: 1, lines: [header] };
}
