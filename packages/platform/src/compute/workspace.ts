/**
 * The SageMaker container contract on the platform side: what a training job's work directory
 * holds before its program starts, and what is collected after it ends.
 */

/** One input channel of a training job, as CreateTrainingJob's InputDataConfig gives it. */
export interface ChannelSpec {
  readonly name: string;
  /** `s3://bucket/prefix` (S3Prefix) or the URI of a manifest file (ManifestFile). */
  readonly s3Uri: string;
  readonly s3DataType: 'S3Prefix' | 'ManifestFile' | 'AugmentedManifestFile';
  readonly distribution: 'FullyReplicated' | 'ShardedByS3Key';
  readonly contentType?: string;
  readonly compressionType?: 'None' | 'Gzip';
  readonly recordWrapperType?: 'None' | 'RecordIO';
  /** ShuffleConfig.Seed: the channel's objects are put in this seed's order before sharding. */
  readonly shuffleSeed?: number;
}

/** Everything needed to lay out one host's work directory. */
export interface WorkspaceSpec {
  readonly jobName: string;
  /** The host's contract root (its `/opt/ml`). */
  readonly root: string;
  /** `algo-1` ... `algo-N`. */
  readonly hosts: readonly string[];
  readonly currentHost: string;
  readonly hyperParameters: Readonly<Record<string, string>>;
  readonly channels: readonly ChannelSpec[];
  readonly instanceType: string;
  /** Cores this host may use, for SM_NUM_CPUS. */
  readonly cpus: number;
  /** Extra environment from the request (`Environment`). */
  readonly environment: Readonly<Record<string, string>>;
}

/** A prepared work directory: the environment its program runs with. */
export interface PreparedWorkspace {
  readonly root: string;
  readonly env: Readonly<Record<string, string>>;
}
