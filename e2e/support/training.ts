import {
  DescribeTrainingJobCommand,
  type DescribeTrainingJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/** A sourcedir.tar.gz with the given files, as the SageMaker SDK uploads it. */
export function sourceTarball(dir: string, files: Record<string, string>): Buffer {
  const src = mkdtempSync(join(dir, 'src-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(src, name), text);
  const out = join(dir, `${Math.random().toString(36).slice(2)}.tar.gz`);
  const tar = spawnSync('tar', ['-czf', out, '-C', src, '.']);
  if (tar.status !== 0) throw new Error(tar.stderr.toString());
  return readFileSync(out);
}

/**
 * Polls DescribeTrainingJob until `done` holds (by default: the job has ended) and returns
 * that description; throws after about 30 seconds.
 */
export async function waitForJob(
  sm: SageMakerClient,
  name: string,
  done: (job: DescribeTrainingJobCommandOutput) => boolean = (job) =>
    TERMINAL.has(job.TrainingJobStatus!),
): Promise<DescribeTrainingJobCommandOutput> {
  for (let i = 0; i < 300; i++) {
    const job = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    if (done(job)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not reach the awaited state`);
}
