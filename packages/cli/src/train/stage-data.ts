import type { S3Connection } from '../client.js';
import type { LiveLine } from '../live-line.js';
import { formatBytes } from '../output.js';
import type { DataSource } from './train-flags.js';
import { listLocalFiles, uploadFiles } from './upload.js';

/** What `stageChannels` needs. */
export interface StageOptions {
  readonly channels: readonly { readonly name: string; readonly source: DataSource }[];
  /** Connects to S3 when some channel is local (the bucket already exists then). */
  readonly s3: () => Promise<S3Connection>;
  readonly bucket: string;
  readonly jobName: string;
  readonly live: LiveLine;
}

/**
 * Each channel's S3 prefix: an s3:// source as it is; a local file or folder uploaded first to
 * `s3://<bucket>/<job>/input/<channel>/`, with the bytes sent shown as they go.
 */
export async function stageChannels(
  options: StageOptions,
): Promise<{ name: string; s3Uri: string }[]> {
  const staged = [];
  for (const { name, source } of options.channels) {
    if ('s3Uri' in source) {
      staged.push({ name, s3Uri: source.s3Uri });
      continue;
    }
    const prefix = `${options.jobName}/input/${name}/`;
    const s3Uri = `s3://${options.bucket}/${prefix}`;
    const files = await listLocalFiles(source.localPath, prefix);
    if (files.length === 0)
      throw new Error(`The ${name} channel's folder ${source.localPath} has no files in it.`);
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const count = `${files.length} file${files.length === 1 ? '' : 's'}, ${formatBytes(total)}`;
    await uploadFiles({
      s3: await options.s3(),
      bucket: options.bucket,
      files,
      onProgress: (sent) =>
        options.live.show(
          `Uploading ${name}: ${formatBytes(sent)} of ${formatBytes(total)} (${total ? Math.floor((sent / total) * 100) : 100}%)`,
        ),
    });
    options.live.clear();
    options.live.print(`Uploaded ${source.localPath} (${count}) to ${s3Uri}`);
    staged.push({ name, s3Uri });
  }
  return staged;
}
