import { link, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DATA_DIR } from './csv-cache.js';
import { ROOT } from './processes.js';
import type { SideRun } from './side-by-side.js';
import { runTimed } from './timed-run.js';

/** A training job for a built-in program: hyperparameters and one file per channel. */
export interface BenchJob {
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly channels: Readonly<Record<string, { file: string; contentType: string }>>;
}

/**
 * Lays out a SageMaker contract root for a job (`input/config/` hyperparameters, input data
 * and resource config; `input/data/<channel>/<file>`) in a new directory under bench/.data.
 * Channel files are hard links to the cached data: no copy of large files, and the programs,
 * which list regular files only, still see them.
 */
export async function createContractRoot(job: BenchJob): Promise<string> {
  await mkdir(DATA_DIR, { recursive: true });
  const root = await mkdtemp(join(DATA_DIR, 'job-'));
  const config = join(root, 'input/config');
  await mkdir(config, { recursive: true });
  await writeFile(join(config, 'hyperparameters.json'), JSON.stringify(job.hyperparameters));
  await writeFile(
    join(config, 'resourceconfig.json'),
    JSON.stringify({ current_host: 'algo-1', hosts: ['algo-1'] }),
  );
  const dataConfig: Record<string, object> = {};
  for (const [name, channel] of Object.entries(job.channels)) {
    dataConfig[name] = { ContentType: channel.contentType, TrainingInputMode: 'File' };
    const dir = join(root, 'input/data', name);
    await mkdir(dir, { recursive: true });
    await link(channel.file, join(dir, basename(channel.file)));
  }
  await writeFile(join(config, 'inputdataconfig.json'), JSON.stringify(dataConfig));
  return root;
}

/**
 * Runs a built-in training program (e.g. `kmeans-train`) as the platform launches it, a Node
 * child process with `PLINTH_ML_ROOT` set, and measures its wall time.
 */
export async function runPlinthTraining(program: string, root: string): Promise<SideRun> {
  const entry = join(ROOT, 'packages/algorithms/dist/programs', `${program}.js`);
  const { ms } = await runTimed(process.execPath, [entry], { PLINTH_ML_ROOT: root });
  return { wallMs: ms };
}
