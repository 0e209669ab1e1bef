import { readdir, readFile } from 'node:fs/promises';
import type { ObjectStore } from '../../artifacts/object-store.js';
import { parseS3Uri } from '../../artifacts/s3-uri.js';
import { createTarGz } from '../archive/system-tar.js';
import { contractPaths } from './contract-layout.js';

/** SageMaker's limit on a training job's FailureReason. */
export const MAX_FAILURE_REASON_LENGTH = 1024;

/** What `packageModel` and `packageOutput` need. */
export interface PackageOptions {
  /** The host's contract root. */
  readonly root: string;
  readonly store: ObjectStore;
  /**
   * The object to write, e.g. `s3://b/out/job/output/model.tar.gz`. A URI ending in `/` is
   * taken as a folder and the usual file name (`model.tar.gz`, `output.tar.gz`) is added.
   */
  readonly outputUri: string;
}

/**
 * Tars and gzips `<root>/model/` into one `model.tar.gz` object (entries relative to model/,
 * as SageMaker's `tar -czf model.tar.gz -C model .`), streaming; returns the object's URI.
 * An empty model folder still gives a (empty) tarball, as SageMaker's does.
 */
export async function packageModel(options: PackageOptions): Promise<string> {
  return upload(contractPaths(options.root).model, options, 'model.tar.gz');
}

/**
 * Tars and gzips `<root>/output/data/` into `output.tar.gz`, if the program wrote anything
 * there; returns the object's URI, or undefined when there was nothing to package.
 */
export async function packageOutput(options: PackageOptions): Promise<string | undefined> {
  const dir = contractPaths(options.root).outputData;
  const entries = await readdir(dir).catch(() => []);
  if (entries.length === 0) return undefined;
  return upload(dir, options, 'output.tar.gz');
}

/**
 * The text the program left in `output/failure`, trimmed and cut to SageMaker's FailureReason
 * limit; undefined when there is no such file or it is blank.
 */
export async function readFailureReason(root: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(contractPaths(root).failure, 'utf8');
  } catch {
    return undefined;
  }
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, MAX_FAILURE_REASON_LENGTH);
}

async function upload(dir: string, options: PackageOptions, fileName: string): Promise<string> {
  const uri = options.outputUri.endsWith('/') ? options.outputUri + fileName : options.outputUri;
  const { bucket, key } = parseS3Uri(uri, 'outputUri');
  const body = createTarGz(dir);
  // The store may give up on the body first (a missing bucket, say); tar failing after that must
  // not surface as an unhandled stream error. While the store reads the body it sees tar's error.
  body.on('error', () => undefined);
  try {
    await options.store.putObject({ bucket, key, body, contentType: 'application/x-gzip' });
  } catch (error) {
    body.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not upload ${fileName} to ${uri}: ${reason}`, { cause: error });
  }
  return uri;
}
