import {
  DescribeTrainingJobCommand,
  type DescribeTrainingJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/**
 * A sourcedir.tar.gz (or model.tar.gz) with the given files, as the SageMaker SDK uploads it;
 * names may have folders (`code/serve.py`).
 */
export function sourceTarball(dir: string, files: Record<string, string | Uint8Array>): Buffer {
  const src = mkdtempSync(join(dir, 'src-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(src, name)), { recursive: true });
    writeFileSync(join(src, name), content);
  }
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
