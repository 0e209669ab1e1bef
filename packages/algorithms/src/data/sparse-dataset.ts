import { stat } from 'node:fs/promises';
import { listChannelFiles, openChannelFile } from './channel-files.js';
import { parseContentType, unsupportedContentType } from './content-type.js';
import { DataFormatError } from './errors.js';
import type { SparseBatch } from './sparse-batch.js';
import type { SparseRowRules } from './sparse-batch-builder.js';
import { readSparseRecordBatches } from './sparse-record-batches.js';

/** The content types {@link readSparseDataset} reads. */
export const SPARSE_CONTENT_TYPES = ['application/x-recordio-protobuf'] as const;

/** Options for {@link readSparseDataset}; plain data, so they can be sent to a worker thread. */
export interface ReadSparseDatasetOptions extends SparseRowRules {
  /** A channel directory (all files under it, in sorted order) or a single file. */
  path: string;
  /** The channel's ContentType; only RecordIO-protobuf is read. */
  contentType: string;
  batchSize?: number;
}

/**
 * Reads a training channel of RecordIO-protobuf files as CSR batches, decompressing gzip files
 * and holding every file to the same feature count. A batch never spans two files.
 */
export async function* readSparseDataset(
  options: ReadSparseDatasetOptions,
): AsyncGenerator<SparseBatch> {
  const type = parseContentType(options.contentType).mediaType;
  if (!(SPARSE_CONTENT_TYPES as readonly string[]).includes(type))
    throw unsupportedContentType(options.contentType, SPARSE_CONTENT_TYPES);
  const files = await filesAt(options.path);
  let featureDim = options.featureDim;
  for (const file of files) {
    const stream = await openChannelFile(file);
    try {
      for await (const batch of readSparseRecordBatches(stream, {
        ...options,
        featureDim,
        source: file,
      })) {
        featureDim ??= batch.dim;
        yield batch;
      }
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && code.startsWith('Z_'))
        throw new DataFormatError(
          `${file}: the file looks gzip-compressed but cannot be decompressed (${(error as Error).message}).`,
        );
      throw error;
    } finally {
      stream.destroy();
    }
  }
}

async function filesAt(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const files = await listChannelFiles(path);
  if (files.length === 0)
    throw new DataFormatError(
      `The data channel at ${path} contains no files; check the channel's S3 URI.`,
    );
  return files;
}
