import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '../../artifacts/object-store.js';
import type { HostLaunch } from '../../compute/host-run.js';
import { downloadChannel } from '../../compute/workspace/channel-data.js';
import { hostPath, toHostArgs } from '../../compute/workspace/container-paths.js';
import { contractPaths, resourceConfig } from '../../compute/workspace/contract-layout.js';
import { FolderSync } from '../../compute/workspace/folder-sync.js';
import type { ProcessingJobBody } from './processing-job-types.js';

/** A host ready to start, with its contract root. */
export interface ProcessingHost extends HostLaunch {
  readonly root: string;
}

/** What preparing a processing job's hosts needs. */
export interface ProcessingHostsSpec {
  readonly name: string;
  readonly arn: string;
  readonly job: ProcessingJobBody;
  readonly jobDir: string;
  /** ContainerEntrypoint followed by ContainerArguments. */
  readonly commandLine: readonly string[];
}

/**
 * Lays out every host's `/opt/ml` as SageMaker Processing does — `config/processingjobconfig.json`,
 * `config/resourceconfig.json`, each input's objects in its LocalPath — and gives the command
 * line with its /opt/ml paths pointed at the host's directory. Throws an Error worded as a
 * FailureReason.
 */
export async function prepareProcessingHosts(
  spec: ProcessingHostsSpec,
  store: ObjectStore,
): Promise<ProcessingHost[]> {
  const { job } = spec;
  const cluster = job.ProcessingResources.ClusterConfig;
  const hosts = Array.from({ length: cluster.InstanceCount }, (_, i) => `algo-${i + 1}`);
  const prepared: ProcessingHost[] = [];
  for (const [index, host] of hosts.entries()) {
    const root = join(spec.jobDir, host);
    await rm(root, { recursive: true, force: true });
    const config = join(root, 'config');
    await mkdir(config, { recursive: true });
    await mkdir(contractPaths(root).output, { recursive: true });
    await writeFile(join(config, 'processingjobconfig.json'), JSON.stringify(jobConfig(spec)));
    await writeFile(
      join(config, 'resourceconfig.json'),
      JSON.stringify(
        resourceConfig({ currentHost: host, hosts, instanceType: cluster.InstanceType }),
      ),
    );
    for (const input of job.ProcessingInputs ?? []) {
      const source = input.S3Input!;
      await downloadChannel(store, {
        channel: {
          name: input.InputName,
          s3Uri: source.S3Uri,
          s3DataType: source.S3DataType,
          distribution: source.S3DataDistributionType ?? 'FullyReplicated',
        },
        dir: hostPath(root, source.LocalPath!),
        hostIndex: index,
        hostCount: hosts.length,
      });
    }
    for (const output of job.ProcessingOutputConfig?.Outputs ?? []) {
      await mkdir(hostPath(root, output.S3Output!.LocalPath!), { recursive: true });
    }
    const [command = '', ...args] = toHostArgs(root, spec.commandLine);
    prepared.push({
      host,
      root,
      command,
      args,
      cwd: root,
      env: { ...job.Environment, PLINTH_ML_ROOT: root },
      contractRoot: root,
    });
  }
  return prepared;
}

/** Uploads what each host left in each output's LocalPath to the output's S3Uri. */
export async function uploadOutputs(
  hosts: readonly ProcessingHost[],
  run: { job: ProcessingJobBody; store: ObjectStore },
): Promise<void> {
  for (const host of hosts) {
    for (const output of run.job.ProcessingOutputConfig?.Outputs ?? []) {
      const { S3Uri, LocalPath } = output.S3Output!;
      await new FolderSync(run.store, { uri: S3Uri, dir: hostPath(host.root, LocalPath!) }).sync();
    }
  }
}

/** `processingjobconfig.json`: the job as DescribeProcessingJob gives it, minus its state. */
function jobConfig(spec: ProcessingHostsSpec): Record<string, unknown> {
  const {
    ProcessingJobStatus: _status,
    ExitMessage: _exit,
    FailureReason: _failure,
    ProcessingStartTime: _start,
    ProcessingEndTime: _end,
    ...request
  } = spec.job;
  return { ProcessingJobArn: spec.arn, ProcessingJobName: spec.name, ...request };
}
