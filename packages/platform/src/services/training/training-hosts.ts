import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { HostLaunch } from '../../compute/host-run.js';
import { downloadPrefix } from '../../compute/workspace/channel-data.js';
import { hostPath } from '../../compute/workspace/container-paths.js';
import { FolderSync } from '../../compute/workspace/folder-sync.js';
import { prepareWorkspace } from '../../compute/workspace/prepare-workspace.js';
import type { ChannelSpec } from '../../compute/workspace.js';
import type { ProgramCatalog, ScriptLauncher } from './job-programs.js';
import type { LaunchPlan } from './launch-plan.js';
import type { TrainingJobBody } from './training-job-state.js';

/** Where SageMaker keeps checkpoints when CheckpointConfig names no LocalPath. */
const DEFAULT_CHECKPOINT_PATH = '/opt/ml/checkpoints';

/** A host ready to start: its launch, contract root and checkpoint sync (if the job has one). */
export interface PreparedHost extends HostLaunch {
  readonly root: string;
  readonly checkpoints?: FolderSync;
}

/** What preparing a job's hosts needs. */
export interface HostPreparation {
  readonly name: string;
  readonly job: TrainingJobBody;
  readonly plan: LaunchPlan;
  readonly jobDir: string;
  /** Cores each host may use (SM_NUM_CPUS). */
  readonly cpusPerHost: number;
}

/** The adapters host preparation uses. */
export interface HostAdapters {
  readonly objectStore: ObjectStore;
  readonly programs: ProgramCatalog;
  readonly scripts: ScriptLauncher;
}

/**
 * Lays out every host's work directory afresh (a restarted job starts clean; its logs stay),
 * downloads its channels and any checkpoints, and works out the program it runs.
 * Throws an Error worded as a FailureReason.
 */
export async function prepareHosts(
  prep: HostPreparation,
  adapters: HostAdapters,
): Promise<PreparedHost[]> {
  const { job, plan } = prep;
  const hyperParameters = job.HyperParameters ?? {};
  const hosts = Array.from(
    { length: job.ResourceConfig?.InstanceCount ?? 1 },
    (_, i) => `algo-${i + 1}`,
  );
  // A folder every host of the job sees, for programs that combine their hosts' work (Plinth's
  // built-ins do; SageMaker instances would talk over the network instead).
  const shared = join(prep.jobDir, 'shared');
  await rm(shared, { recursive: true, force: true });
  await mkdir(shared, { recursive: true });
  const prepared: PreparedHost[] = [];
  for (const host of hosts) {
    const root = join(prep.jobDir, host);
    await rm(root, { recursive: true, force: true });
    const workspace = await prepareWorkspace(
      {
        jobName: prep.name,
        root,
        hosts,
        currentHost: host,
        hyperParameters,
        channels: (job.InputDataConfig ?? []).map(toChannelSpec),
        instanceType: job.ResourceConfig?.InstanceType ?? 'ml.m5.large',
        cpus: prep.cpusPerHost,
        environment: job.Environment ?? {},
      },
      adapters.objectStore,
    );
    const checkpoints = job.CheckpointConfig
      ? {
          uri: job.CheckpointConfig.S3Uri,
          dir: hostPath(root, job.CheckpointConfig.LocalPath ?? DEFAULT_CHECKPOINT_PATH),
        }
      : undefined;
    if (checkpoints) {
      await downloadPrefix(adapters.objectStore, { ...checkpoints, label: 'CheckpointConfig' });
    }
    const program =
      plan.kind === 'builtin'
        ? { ...adapters.programs.trainer(plan.algorithm), cwd: root, env: {} }
        : await adapters.scripts.prepare({ root, hyperParameters, runtime: plan.runtime });
    prepared.push({
      host,
      root,
      contractRoot: root,
      command: program.command,
      args: program.args,
      cwd: program.cwd,
      env: { ...workspace.env, ...program.env, PLINTH_SHARED_DIR: shared },
      ...(checkpoints ? { checkpoints: new FolderSync(adapters.objectStore, checkpoints) } : {}),
    });
  }
  return prepared;
}

function toChannelSpec(
  channel: NonNullable<TrainingJobBody['InputDataConfig']>[number],
): ChannelSpec {
  const source = channel.DataSource.S3DataSource!;
  return {
    name: channel.ChannelName,
    s3Uri: source.S3Uri,
    s3DataType: source.S3DataType,
    distribution: source.S3DataDistributionType ?? 'FullyReplicated',
    ...(channel.ContentType ? { contentType: channel.ContentType } : {}),
    ...(channel.CompressionType ? { compressionType: channel.CompressionType } : {}),
    ...(channel.RecordWrapperType ? { recordWrapperType: channel.RecordWrapperType } : {}),
    ...(channel.ShuffleConfig ? { shuffleSeed: Number(channel.ShuffleConfig.Seed) } : {}),
  };
}
