import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { S3Connection } from '../client.js';
import type { LiveLine } from '../live-line.js';
import { formatBytes } from '../output.js';
import { ensureBucket, uploadFiles } from '../train/upload.js';

/** What `uploadModel` needs. */
export interface UploadModelOptions {
  readonly s3: S3Connection;
  readonly bucket: string;
  /** The deployment's name: the artifact goes under it, as `plinth train` puts data under the job's. */
  readonly name: string;
  readonly localPath: string;
  readonly live: LiveLine;
}

/**
 * Uploads a local model artifact to `s3://<bucket>/<name>/model/<file>` (creating the bucket
 * if need be), showing the bytes sent as they go, and returns its URI.
 */
export async function uploadModel(options: UploadModelOptions): Promise<string> {
  const { s3, bucket, live, localPath } = options;
  const key = `${options.name}/model/${basename(localPath)}`;
  const { size } = await stat(localPath);
  await ensureBucket(s3, bucket);
  await uploadFiles({
    s3,
    bucket,
    files: [{ path: localPath, key, size }],
    onProgress: (sent) =>
      live.show(
        `Uploading ${basename(localPath)}: ${formatBytes(sent)} of ${formatBytes(size)} (${size ? Math.floor((sent / size) * 100) : 100}%)`,
      ),
  });
  const uri = `s3://${bucket}/${key}`;
  live.clear();
  live.print(`Uploaded ${localPath} (${formatBytes(size)}) to ${uri}`);
  return uri;
}
